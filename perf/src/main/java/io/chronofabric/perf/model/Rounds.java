package io.chronofabric.perf.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The small arithmetic of interleaved rounds: the order systems run in, medians and ratios.
 */
public final class Rounds
{
    private Rounds()
    {
    }

    /**
     * @param items the base order.
     * @param round the round, from 0.
     * @param <T>   the item type.
     * @return the base order rotated left by {@code round}, so that each item leads one round in turn.
     */
    public static <T> List<T> rotate(final List<T> items, final int round)
    {
        final List<T> rotated = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++)
        {
            rotated.add(items.get((i + round) % items.size()));
        }
        return rotated;
    }

    /**
     * @param values some values (not modified).
     * @return their median (the mean of the middle two for an even count), NaN when there are none.
     */
    public static double median(final double[] values)
    {
        if (0 == values.length)
        {
            return Double.NaN;
        }
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        final int middle = sorted.length / 2;
        return 0 == sorted.length % 2 ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle];
    }

    /**
     * @param value    a measurement of ChronoFabric.
     * @param baseline the same measurement of a baseline.
     * @return value / baseline; NaN when the baseline is 0 or either is unknown (negative or NaN).
     */
    public static double ratio(final double value, final double baseline)
    {
        if (!(baseline > 0) || !(value >= 0))
        {
            return Double.NaN;
        }
        return value / baseline;
    }

    /**
     * The ratio of two systems' throughput taken round by round (each pair ran back to back, under the same machine
     * conditions) and then the median of those ratios.
     *
     * @param values    ChronoFabric's throughput per round.
     * @param baselines the baseline's throughput per round, same rounds.
     * @return the median per-round ratio, NaN when there is no complete pair.
     */
    public static double pairedRatio(final double[] values, final double[] baselines)
    {
        final int rounds = Math.min(values.length, baselines.length);
        final double[] ratios = new double[rounds];
        int count = 0;
        for (int i = 0; i < rounds; i++)
        {
            final double ratio = ratio(values[i], baselines[i]);
            if (!Double.isNaN(ratio))
            {
                ratios[count++] = ratio;
            }
        }
        return median(Arrays.copyOf(ratios, count));
    }
}
