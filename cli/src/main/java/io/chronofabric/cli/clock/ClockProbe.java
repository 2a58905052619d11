package io.chronofabric.cli.clock;

import java.util.Arrays;

/**
 * Measures a clock's read cost and granularity separately, as Shipilëv's "Nanotrusting the Nanotime" does: the cost
 * from batches of reads timed as a whole, so that the two {@code nanoTime} calls around a batch add a fraction of a
 * nanosecond to each read instead of their own cost; the granularity from the smallest positive step between
 * consecutive reads. A read cost or granularity near a clock's own cannot be measured with that clock.
 */
public final class ClockProbe
{
    /** Reads per timed batch: the timer's own cost spread over this many reads. */
    public static final int READS_PER_BATCH = 100;
    /** Timed batches per clock. */
    public static final int BATCHES = 20_000;
    /** Consecutive reads searched for the smallest step. */
    public static final int STEP_READS = 1_000_000;
    private static final int WARM_UP_ROUNDS = 3;

    /** Keeps what the batches read alive, so that the compiler cannot drop the reads. */
    private static volatile long sink;

    private ClockProbe()
    {
    }

    /**
     * Warms the clock's loops up (so that they are compiled), then measures.
     *
     * @param clock the clock.
     * @return its read cost and granularity.
     */
    public static ReadCost measure(final ProbedClock clock)
    {
        for (int round = 0; round < WARM_UP_ROUNDS; round++)
        {
            batchCosts(clock, BATCHES);
            sink += clock.smallestStep(STEP_READS / 10);
        }
        final double[] costs = batchCosts(clock, BATCHES);
        Arrays.sort(costs);
        final long step = clock.smallestStep(STEP_READS);
        return new ReadCost(clock.label(), percentile(costs, 0.50), percentile(costs, 0.99),
            Long.MAX_VALUE == step ? 0 : step, BATCHES, READS_PER_BATCH);
    }

    private static double[] batchCosts(final ProbedClock clock, final int batches)
    {
        final double[] costs = new double[batches];
        long read = 0;
        for (int i = 0; i < batches; i++)
        {
            final long start = System.nanoTime();
            read += clock.readBatch(READS_PER_BATCH);
            costs[i] = (System.nanoTime() - start) / (double)READS_PER_BATCH;
        }
        sink += read;
        return costs;
    }

    /**
     * @param sorted values in ascending order, at least one.
     * @param q      the quantile, in [0, 1].
     * @return the value at rank {@code ceil(q * n)} (nearest rank).
     */
    static double percentile(final double[] sorted, final double q)
    {
        final int rank = (int)Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
