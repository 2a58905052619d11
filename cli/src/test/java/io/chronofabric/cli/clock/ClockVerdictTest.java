package io.chronofabric.cli.clock;

import java.util.List;
import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The verdict names every measurement over the goal, and never calls the goal met: at best not ruled out. */
class ClockVerdictTest
{
    private static final DriftMeasurement STEADY = new DriftMeasurement(1000,
        List.of(new WallDrift("SystemWallClock", 1_000_000_000L, 0, 0, 5),
            new WallDrift("CLOCK_REALTIME", 1_000_000_000L, 3, 0.003, 5)), 2, 5);

    @Test
    void shouldNameEachClockThatIsTooCoarseOrTooSlowToRead()
    {
        final ClockVerdict verdict = ClockVerdict.judge(10, List.of(new ReadCost("System.nanoTime", 20.8, 22, 20,
            1, 100), new ReadCost("SystemWallClock", 9.5, 12, 9, 1, 100)), STEADY, null);

        assertFalse(verdict.achievable());
        assertEquals(List.of("granularity 20 ns (System.nanoTime)", "read cost p50 20.8 ns (System.nanoTime)"),
            verdict.reasons());
        assertEquals("granularity 20 ns (System.nanoTime); read cost p50 20.8 ns (System.nanoTime): ±10 ns is not " +
            "achievable on this host", verdict.line());
    }

    @Test
    void shouldNameADriftTheBracketsAndAnEngineWallClockOffFromRealtime()
    {
        final DriftMeasurement drifting = new DriftMeasurement(1000,
            List.of(new WallDrift("SystemWallClock", 1_000_000_000L, 250_000, 250, 35)), -1_000, 35);

        final ClockVerdict verdict = ClockVerdict.judge(10, List.of(), drifting, null);

        assertEquals(List.of("SystemWallClock moved 250,000 ns against the monotonic clock in 1000 ms",
            "reading two clocks side by side is uncertain by ±35 ns", "SystemWallClock is -1,000 ns from CLOCK_REALTIME"),
            verdict.reasons());
    }

    @Test
    void shouldNotCallADriftWithinItsOwnUncertaintyADrift()
    {
        final DriftMeasurement noisy = new DriftMeasurement(1000,
            List.of(new WallDrift("CLOCK_REALTIME", 1_000_000_000L, 150, 0.15, 150)), 20, 15);

        final ClockVerdict verdict = ClockVerdict.judge(10, List.of(), noisy, null);

        assertEquals(List.of("reading two clocks side by side is uncertain by ±150 ns"), verdict.reasons(),
            "150 ± 150 ns and 20 ± 15 ns may both be 0: only the uncertainty itself is over the goal");
    }

    @Test
    void shouldBoundAPeerOffsetByHalfItsRoundTrip()
    {
        final PeerClocks peers = new PeerClocks(List.of(
            new PeerClocks.Peer("2", OptionalDouble.of(2e-9), OptionalDouble.of(4e-9), OptionalDouble.empty()),
            new PeerClocks.Peer("3", OptionalDouble.of(2e-9), OptionalDouble.of(20e-9), OptionalDouble.empty())),
            OptionalDouble.of(0));

        final ClockVerdict verdict = ClockVerdict.judge(10, List.of(), STEADY, peers);

        assertEquals(List.of("peer 3 offset 2 ns ± 10 ns (half its median round trip)"), verdict.reasons(),
            "peer 2: 2 + 4/2 = 4 ns is within the goal; peer 3: 2 + 20/2 = 12 ns is not");
    }

    @Test
    void shouldSayOnlyNotRuledOutWhenEveryMeasurementIsWithinTheGoal()
    {
        final ClockVerdict verdict = ClockVerdict.judge(10, List.of(new ReadCost("TSC", 6, 9, 1, 1, 100)), STEADY,
            null);

        assertTrue(verdict.achievable());
        assertTrue(verdict.reasons().isEmpty());
        assertTrue(verdict.line().contains("not ruled out"), verdict.line());
        assertTrue(verdict.line().contains("external reference"), verdict.line());
    }
}
