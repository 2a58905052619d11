package io.chronofabric.perf.model;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoundsTest
{
    @Test
    void shouldLetEachSystemLeadOneRoundInTurn()
    {
        final List<String> systems = List.of("a", "b", "c");
        assertEquals(List.of("a", "b", "c"), Rounds.rotate(systems, 0));
        assertEquals(List.of("b", "c", "a"), Rounds.rotate(systems, 1));
        assertEquals(List.of("c", "a", "b"), Rounds.rotate(systems, 2));
        assertEquals(List.of("a", "b", "c"), Rounds.rotate(systems, 3));
    }

    @Test
    void shouldTakeTheMedianOfOddAndEvenCounts()
    {
        assertEquals(3, Rounds.median(new double[] {5, 1, 3}));
        assertEquals(2.5, Rounds.median(new double[] {4, 1, 3, 2}));
        assertTrue(Double.isNaN(Rounds.median(new double[0])));
    }

    @Test
    void shouldPairRatiosRoundByRoundThenTakeTheirMedian()
    {
        // round 2 ran on a slow machine for both: paired, that round still says 0.5; the medians alone would say 1.0
        final double[] chronoFabric = {10, 10, 30};
        final double[] baseline = {5, 20, 10};
        assertEquals(2.0, Rounds.pairedRatio(chronoFabric, baseline), 1e-9);
        assertEquals(1.0, Rounds.ratio(Rounds.median(chronoFabric), Rounds.median(baseline)), 1e-9);
    }

    @Test
    void shouldNotDivideByAnUnmeasuredBaseline()
    {
        assertTrue(Double.isNaN(Rounds.ratio(1, 0)));
        assertTrue(Double.isNaN(Rounds.ratio(-1, 2)));
        assertEquals(0.5, Rounds.ratio(1, 2));
        assertEquals(3.0, Rounds.pairedRatio(new double[] {3, 6}, new double[] {0, 2}), 1e-9);
    }
}
