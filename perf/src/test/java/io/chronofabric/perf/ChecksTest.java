package io.chronofabric.perf;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.chronofabric.perf.model.BaselineRatio;
import io.chronofabric.perf.model.Check;
import io.chronofabric.perf.model.PerfPlan;
import io.chronofabric.perf.spi.SystemKind;
import io.chronofabric.perf.spi.SystemSpec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChecksTest
{
    private static final PerfPlan PLAN = new PerfPlan(new SystemSpec("dev", Map.of(), 64, Path.of("data")),
        List.of(SystemKind.CHRONOFABRIC_TWO_NODE, SystemKind.RAW_AERON), 1, 0, 1_000, 100_000, 1, null, 100_000_000L,
        Path.of("out"), true);

    @Test
    void shouldPassTheTwoNodeGoalsAtHalfRawAeronsThroughputAndOneAndAHalfTimesItsP50()
    {
        final List<Check> checks = twoNodeChecks(new BaselineRatio(SystemKind.RAW_AERON, 0.5, 1.5, 9, Double.NaN));
        assertEquals(List.of("two_node_throughput_vs_raw_aeron", "two_node_p50_vs_raw_aeron"),
            checks.stream().map(Check::name).toList());
        assertTrue(checks.get(0).met());
        assertTrue(checks.get(1).met());
        assertEquals(0.5, checks.get(0).value());
        assertEquals(1.5, checks.get(1).value());
    }

    @Test
    void shouldFailEachTwoNodeGoalThatTheRatiosMiss()
    {
        final List<Check> slow = twoNodeChecks(new BaselineRatio(SystemKind.RAW_AERON, 0.49, 1.0, 1, Double.NaN));
        assertFalse(slow.get(0).met());
        assertTrue(slow.get(1).met());
        final List<Check> late = twoNodeChecks(new BaselineRatio(SystemKind.RAW_AERON, 2.0, 1.51, 1, Double.NaN));
        assertTrue(late.get(0).met());
        assertFalse(late.get(1).met());
    }

    @Test
    void shouldReportTheTwoNodeGoalsAsUndecidedWhenRawAeronDidNotRun()
    {
        final List<Check> checks = Checks.of(PLAN, Map.of(SystemKind.CHRONOFABRIC_TWO_NODE, Map.of()), Map.of(),
            Map.of());
        assertEquals(2, checks.size());
        assertNull(checks.get(0).met());
        assertNull(checks.get(1).met());
    }

    @Test
    void shouldCheckNothingWhenNoChronoFabricSystemRan()
    {
        assertEquals(List.of(), Checks.of(PLAN, Map.of(SystemKind.RAW_AERON, Map.of()), Map.of(), Map.of()));
    }

    private static List<Check> twoNodeChecks(final BaselineRatio ratio)
    {
        return Checks.of(PLAN, Map.of(SystemKind.CHRONOFABRIC_TWO_NODE, Map.of()), Map.of(),
            Map.of(SystemKind.CHRONOFABRIC_TWO_NODE, ratio));
    }
}
