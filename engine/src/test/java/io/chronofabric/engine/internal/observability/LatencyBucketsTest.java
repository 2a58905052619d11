package io.chronofabric.engine.internal.observability;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The latency histograms' buckets are what the README lists: 1, 2.5 and 5 of every decade from 100 ns to 1 s, then
 * 10 s, plus the profile's targets. 50 ms and 500 ms were missing.
 */
class LatencyBucketsTest
{
    @Test
    void shouldHaveOneTwoAndAHalfAndFiveOfEveryDecadeFrom100NanosecondsTo1SecondThen10Seconds()
    {
        final long[] bounds = new LatencyBuckets().boundsNanos();
        for (long decade = 100; decade < 1_000_000_000L; decade *= 10)
        {
            for (final long bound : new long[] {decade, decade * 5 / 2, decade * 5})
            {
                assertTrue(Arrays.binarySearch(bounds, bound) >= 0, bound + " ns in " + Arrays.toString(bounds));
            }
        }
        assertTrue(Arrays.binarySearch(bounds, 1_000_000_000L) >= 0, "1 s");
        assertTrue(Arrays.binarySearch(bounds, 10_000_000_000L) >= 0, "10 s");
        assertTrue(bounds.length == 3 * 7 + 2, Arrays.toString(bounds));
    }

    @Test
    void shouldAddTheTargetsInOrderWithoutDuplicates()
    {
        final long[] bounds = new LatencyBuckets(200_000, 100, 3_000).boundsNanos();
        final long[] sorted = Arrays.stream(bounds).sorted().distinct().toArray();
        assertArrayEquals(sorted, bounds);
        assertTrue(Arrays.binarySearch(bounds, 200_000) >= 0 && Arrays.binarySearch(bounds, 3_000) >= 0);
    }
}
