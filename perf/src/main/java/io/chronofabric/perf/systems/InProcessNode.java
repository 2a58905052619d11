package io.chronofabric.perf.systems;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

import io.chronofabric.engine.internal.Engine;
import io.chronofabric.node.Endpoint;
import io.chronofabric.node.Node;
import io.chronofabric.node.NodeConfiguration;
import io.chronofabric.perf.spi.SystemSpec;
import org.agrona.CloseHelper;

/**
 * One ChronoFabric engine started as one node of a deployment, in this process: the run's profile settings with
 * {@code node.id} set, its journal in {@code <dir>/journal}, its node's media driver under {@code <dir>/aeron}, one
 * peer. Its threads (the engine's pipeline threads, the node's conductor, its media driver's and Aeron client's
 * threads) are renamed {@code node<id>:<name>} so that two nodes' threads tell apart in the report. Closing it closes
 * the node, then the engine, and waits for those threads to end; the folder is the caller's to delete.
 */
final class InProcessNode implements AutoCloseable
{
    private static final long THREAD_END_TIMEOUT_MILLIS = 10_000;

    private final int nodeId;
    private final Engine engine;
    private final Node node;
    private final List<Thread> threads;

    private InProcessNode(final int nodeId, final Engine engine, final Node node, final List<Thread> threads)
    {
        this.nodeId = nodeId;
        this.engine = engine;
        this.node = node;
        this.threads = threads;
    }

    /**
     * Starts the engine, subscribes what {@code subscribeFirst} subscribes, then starts its node.
     *
     * @param spec           the run's settings: profile, overrides, payload size.
     * @param nodeId         this node's id.
     * @param listenPort     the loopback UDP port this node receives on.
     * @param peerId         the one peer's node id.
     * @param peerPort       the loopback UDP port the peer receives on.
     * @param dir            this node's folder: journal and media driver go under it.
     * @param subscribeFirst subscribes this engine's handlers before the node starts receiving.
     * @return the running node.
     */
    static InProcessNode start(final SystemSpec spec, final int nodeId, final int listenPort, final int peerId,
        final int peerPort, final Path dir, final Consumer<Engine> subscribeFirst)
    {
        final Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        final Engine engine = Engine.start(spec.newBuilder().nodeId(nodeId).journalDir(dir.resolve("journal")).build(),
            subscribeFirst);
        Node node = null;
        try
        {
            final List<Thread> pipeline = ChronoFabricSystem.pipelineThreads(engine, before);
            final Set<Thread> beforeNode = new HashSet<>(Thread.getAllStackTraces().keySet());
            node = Node.start(NodeConfiguration.builder()
                .listen(new Endpoint("127.0.0.1", listenPort))
                .peer(peerId, new Endpoint("127.0.0.1", peerPort))
                .aeronBaseDir(dir.resolve("aeron"))
                .build(engine.context()), engine);
            final List<Thread> threads = new ArrayList<>(pipeline);
            threads.addAll(nodeThreads(nodeId, beforeNode));
            for (final Thread thread : threads)
            {
                thread.setName("node" + nodeId + ":" + shortName(thread.getName()));
            }
            return new InProcessNode(nodeId, engine, node, List.copyOf(threads));
        }
        catch (final RuntimeException | Error ex)
        {
            CloseHelper.quietCloseAll(node, engine);
            throw ex;
        }
    }

    /** @return the engine. */
    Engine engine()
    {
        return engine;
    }

    /** @return this node's id. */
    int nodeId()
    {
        return nodeId;
    }

    /** @return where this node stands with its peer, in one line (state, marks, resend requests): for error messages. */
    String peerState()
    {
        return "node " + nodeId + ": " + node.peers();
    }

    /** @return the engine's pipeline threads, then the node's conductor, media driver and Aeron client threads. */
    List<Thread> threads()
    {
        return threads;
    }

    /**
     * Closes the node (its conductor, client and driver stop), then the engine (it drains and stops), and waits for
     * their threads to end.
     *
     * @throws IllegalStateException when a thread did not end within 10 s.
     */
    @Override
    public void close()
    {
        try
        {
            CloseHelper.closeAll(node, engine);
        }
        finally
        {
            for (final Thread thread : threads)
            {
                join(thread);
            }
        }
    }

    private static void join(final Thread thread)
    {
        try
        {
            thread.join(THREAD_END_TIMEOUT_MILLIS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + thread.getName() + " to end", ex);
        }
        if (thread.isAlive())
        {
            throw new IllegalStateException(thread.getName() + " did not end within " + THREAD_END_TIMEOUT_MILLIS +
                " ms");
        }
    }

    /**
     * @return the name a thread shows in the report: the media driver's shared thread, which Aeron names after its
     *     directory and agents ({@code <aeron.dir> [sender,receiver,driver-conductor]}), becomes {@code aeron-driver}.
     */
    private static String shortName(final String name)
    {
        return name.contains("driver-conductor") ? "aeron-driver" : name;
    }

    /**
     * @return the threads {@link Node#start} started: its conductor ({@code chronofabric-node-<id>}, which runs the
     *     media driver and the Aeron client too by default) and the driver's executor; with another
     *     {@code node.driver-threading}, the driver's threads and the Aeron client's conductor ({@code aeron-client}).
     */
    private static List<Thread> nodeThreads(final int nodeId, final Set<Thread> before)
    {
        final List<Thread> found = new ArrayList<>();
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            final String name = thread.getName().toLowerCase(Locale.ROOT);
            if (!before.contains(thread) && thread.isAlive() && (name.equals("chronofabric-node-" + nodeId) ||
                name.contains("aeron") || name.contains("driver-conductor") || name.contains("sender") ||
                name.contains("receiver")))
            {
                found.add(thread);
            }
        }
        return found;
    }
}
