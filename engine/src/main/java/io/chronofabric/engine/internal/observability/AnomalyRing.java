package io.chronofabric.engine.internal.observability;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.chronofabric.engine.api.Stage;
import io.chronofabric.engine.internal.event.SingleWriterCounter;
import io.chronofabric.journal.DeadLetterReason;

/**
 * Anomalies found on the delivery thread, handed to the monitor thread without allocation or locks: a preallocated
 * single-producer single-consumer ring of primitive slots. When the monitor falls behind, further anomalies are
 * still counted (by the tracer) but not kept for the log, and {@link #overflows()} says how many.
 */
final class AnomalyRing
{
    private static final int CAPACITY = 1 << 12;
    private static final int MASK = CAPACITY - 1;
    private static final int NO_REASON = -1;
    private static final AnomalyKind[] KINDS = AnomalyKind.values();
    private static final Stage[] STAGES = Stage.values();
    private static final DeadLetterReason[] REASONS = DeadLetterReason.values();

    private final long[] ids = new long[CAPACITY];
    private final long[] durations = new long[CAPACITY];
    private final int[] subscribers = new int[CAPACITY];
    private final byte[] kinds = new byte[CAPACITY];
    private final byte[] stages = new byte[CAPACITY];
    private final byte[] reasons = new byte[CAPACITY];
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong tail = new AtomicLong();
    private final SingleWriterCounter overflows = new SingleWriterCounter();

    /** Producer (delivery thread) only. */
    void offer(final AnomalyKind kind, final Stage stage, final long id, final int subscriber, final long nanos,
        final DeadLetterReason reason)
    {
        final long position = head.get();
        if (position - tail.get() >= CAPACITY)
        {
            overflows.increment();
            return;
        }
        final int slot = (int)(position & MASK);
        ids[slot] = id;
        durations[slot] = nanos;
        subscribers[slot] = subscriber;
        kinds[slot] = (byte)kind.ordinal();
        stages[slot] = (byte)stage.ordinal();
        reasons[slot] = (byte)(null == reason ? NO_REASON : reason.ordinal());
        head.lazySet(position + 1);
    }

    /**
     * Consumer (monitor thread) only: hands over every anomaly offered so far.
     *
     * @param sink receives each one, oldest first.
     * @return how many were drained.
     */
    int drain(final Consumer<Anomaly> sink)
    {
        final long from = tail.get();
        final long to = head.get();
        for (long position = from; position < to; position++)
        {
            final int slot = (int)(position & MASK);
            final String detail = NO_REASON == reasons[slot] ? "" : REASONS[reasons[slot]].label();
            sink.accept(new Anomaly(KINDS[kinds[slot]], STAGES[stages[slot]], ids[slot], subscribers[slot],
                durations[slot], detail));
            tail.lazySet(position + 1);
        }
        return (int)(to - from);
    }

    /** @return anomalies not kept because the ring was full. */
    long overflows()
    {
        return overflows.get();
    }
}
