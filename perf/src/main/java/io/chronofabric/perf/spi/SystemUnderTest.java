package io.chronofabric.perf.spi;

import java.util.List;

/**
 * One system the harness measures: ChronoFabric or one of the raw baselines. The harness thread creates it, sends
 * every message from that one thread, and closes it; the system reports each delivery to its {@link LatencyProbe}
 * from the thread that finishes the message.
 */
public interface SystemUnderTest extends AutoCloseable
{
    /** @return the system's kind. */
    SystemKind kind();

    /**
     * Sends one message, waiting while the system is full (backpressure, never loss).
     *
     * @param intendedNanos the {@link System#nanoTime()} the message was meant to be sent at; its latency is measured
     *     from here.
     */
    void send(long intendedNanos);

    /** @return the probe every delivery is reported to. */
    LatencyProbe probe();

    /**
     * @return the threads the system runs besides the sending thread (pipeline or consumer threads), for CPU and
     *     allocation accounting; empty when the sender does all the work.
     */
    List<Thread> workerThreads();

    /** Waits until every sent message is delivered, then stops the system's threads and closes its files. */
    @Override
    void close();
}
