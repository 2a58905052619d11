package io.chronofabric.journal;

import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordLayoutTest
{
    @Test
    void aRecordShippedFromAnotherNodeIsNamedByItsOriginAndNoOtherIs()
    {
        final MessageRecord record = new MessageRecord(1, 8);
        record.id(40).originNode(1).originId(40);
        assertEquals(0, RecordLayout.crossNodeName(record), "this node's own message");
        record.originNode(2).originId(7).flags(RecordFlags.REMOTE);
        assertEquals(RecordLayout.remoteDependency(2, 7), RecordLayout.crossNodeName(record));
        record.originId(0);
        assertEquals(0, RecordLayout.crossNodeName(record), "relayed with node 2's clock only: no id to name");
        record.originId(RecordLayout.MAX_REMOTE_ORIGIN_ID + 1);
        assertEquals(0, RecordLayout.crossNodeName(record), "an origin id no dependency can name");
    }

    @Test
    void shouldRoundTripCrossNodeDependenciesAtTheEdgesOfTheirRange()
    {
        final int[] nodes = {1, 2, 0x7FFF, 0x8000, 0xFFFE, 0xFFFF};
        final long[] ids = {1, 2, 0xFFFF_FFFFL, RecordLayout.MAX_REMOTE_ORIGIN_ID - 1, RecordLayout.MAX_REMOTE_ORIGIN_ID};
        for (final int node : nodes)
        {
            for (final long id : ids)
            {
                final long dependency = RecordLayout.remoteDependency(node, id);
                assertTrue(RecordLayout.isRemoteDependency(dependency), node + ":" + id);
                assertEquals(node, RecordLayout.remoteDependencyNode(dependency), node + ":" + id);
                assertEquals(id, RecordLayout.remoteDependencyOriginId(dependency), node + ":" + id);
            }
        }
    }

    @Test
    void shouldGiveDistinctDependenciesForDistinctNodesAndIds()
    {
        final Random random = new Random(0xD1D5L);
        for (int i = 0; i < 10_000; i++)
        {
            final int node = 1 + random.nextInt(0xFFFF);
            final long id = 1 + (random.nextLong() >>> 17) % RecordLayout.MAX_REMOTE_ORIGIN_ID;
            final long dependency = RecordLayout.remoteDependency(node, id);
            assertEquals(node, RecordLayout.remoteDependencyNode(dependency));
            assertEquals(id, RecordLayout.remoteDependencyOriginId(dependency));
            assertTrue(dependency != RecordLayout.remoteDependency(node == 1 ? 2 : node - 1, id));
            assertTrue(dependency != RecordLayout.remoteDependency(node, id == 1 ? 2 : id - 1));
        }
    }

    @Test
    void shouldNeverTakeALocalIdForACrossNodeDependency()
    {
        for (final long local : new long[] {0, 1, 42, Integer.MAX_VALUE, RecordLayout.MAX_REMOTE_ORIGIN_ID + 1,
            Long.MAX_VALUE})
        {
            assertFalse(RecordLayout.isRemoteDependency(local), Long.toString(local));
        }
    }

    @Test
    void shouldRefuseANodeOrOriginIdOutOfRange()
    {
        final long[][] bad = {{0, 1}, {-1, 1}, {0x10000, 1}, {Integer.MAX_VALUE, 1}, {1, 0}, {1, -1},
            {1, RecordLayout.MAX_REMOTE_ORIGIN_ID + 1}, {1, Long.MAX_VALUE}, {0xFFFF, Long.MIN_VALUE}};
        for (final long[] pair : bad)
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> RecordLayout.remoteDependency((int)pair[0], pair[1]), pair[0] + ":" + pair[1]);
            assertEquals("cross-node dependency (node " + pair[0] + ", id " + pair[1] + ") must have node in " +
                "[1, 65535] and id in [1, " + RecordLayout.MAX_REMOTE_ORIGIN_ID + "]", ex.getMessage());
        }
    }

    @Test
    void shouldSizeAVersion2RecordWithItsOriginId()
    {
        assertEquals(RecordLayout.V1_HEADER_LENGTH + 8, RecordLayout.HEADER_LENGTH);
        assertEquals(RecordLayout.HEADER_LENGTH + 3 * 8 + 10 + 4, RecordLayout.recordLength(3, 10));
        assertEquals(RecordLayout.HEADER_LENGTH + 3 * 8, RecordLayout.payloadOffset(3));
    }
}
