package io.chronofabric.perf.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.chronofabric.perf.spi.SystemKind;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateSweepTest
{
    private static final long BOUND = 1_000_000;
    private static final PerfPlan.SweepSettings SETTINGS = new PerfPlan.SweepSettings(50_000, 2, 1, 0.1, 1, BOUND);

    /** A system that keeps within the bound up to its capacity and far beyond it above. */
    private static long p99(final double capacity, final double rate)
    {
        return rate <= capacity ? BOUND / 2 : BOUND * 10;
    }

    @Test
    void shouldFindTheHighestRateWithinTheBoundAndBisectTheGap()
    {
        final Map<SystemKind, Double> caps = Map.of(SystemKind.CHRONOFABRIC, 1e9);
        final RateSweep.Result result = new RateSweep(SETTINGS).run(List.of(SystemKind.CHRONOFABRIC), caps,
            (kind, rate) -> p99(300_000, rate)).get(SystemKind.CHRONOFABRIC);
        // 50k, 100k, 200k within; 400k beyond; then sqrt(200k * 400k) = 282.8k within
        assertEquals(5, result.steps().size());
        assertEquals(Math.sqrt(200_000.0 * 400_000.0), result.highestSustainable(), 1e-6);
        assertEquals(400_000, result.lowestFailing(), 1e-6);
        assertTrue(result.steps().get(3).rate() == 400_000 && !result.steps().get(3).within());
    }

    @Test
    void shouldStopAtTheCapAfterTryingItAndReportNoFailure()
    {
        final Map<SystemKind, Double> caps = Map.of(SystemKind.DISRUPTOR, 150_000.0);
        final RateSweep.Result result = new RateSweep(SETTINGS).run(List.of(SystemKind.DISRUPTOR), caps,
            (kind, rate) -> p99(Double.MAX_VALUE, rate)).get(SystemKind.DISRUPTOR);
        // 50k, 100k, then the cap instead of 200k (a black-box round saw 400k reported with 798k untried)
        assertEquals(3, result.steps().size());
        assertEquals(150_000, result.steps().get(2).rate(), 1e-6);
        assertEquals(150_000, result.highestSustainable(), 1e-6);
        assertEquals(0, result.lowestFailing());
    }

    @Test
    void shouldBisectBelowTheCapWhenTheCapIsBeyondTheBound()
    {
        final Map<SystemKind, Double> caps = Map.of(SystemKind.DISRUPTOR, 150_000.0);
        final RateSweep.Result result = new RateSweep(SETTINGS).run(List.of(SystemKind.DISRUPTOR), caps,
            (kind, rate) -> p99(130_000, rate)).get(SystemKind.DISRUPTOR);
        assertEquals(150_000, result.lowestFailing(), 1e-6);
        assertEquals(Math.sqrt(100_000.0 * 150_000.0), result.highestSustainable(), 1e-6);
    }

    @Test
    void shouldReportNothingSustainableWhenTheStartRateIsBeyond()
    {
        final Map<SystemKind, Double> caps = Map.of(SystemKind.BLOCKING_QUEUE, 1e9);
        final RateSweep.Result result = new RateSweep(SETTINGS).run(List.of(SystemKind.BLOCKING_QUEUE), caps,
            (kind, rate) -> BOUND + 1).get(SystemKind.BLOCKING_QUEUE);
        assertEquals(1, result.steps().size());
        assertEquals(0, result.highestSustainable());
        assertEquals(50_000, result.lowestFailing(), 1e-6);
    }

    @Test
    void shouldTryEachRateOnEverySystemStillInTheSweepBeforeTheNext()
    {
        final List<SystemKind> kinds = List.of(SystemKind.CHRONOFABRIC, SystemKind.DISRUPTOR, SystemKind.CHRONICLE);
        final Map<SystemKind, Double> caps = new LinkedHashMap<>();
        kinds.forEach(kind -> caps.put(kind, 1e9));
        final Map<SystemKind, Double> capacity = Map.of(SystemKind.CHRONOFABRIC, 120_000.0, SystemKind.DISRUPTOR,
            900_000.0, SystemKind.CHRONICLE, 500_000.0);
        final List<String> calls = new ArrayList<>();
        final Map<SystemKind, RateSweep.Result> results = new RateSweep(SETTINGS).run(kinds, caps, (kind, rate) ->
        {
            calls.add(kind.label() + "@" + Math.round(rate));
            return p99(capacity.get(kind), rate);
        });
        // the first rate for all three, then the second for all three with another system leading
        assertEquals(List.of("chronofabric@50000", "disruptor@50000", "chronicle@50000",
            "disruptor@100000", "chronicle@100000", "chronofabric@100000"), calls.subList(0, 6));
        assertEquals(100_000, results.get(SystemKind.CHRONOFABRIC).highestSustainable(), 1e-6);
        assertEquals(800_000, results.get(SystemKind.DISRUPTOR).highestSustainable(), 1e-6);
        assertTrue(results.get(SystemKind.CHRONICLE).highestSustainable() >= 400_000);
    }
}
