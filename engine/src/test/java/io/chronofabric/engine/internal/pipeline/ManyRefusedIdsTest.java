package io.chronofabric.engine.internal.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import io.chronofabric.engine.internal.event.SingleWriterCounter;
import io.chronofabric.journal.Durability;
import io.chronofabric.journal.SettledState;
import io.chronofabric.journal.SettlementWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * More refused ids in one gap than a settlement document holds (1,024): the documents written along the way record
 * every one, a start reads them all back, and none of them names a refused id as its high, which the journal tool
 * takes for a journaled message (a review found id 1,026 named so, and {@code journal verify} reporting it lost).
 */
class ManyRefusedIdsTest
{
    @TempDir
    Path dir;

    @Test
    void shouldRecordEveryRefusedIdOfALongGapAndNameNoneAsJournaled()
    {
        try (SettlementWriter writer = new SettlementWriter(dir, "FAST_DAILY", Durability.NONE))
        {
            final SettlementTracker tracker = new SettlementTracker(writer, SettledState.empty(), 0,
                new SingleWriterCounter(), id -> false, () -> { }, 1 << 20);
            tracker.prepare();
            tracker.settled(1, 0, false);
            tracker.endOfBatch();
            tracker.settled(3_000, 1, false); // ids 2..2,999 were refused
            tracker.endOfBatch();
        }

        final SettledState state = SettledState.read(dir, 1 << 20);
        assertEquals(3_000, state.watermark());
        assertArrayEquals(LongStream.rangeClosed(2, 2_999).toArray(), state.refusedAtOrBelowWatermark());
        final List<Long> named = new ArrayList<>();
        assertTrue(SettledState.checkAll(dir, ex -> { throw ex; }, (index, id) -> named.add(id)) > 2,
            "the gap took several documents");
        assertTrue(named.stream().allMatch(id -> 0 == id || 1 == id || 3_000 == id), "named as journaled: " + named);
    }
}
