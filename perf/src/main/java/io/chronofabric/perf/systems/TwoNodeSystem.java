package io.chronofabric.perf.systems;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.chronofabric.engine.api.PayloadWriter;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.perf.spi.LatencyProbe;
import io.chronofabric.perf.spi.SystemKind;
import io.chronofabric.perf.spi.SystemSpec;
import io.chronofabric.perf.spi.SystemUnderTest;
import org.agrona.CloseHelper;

/**
 * ChronoFabric as two nodes of one deployment in this process ({@link SystemKind#CHRONOFABRIC_TWO_NODE}): node 1 and
 * node 2, each an engine with the run's profile settings and a journal of its own, each a {@link io.chronofabric.node.Node}
 * with its own media driver on a free loopback UDP port. The sending thread publishes on node 1 (the intended send
 * time in the payload's first 8 bytes, the payload template after it); node 1 journals it and its node ships it over
 * Aeron; node 2's node journals, sequences and delivers it, and node 2's subscriber reports it to the probe. Both ends
 * read the same {@link System#nanoTime()}, so the latency is one-way, from the intended send time.
 * <p>
 * Before it returns, the constructor sends one message of another type through both nodes and waits for it on node 2,
 * so that the trial starts with the peers connected and shipping (not counted).
 */
public final class TwoNodeSystem implements SystemUnderTest
{
    /** The message type the harness publishes on node 1 and node 2 subscribes to. */
    public static final int TYPE = ChronoFabricSystem.TYPE;
    /** The type of the one message that checks the path end to end before the trial; not counted. */
    static final int READY_TYPE = SystemSpec.READY_TYPE;
    /** Node 1's id: where messages are published. */
    public static final int SENDING_NODE = 1;
    /** Node 2's id: where they are delivered. */
    public static final int RECEIVING_NODE = 2;
    private static final int SOURCE = 7;
    private static final long READY_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final PayloadWriter<TwoNodeSystem> WRITER = (system, payload) -> payload
        .putLong(system.intendedNanos)
        .put(system.template, Long.BYTES, system.payloadBytes - Long.BYTES);

    private final LatencyProbe probe = new LatencyProbe();
    private final Path dir;
    private final byte[] template;
    private final int payloadBytes;
    private final InProcessNode sending;
    private final InProcessNode receiving;
    private final Publisher publisher;
    private final List<Thread> threads;
    private volatile boolean ready;
    private long intendedNanos;
    private long sent;

    /**
     * Starts node 2, then node 1, and waits until a first message went through both.
     *
     * @param spec the run's settings (profile, overrides, payload size).
     * @param dir  the system's folder, unique to it: each node's journal and media driver go under it; deleted on close.
     * @throws IllegalStateException when the first message does not reach node 2 within 30 s (everything started is
     *     closed and the folder deleted).
     */
    public TwoNodeSystem(final SystemSpec spec, final Path dir)
    {
        this.dir = dir;
        this.template = spec.payloadTemplate();
        this.payloadBytes = spec.payloadBytes();
        final LoopbackPort sendingReserved = LoopbackPort.reserve();
        final LoopbackPort receivingReserved;
        try
        {
            receivingReserved = LoopbackPort.reserve();
        }
        catch (final RuntimeException ex)
        {
            sendingReserved.close();
            throw ex;
        }
        final int sendingPort = sendingReserved.port();
        final int receivingPort = receivingReserved.port();
        final LatencyProbe probe = this.probe;
        InProcessNode startedReceiving = null;
        InProcessNode startedSending = null;
        try
        {
            // node 1's port stays taken while node 2 starts: node 2's publication to it binds an ephemeral source
            // port, which could otherwise be that very port, and node 1 would then fail to bind it
            receivingReserved.close();
            startedReceiving = InProcessNode.start(spec, RECEIVING_NODE, receivingPort, SENDING_NODE, sendingPort,
                dir.resolve("node" + RECEIVING_NODE), engine ->
                {
                    engine.subscribe(TYPE, message -> probe.delivered(message.payload().getLong(0)));
                    engine.subscribe(READY_TYPE, message -> ready = true);
                });
            sendingReserved.close();
            startedSending = InProcessNode.start(spec, SENDING_NODE, sendingPort, RECEIVING_NODE, receivingPort,
                dir.resolve("node" + SENDING_NODE), engine -> { });
            this.receiving = startedReceiving;
            this.sending = startedSending;
            this.publisher = sending.engine().newPublisher(SOURCE);
            final List<Thread> both = new ArrayList<>(sending.threads());
            both.addAll(receiving.threads());
            this.threads = List.copyOf(both);
            awaitReady();
        }
        catch (final RuntimeException | Error ex)
        {
            // a system that fails to start leaves neither threads nor its folder behind
            CloseHelper.quietCloseAll(sendingReserved, receivingReserved, startedSending, startedReceiving);
            SystemSpec.deleteRecursively(dir);
            throw ex;
        }
    }

    private void awaitReady()
    {
        intendedNanos = System.nanoTime();
        publisher.publish(READY_TYPE, WRITER, this);
        final long deadline = System.nanoTime() + READY_TIMEOUT_NANOS;
        while (!ready)
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException(kind().label() + ": a first message did not reach node " +
                    RECEIVING_NODE + " within 30 s; " + sending.peerState() + "; " + receiving.peerState());
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    @Override
    public SystemKind kind()
    {
        return SystemKind.CHRONOFABRIC_TWO_NODE;
    }

    @Override
    public void send(final long intendedNanos)
    {
        this.intendedNanos = intendedNanos;
        publisher.sentAt(intendedNanos).publish(TYPE, WRITER, this);
        sent++;
    }

    @Override
    public LatencyProbe probe()
    {
        return probe;
    }

    /** @return node 1's threads then node 2's (each engine's pipeline, node conductor, media driver, Aeron client). */
    @Override
    public List<Thread> workerThreads()
    {
        return threads;
    }

    /**
     * Waits until node 2 delivered every message sent, then closes node 1 and node 2 (each node before its engine;
     * their threads end) and deletes the folder.
     *
     * @throws IllegalStateException when the messages were not all delivered within 60 s (everything is closed
     *     anyway).
     */
    @Override
    public void close()
    {
        probe.awaitDelivered(sent);
        try
        {
            CloseHelper.closeAll(sending, receiving);
        }
        finally
        {
            SystemSpec.deleteRecursively(dir);
        }
        probe.requireDelivered(kind().label(), sent);
    }
}
