package io.chronofabric.cli;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How {@code run --warmup N --rate R} splits its warm-up: N messages in all, the last of them at R, at most half of
 * N and half a second's worth; none paced at full speed ({@code --rate max}).
 */
class PacedWarmUpSplitTest
{
    @Test
    void shouldPaceHalfASecondsWorthOfTheWarmUpAtTheMeasuredRate()
    {
        assertEquals(50_000, RunCommand.pacedWarmUp(200_000, 100_000));
        assertEquals(1_000, RunCommand.pacedWarmUp(200_000, 2_000));
    }

    @Test
    void shouldPaceAtMostHalfOfTheWarmUp()
    {
        assertEquals(100_000, RunCommand.pacedWarmUp(200_000, 1_000_000));
        assertEquals(0, RunCommand.pacedWarmUp(1, 1_000_000));
    }

    @Test
    void shouldPaceNothingAtFullSpeedOrBelowTwoMessagesASecond()
    {
        assertEquals(0, RunCommand.pacedWarmUp(200_000, 0));
        assertEquals(0, RunCommand.pacedWarmUp(200_000, 1.9));
        assertEquals(0, RunCommand.pacedWarmUp(0, 100_000));
    }

    @Test
    void shouldKeepThePacedPartWithinBothBoundsForAnyWarmUpAndRate()
    {
        final long seed = System.nanoTime();
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 10_000; i++)
        {
            final long warmup = random.nextLong(0, Long.MAX_VALUE);
            final double rate = 0 == i % 7 ? 0 : random.nextDouble(1, 1e9);
            final long paced = RunCommand.pacedWarmUp(warmup, rate);
            final String example = "seed " + seed + ": --warmup " + warmup + " --rate " + rate + " paced " + paced;
            assertTrue(paced >= 0 && paced <= warmup / 2, example);
            assertTrue(paced <= rate * 0.5, example);
            assertTrue(rate > 0 || 0 == paced, example);
        }
    }
}
