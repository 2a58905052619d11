package io.chronofabric.perf.systems;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import org.agrona.CloseHelper;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import io.chronofabric.perf.spi.LatencyProbe;
import io.chronofabric.perf.spi.SystemKind;
import io.chronofabric.perf.spi.SystemSpec;
import io.chronofabric.perf.spi.SystemUnderTest;

/**
 * The raw Aeron baseline: an embedded media driver ({@link EmbeddedAeron}), one exclusive publication and one
 * subscription on the same {@code aeron:udp} channel to a free port of 127.0.0.1, in this process. The sending
 * thread offers each message (its intended send time in the payload's first 8 bytes, the payload template after
 * it), retrying while the publication is back-pressured; a subscriber thread polls and reports each message to the
 * probe. Both ends read the same {@link System#nanoTime()}, so the latency recorded is one-way, from the intended
 * send time: publication, driver sender, loopback UDP, driver receiver, subscription.
 */
public final class AeronSystem implements SystemUnderTest
{
    /** The stream both ends use. */
    public static final int STREAM_ID = 1001;
    private static final int FRAGMENT_LIMIT = 64;
    private static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final LatencyProbe probe = new LatencyProbe();
    private final WorkerThreads threads = new WorkerThreads("perf-" + SystemKind.RAW_AERON.label());
    private final EmbeddedAeron aeron;
    private final String channel;
    private final ExclusivePublication publication;
    private final Subscription subscription;
    private final UnsafeBuffer message;
    private final int payloadBytes;
    private final IdleStrategy backPressure = EmbeddedAeron.newIdleStrategy();
    private final Thread subscriber;
    private volatile boolean running = true;
    private long sent;

    /**
     * Starts the driver, connects the publication to the subscription and starts the subscriber thread.
     *
     * @param spec the run's settings (the payload size).
     * @param dir  the driver's folder, unique to this system; deleted on close.
     * @throws IllegalStateException when the two ends do not connect within 10 s.
     */
    public AeronSystem(final SystemSpec spec, final Path dir)
    {
        this.payloadBytes = spec.payloadBytes();
        this.channel = "aeron:udp?endpoint=127.0.0.1:" + EmbeddedAeron.freeLoopbackUdpPort();
        EmbeddedAeron started = null;
        try
        {
            this.message = new UnsafeBuffer(spec.payloadTemplate());
            started = new EmbeddedAeron(dir, threads);
            this.aeron = started;
            this.subscription = aeron.aeron().addSubscription(channel, STREAM_ID);
            this.publication = aeron.aeron().addExclusivePublication(channel, STREAM_ID);
            if (payloadBytes > publication.maxMessageLength())
            {
                throw new IllegalArgumentException("--payload " + payloadBytes + " exceeds the publication's largest " +
                    "message, " + publication.maxMessageLength() + " bytes");
            }
            awaitConnected();
            final FragmentHandler handler = new FragmentAssembler(
                (buffer, offset, length, header) -> probe.delivered(buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN)));
            this.subscriber = threads.named("subscriber").newThread(() -> pollUntilStopped(handler));
            subscriber.start();
        }
        catch (final RuntimeException | Error ex)
        {
            // a system that fails to start leaves neither threads nor its folder behind
            CloseHelper.quietClose(started);
            SystemSpec.deleteRecursively(dir);
            throw ex;
        }
    }

    /** @return the channel both ends use, with the port picked for this system. */
    public String channel()
    {
        return channel;
    }

    @Override
    public SystemKind kind()
    {
        return SystemKind.RAW_AERON;
    }

    @Override
    public void send(final long intendedNanos)
    {
        message.putLong(0, intendedNanos, ByteOrder.LITTLE_ENDIAN);
        long result;
        long notConnectedSince = 0;
        while ((result = publication.offer(message, 0, payloadBytes)) < 0)
        {
            if (Publication.CLOSED == result || Publication.MAX_POSITION_EXCEEDED == result)
            {
                throw new IllegalStateException(kind().label() + " publication cannot take more: " +
                    Publication.errorString(result));
            }
            if (Publication.NOT_CONNECTED == result)
            {
                final long now = System.nanoTime();
                notConnectedSince = 0 == notConnectedSince ? now : notConnectedSince;
                if (now - notConnectedSince > CONNECT_TIMEOUT_NANOS)
                {
                    throw new IllegalStateException(kind().label() + " subscriber gone for 10 s on " + channel);
                }
            }
            backPressure.idle();
        }
        backPressure.reset();
        sent++;
    }

    @Override
    public LatencyProbe probe()
    {
        return probe;
    }

    @Override
    public List<Thread> workerThreads()
    {
        return threads.threads();
    }

    /**
     * Waits until the subscriber has every message sent, stops it, then closes the publication, subscription,
     * client and driver (their threads end) and deletes the driver's folder.
     *
     * @throws IllegalStateException when the messages were not all delivered within 60 s (everything is closed
     *     anyway).
     */
    @Override
    public void close()
    {
        probe.awaitDelivered(sent);
        running = false;
        try
        {
            subscriber.join(TimeUnit.NANOSECONDS.toMillis(CONNECT_TIMEOUT_NANOS));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        finally
        {
            CloseHelper.closeAll(publication, subscription, aeron);
        }
        // the subscriber, and the driver's and client's threads, which their close waited for
        threads.joinAll();
        probe.requireDelivered(kind().label(), sent);
    }

    private void awaitConnected()
    {
        final long deadline = System.nanoTime() + CONNECT_TIMEOUT_NANOS;
        final IdleStrategy idle = EmbeddedAeron.newIdleStrategy();
        while (!publication.isConnected() || !subscription.isConnected())
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException(kind().label() + " publication and subscription did not connect " +
                    "within 10 s on " + channel);
            }
            idle.idle();
        }
    }

    private void pollUntilStopped(final FragmentHandler handler)
    {
        final IdleStrategy idle = EmbeddedAeron.newIdleStrategy();
        while (running)
        {
            idle.idle(subscription.poll(handler, FRAGMENT_LIMIT));
        }
    }
}
