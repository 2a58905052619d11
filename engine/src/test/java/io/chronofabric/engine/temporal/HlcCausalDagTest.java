package io.chronofabric.engine.temporal;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.chronofabric.engine.internal.clock.HlcTimestamps;
import io.chronofabric.engine.internal.clock.HybridClock;
import io.chronofabric.engine.api.ManualWallClock;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * HLC causality over random DAGs (the part of the HLC list {@code clock/HybridClockTest} does not cover: it
 * exchanges single messages in FIFO order per destination). Here each event of a simulated node merges any number of
 * earlier messages from any nodes, in any order, possibly ones it merged before, then stamps its own: every event's
 * timestamp must be above those of all its causal ancestors, however the DAG is shaped and however the nodes'
 * physical clocks are skewed, jittered or stepped back.
 */
class HlcCausalDagTest
{
    private static final long MAX_OFFSET = 500_000_000L;
    private static final long EPSILON = 100_000_000L;

    @Test
    void shouldStampEveryEventAboveAllItsCausalAncestorsAcrossNodesOnRandomDags()
    {
        final long seed = System.nanoTime();
        final SplittableRandom random = new SplittableRandom(seed);
        final int nodes = 5;
        final ManualWallClock[] clocks = new ManualWallClock[nodes];
        final HybridClock[] hlcs = new HybridClock[nodes];
        final long[] skew = new long[nodes];
        for (int i = 0; i < nodes; i++)
        {
            clocks[i] = new ManualWallClock(0);
            hlcs[i] = new HybridClock(clocks[i], MAX_OFFSET, Integer.MAX_VALUE);
            skew[i] = random.nextLong(-EPSILON, EPSILON + 1);
        }
        final int events = 200_000;
        final long[] wall = new long[events];
        final int[] logical = new int[events];
        final int[][] parents = new int[events][];
        final int[] previousOnNode = new int[nodes];
        java.util.Arrays.fill(previousOnNode, -1);
        long trueTime = 1_700_000_000_000_000_000L;
        for (int e = 0; e < events; e++)
        {
            trueTime += 0 == random.nextInt(10) ? random.nextLong(2_000_000) : random.nextLong(3);
            final int node = random.nextInt(nodes);
            // skew, jitter, and now and then a step back of up to a tenth of epsilon
            final long jitter = 0 == random.nextInt(1_000) ? -random.nextLong(EPSILON / 10) : random.nextLong(1_000);
            clocks[node].set(trueTime + skew[node] + jitter);
            final int parentCount = 0 == e ? 0 : random.nextInt(4);
            final List<Integer> chosen = new ArrayList<>();
            for (int p = 0; p < parentCount; p++)
            {
                // recent events mostly, any event sometimes
                final int from = random.nextBoolean() ? Math.max(0, e - 100) : 0;
                final int parent = from + random.nextInt(e - from);
                chosen.add(parent);
                if (!hlcs[node].receive(wall[parent], logical[parent]))
                {
                    fail("seed=" + seed + ": event " + parent + " within the skew bound was rejected at event " + e);
                }
            }
            hlcs[node].now();
            wall[e] = hlcs[node].wall();
            logical[e] = hlcs[node].logical();
            if (0 <= previousOnNode[node])
            {
                chosen.add(previousOnNode[node]);
            }
            previousOnNode[node] = e;
            parents[e] = chosen.stream().mapToInt(Integer::intValue).toArray();
            for (final int parent : parents[e])
            {
                if (HlcTimestamps.compare(wall[e], logical[e], wall[parent], logical[parent]) <= 0)
                {
                    fail("seed=" + seed + ": event " + e + " on node " + node + " stamped " +
                        HlcTimestamps.format(wall[e], logical[e]) + ", not above its parent " + parent + " at " +
                        HlcTimestamps.format(wall[parent], logical[parent]));
                }
            }
        }
        // ancestors further up: random walks up the DAG from random events
        for (int sample = 0; sample < 20_000; sample++)
        {
            final int descendant = random.nextInt(events);
            int ancestor = descendant;
            for (int step = 0; step < 1 + random.nextInt(50) && 0 < parents[ancestor].length; step++)
            {
                ancestor = parents[ancestor][random.nextInt(parents[ancestor].length)];
            }
            if (ancestor != descendant &&
                HlcTimestamps.compare(wall[descendant], logical[descendant], wall[ancestor], logical[ancestor]) <= 0)
            {
                fail("seed=" + seed + ": event " + descendant + " is not above its ancestor " + ancestor);
            }
        }
        for (final HybridClock hlc : hlcs)
        {
            assertEquals(0, hlc.offsetRejections(), "seed=" + seed);
        }
    }
}
