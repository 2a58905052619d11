package io.chronofabric.node;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.chronofabric.engine.api.ConfigurationException;
import io.chronofabric.engine.api.DriverThreading;
import io.chronofabric.engine.api.PeerLagPolicy;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.config.Settings;

/**
 * A node's configuration, concluded and validated once by {@link Builder#build()}: its id and the peer settings come
 * from the engine's configuration ({@code node.id}, {@code peer.*}); where it listens and who its peers are are given
 * per deployment.
 */
public final class NodeConfiguration
{
    /** Stream carrying journaled messages from a node to a peer. */
    static final int DATA_STREAM = 1001;
    /** Stream carrying heartbeats, pings and resend requests. */
    static final int CONTROL_STREAM = 1002;

    private final int nodeId;
    private final Endpoint listen;
    private final Map<Integer, Endpoint> peers;
    private final Path aeronBaseDir;
    private final long heartbeatNanos;
    private final long peerTimeoutNanos;
    private final long maxLag;
    private final PeerLagPolicy lagPolicy;
    private final DriverThreading driverThreading;

    private NodeConfiguration(final Builder builder, final EngineConfiguration engine)
    {
        this.nodeId = engine.nodeId();
        this.listen = builder.listen;
        this.peers = Collections.unmodifiableMap(new LinkedHashMap<>(builder.peers));
        this.aeronBaseDir = builder.aeronBaseDir;
        this.heartbeatNanos = TimeUnit.MILLISECONDS.toNanos(engine.get(Settings.PEER_HEARTBEAT));
        this.peerTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(engine.get(Settings.PEER_TIMEOUT));
        this.maxLag = engine.get(Settings.PEER_MAX_LAG);
        this.lagPolicy = engine.get(Settings.PEER_LAG_POLICY);
        this.driverThreading = engine.get(Settings.NODE_DRIVER_THREADING);
    }

    /** @return a builder. */
    public static Builder builder()
    {
        return new Builder();
    }

    /** @return this node's id, 1..65535. */
    public int nodeId()
    {
        return nodeId;
    }

    /** @return where this node receives its peers' streams. */
    public Endpoint listen()
    {
        return listen;
    }

    /** @return the peers by node id, in the order given. */
    public Map<Integer, Endpoint> peers()
    {
        return peers;
    }

    /** @return the folder under which each node id has its media driver directory and lock. */
    public Path aeronBaseDir()
    {
        return aeronBaseDir;
    }

    /** @return the heartbeat and ping interval ({@code peer.heartbeat-ms}). */
    public long heartbeatNanos()
    {
        return heartbeatNanos;
    }

    /** @return the silence after which a peer is unreachable ({@code peer.timeout-ms}). */
    public long peerTimeoutNanos()
    {
        return peerTimeoutNanos;
    }

    /** @return messages a peer may lack before the lag policy applies ({@code peer.max-lag}). */
    public long maxLag()
    {
        return maxLag;
    }

    /** @return what a peer over the maximum lag causes ({@code peer.lag-policy}). */
    public PeerLagPolicy lagPolicy()
    {
        return lagPolicy;
    }

    /** @return which threads run the node's media driver ({@code node.driver-threading}). */
    public DriverThreading driverThreading()
    {
        return driverThreading;
    }

    /** Collects a node's deployment settings; {@link #build} checks them against the engine's. */
    public static final class Builder
    {
        private Endpoint listen;
        private final Map<Integer, Endpoint> peers = new LinkedHashMap<>();
        private Path aeronBaseDir = Path.of(System.getProperty("java.io.tmpdir"), "chronofabric-aeron");

        private Builder()
        {
        }

        /** @param listen where this node receives its peers' streams. @return this. */
        public Builder listen(final Endpoint listen)
        {
            this.listen = listen;
            return this;
        }

        /**
         * @param nodeId   the peer's node id, 1..65535.
         * @param endpoint where the peer listens.
         * @return this.
         * @throws ConfigurationException for a node id out of range or given twice.
         */
        public Builder peer(final int nodeId, final Endpoint endpoint)
        {
            if (nodeId < 1 || nodeId > 0xFFFF)
            {
                throw new ConfigurationException("peer", nodeId + "=" + endpoint, "a node id in [1, 65535]");
            }
            if (null != peers.putIfAbsent(nodeId, endpoint))
            {
                throw new ConfigurationException("peer " + nodeId + " is given twice", "peer", (Throwable)null);
            }
            return this;
        }

        /**
         * @param dir the folder under which each node id gets its media driver directory and lock file; default
         *     {@code java.io.tmpdir/chronofabric-aeron}.
         * @return this.
         */
        public Builder aeronBaseDir(final Path dir)
        {
            this.aeronBaseDir = dir;
            return this;
        }

        /**
         * Concludes the configuration.
         *
         * @param engine the engine's concluded configuration: node.id and the peer.* settings.
         * @return the configuration.
         * @throws ConfigurationException naming what is wrong and what is allowed.
         */
        public NodeConfiguration build(final EngineConfiguration engine)
        {
            if (engine.nodeId() < 1)
            {
                throw new ConfigurationException(Settings.NODE_ID.name(), engine.nodeId(),
                    "an id in [1, 65535] for a node with peers");
            }
            if (null == listen)
            {
                throw new ConfigurationException("listen", "none", Endpoint.FORMAT);
            }
            if (peers.containsKey(engine.nodeId()))
            {
                throw new ConfigurationException("peer " + engine.nodeId() + " is this node's own id (node.id)",
                    "peer", (Throwable)null);
            }
            for (final Map.Entry<Integer, Endpoint> peer : peers.entrySet())
            {
                if (peer.getValue().equals(listen))
                {
                    throw new ConfigurationException("peer " + peer.getKey() + " has this node's listen endpoint " +
                        listen, "peer", (Throwable)null);
                }
            }
            return new NodeConfiguration(this, engine);
        }
    }
}
