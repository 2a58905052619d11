package io.chronofabric.cli.clock;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Measured clocks against a temporal accuracy goal (the seed's ±10 ns). Every measurement that exceeds the goal is
 * a reason it cannot be met here (a drift or offset only by more than its own uncertainty, which is a reason of its
 * own when it exceeds the goal); when none does, the goal is only not ruled out, since nothing on one host measures
 * its clock against true time.
 *
 * @param goalNanos  the goal, ± nanoseconds.
 * @param achievable false when a measurement exceeds the goal.
 * @param reasons    the measurements that exceed it, each a short phrase.
 * @param line       the verdict as one line.
 */
public record ClockVerdict(long goalNanos, boolean achievable, List<String> reasons, String line)
{
    /** The seed's goal: ±10 ns. */
    public static final long GOAL_NANOS = 10;

    private static final double NANOS_PER_SECOND = 1e9;

    /**
     * @param goalNanos the goal, ± nanoseconds.
     * @param costs     each clock's read cost and granularity.
     * @param drift     wall against monotonic.
     * @param peers     what a running engine serves, or null when none was asked.
     * @return the verdict.
     */
    public static ClockVerdict judge(final long goalNanos, final List<ReadCost> costs, final DriftMeasurement drift,
        final PeerClocks peers)
    {
        final List<String> reasons = new ArrayList<>();
        final List<String> coarse = new ArrayList<>();
        final List<String> slow = new ArrayList<>();
        for (final ReadCost cost : costs)
        {
            if (cost.granularityNanos() > goalNanos)
            {
                coarse.add(cost.granularityNanos() + " ns (" + cost.clock() + ")");
            }
            if (cost.p50Nanos() > goalNanos)
            {
                slow.add(String.format("%.1f ns (%s)", cost.p50Nanos(), cost.clock()));
            }
        }
        if (!coarse.isEmpty())
        {
            reasons.add("granularity " + String.join(", ", coarse));
        }
        if (!slow.isEmpty())
        {
            reasons.add("read cost p50 " + String.join(", ", slow));
        }
        for (final WallDrift wall : drift.drifts())
        {
            // a drift within its own uncertainty is not shown to be one (as CockroachDB judges clock offsets)
            if (Math.abs(wall.driftNanos()) - wall.uncertaintyNanos() > goalNanos)
            {
                reasons.add(String.format("%s moved %,d ns against the monotonic clock in %d ms", wall.clock(),
                    wall.driftNanos(), drift.intervalMillis()));
            }
        }
        final long uncertainty = drift.drifts().stream().mapToLong(WallDrift::uncertaintyNanos).max().orElse(0);
        if (uncertainty > goalNanos)
        {
            reasons.add("reading two clocks side by side is uncertain by ±" + uncertainty + " ns");
        }
        if (Math.abs(drift.engineMinusRealtimeNanos()) - drift.engineMinusRealtimeUncertaintyNanos() > goalNanos)
        {
            reasons.add(String.format("%s is %,d ns from %s", DriftMeasurement.ENGINE_WALL,
                drift.engineMinusRealtimeNanos(), DriftMeasurement.REALTIME));
        }
        if (null != peers)
        {
            peerReasons(goalNanos, peers, reasons);
        }
        final boolean achievable = reasons.isEmpty();
        final String line = achievable ?
            "every measurement is within ±" + goalNanos + " ns: the goal is not ruled out here, but one host cannot " +
                "show its clock's error against true time (that needs an external reference such as PTP)" :
            String.join("; ", reasons) + ": ±" + goalNanos + " ns is not achievable on this host";
        return new ClockVerdict(goalNanos, achievable, List.copyOf(reasons), line);
    }

    private static void peerReasons(final long goalNanos, final PeerClocks peers, final List<String> reasons)
    {
        for (final PeerClocks.Peer peer : peers.peers())
        {
            final OptionalDouble offset = peer.offsetSeconds();
            final OptionalDouble rtt = peer.rttP50Seconds();
            // an offset read over the network is known only to within half the round trip
            final double bound = Math.abs(offset.orElse(0)) + rtt.orElse(0) / 2;
            if (bound * NANOS_PER_SECOND > goalNanos)
            {
                reasons.add(String.format("peer %s offset %,.0f ns ± %,.0f ns (half its median round trip)",
                    peer.peer(), offset.orElse(Double.NaN) * NANOS_PER_SECOND, rtt.orElse(Double.NaN) *
                        NANOS_PER_SECOND / 2));
            }
        }
        final double hlc = peers.hlcDriftSeconds().orElse(0);
        if (hlc * NANOS_PER_SECOND > goalNanos)
        {
            reasons.add(String.format("the HLC leads the wall clock by %,.0f ns", hlc * NANOS_PER_SECOND));
        }
    }
}
