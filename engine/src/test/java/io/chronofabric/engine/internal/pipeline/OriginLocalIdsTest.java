package io.chronofabric.engine.internal.pipeline;

import io.chronofabric.journal.RecordLayout;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OriginLocalIdsTest
{
    @Test
    void findsTheLocalIdOfARememberedOriginAndNothingForOthers()
    {
        final OriginLocalIds ids = new OriginLocalIds(64);
        ids.remember(2, 7, 1_001);
        ids.remember(300, 7, 1_002);

        assertEquals(1_001, ids.localIdOf(RecordLayout.remoteDependency(2, 7)));
        assertEquals(1_002, ids.localIdOf(RecordLayout.remoteDependency(300, 7)));
        assertEquals(0, ids.localIdOf(RecordLayout.remoteDependency(2, 8)), "not remembered");
        assertEquals(0, ids.localIdOf(RecordLayout.remoteDependency(3, 7)), "a node never seen");
        assertEquals(0, ids.localIdOf(RecordLayout.remoteDependency(2, 7 + 64)), "same slot, another origin id");
    }

    @Test
    void aLaterOriginIdInTheSameSlotTakesItOver()
    {
        final OriginLocalIds ids = new OriginLocalIds(64);
        ids.remember(2, 7, 1_001);
        ids.remember(2, 7 + 64, 1_500);

        assertEquals(1_500, ids.localIdOf(RecordLayout.remoteDependency(2, 7 + 64)));
        assertEquals(0, ids.localIdOf(RecordLayout.remoteDependency(2, 7)));
    }
}
