package io.chronofabric.cli.journal;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import io.chronofabric.journal.TraceEntry;

/**
 * Compares two delivery orders read from latency traces, streaming, without holding either in memory: the
 * original trace, restricted to the replayed messages, against the replay engine's trace, restricted to messages the
 * original trace has (a crash may have lost the original's last trace batch).
 */
final class DeliveryOrder
{
    private final Map<String, Object> result = new LinkedHashMap<>();
    private boolean identical;

    private DeliveryOrder()
    {
    }

    /**
     * @param originalDir the journal replayed (its trace is the original order).
     * @param replayDir   the replay engine's journal folder (its trace is the replayed order).
     * @param replayed    the ids fed into the replay engine.
     * @param problems    where corrupt trace documents are reported.
     * @return the comparison.
     */
    static DeliveryOrder compare(final Path originalDir, final Path replayDir, final IdSet replayed,
        final Problems problems)
    {
        final DeliveryOrder order = new DeliveryOrder();
        final IdSet originalTraced = new IdSet();
        long originalCount = 0;
        try (TraceScan original = new TraceScan(originalDir, problems))
        {
            for (TraceEntry entry = original.next(); null != entry; entry = original.next())
            {
                if (replayed.contains(entry.id()) && originalTraced.add(entry.id()))
                {
                    originalCount++;
                }
            }
        }
        long compared = 0;
        long replayDelivered = 0;
        String mismatch = null;
        final IdSet seen = new IdSet();
        try (TraceScan original = new TraceScan(originalDir, problems);
             TraceScan replay = new TraceScan(replayDir, problems))
        {
            for (TraceEntry next = replay.next(); null != next; next = replay.next())
            {
                replayDelivered++;
                if (null != mismatch || !originalTraced.contains(next.id()))
                {
                    continue; // past the first difference the replay's deliveries are only counted
                }
                final long replayId = next.id();
                TraceEntry expected = original.next();
                while (null != expected && !(replayed.contains(expected.id()) && seen.add(expected.id())))
                {
                    expected = original.next();
                }
                if (null == expected || expected.id() != replayId)
                {
                    mismatch = "position " + (compared + 1) + ": the original delivered " +
                        (null == expected ? "nothing more" : "id " + expected.id()) + ", the replay id " + replayId;
                    continue;
                }
                compared++;
            }
        }
        order.identical = null == mismatch && compared == originalCount;
        order.result.put("original_traced", originalCount);
        order.result.put("replay_delivered", replayDelivered);
        order.result.put("compared", compared);
        order.result.put("identical", order.identical);
        if (null != mismatch)
        {
            order.result.put("first_difference", mismatch);
        }
        else if (compared != originalCount)
        {
            order.result.put("first_difference", "the replay delivered only " + compared + " of the " + originalCount
                + " messages the original trace has");
        }
        return order;
    }

    /** @return true when the replay delivered the originally traced messages in the original order. */
    boolean identical()
    {
        return identical;
    }

    /** @return the comparison's facts for the report. */
    Map<String, Object> result()
    {
        return result;
    }
}
