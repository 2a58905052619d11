package io.chronofabric.node;

import java.nio.file.Path;

import io.aeron.Publication;
import io.aeron.Subscription;
import io.chronofabric.journal.JournalWriter;
import io.chronofabric.journal.MessageRecord;
import io.chronofabric.journal.RecordCodec;
import io.chronofabric.journal.RecordFlags;
import io.chronofabric.journal.RecordLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A peer that asks for a resend from far back (it restarted, or lost its journal's tail) gets this node's messages
 * again with their dependencies named as before: a dependency on a message this node received travels as one on that
 * message's origin, never as one on this node's own message of the same local id, which a peer would take as already
 * settled (or as a different message).
 * <p>
 * Node 1's journal: node 2's message at local id {@link #RECEIVED} (node 2's origin id {@link #RECEIVED_ORIGIN_ID}),
 * node 1's own message {@link #DEPENDENT} depending on it ({@link #WINDOW} ids back at most, as publish enforces), own
 * messages everywhere else, and one more received message far ahead whose id shares the received one's slot in the
 * shipper's memory of received origins. The first pass ships everything; then the peer asks for everything after
 * {@code DEPENDENT - 10}.
 */
class ResendFromFarBackShipsAReceivedDependencyByItsOriginTest
{
    private static final int MAX_DEPENDENCIES = 4;
    private static final int PAYLOAD_CAPACITY = 16;
    private static final int WINDOW = 1024;
    private static final long WALL = 1_790_000_000_000_000_000L;
    private static final long RECEIVED = 5_000;
    private static final long RECEIVED_ORIGIN_ID = 77;
    private static final long DEPENDENT = RECEIVED + 1_000;
    /** Shares {@link #RECEIVED}'s slot in the shipper's memory of received origins (64 Ki slots). */
    private static final long RECEIVED_LATER = RECEIVED + (1 << 16);
    private static final long LAST = RECEIVED_LATER + 500;

    @TempDir
    Path dir;

    @Test
    void aResendFromFarBackShipsADependencyOnAReceivedMessageAsOneOnItsOrigin()
    {
        final Path journal = dir.resolve("journal");
        writeJournal(journal);
        try (IpcLink link = IpcLink.open(dir.resolve("aeron"), 1 << 20);
             Shipper shipper = new Shipper(1, journal, MAX_DEPENDENCIES, PAYLOAD_CAPACITY, WINDOW))
        {
            final Publication publication = link.publication();
            final Subscription subscription = link.subscription();
            final long[] shippedDependency = {-1, -1};
            final MessageRecord frameRecord = new MessageRecord(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
            final RecordCodec codec = new RecordCodec(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
            final int[] pass = {0};
            shipper.resendAfter(0);
            shipAll(shipper, publication, subscription, LAST - 2, (buffer, offset, length, header) ->
            {
                final int recordLength = length - Wire.DATA_RECORD_OFFSET;
                buffer.getBytes(offset + Wire.DATA_RECORD_OFFSET, codec.scratch(), 0, recordLength);
                codec.decode(recordLength, 0, frameRecord);
                if (DEPENDENT == frameRecord.originId())
                {
                    assertEquals(1, frameRecord.dependencyCount());
                    shippedDependency[pass[0]] = frameRecord.dependency(0);
                }
            });
            assertEquals(RecordLayout.remoteDependency(2, RECEIVED_ORIGIN_ID), shippedDependency[0], "first pass");
            pass[0] = 1;
            shipper.resendAfter(DEPENDENT - 10);
            shipAll(shipper, publication, subscription, LAST - DEPENDENT + 10 - 1, (buffer, offset, length, header) ->
            {
                final int recordLength = length - Wire.DATA_RECORD_OFFSET;
                buffer.getBytes(offset + Wire.DATA_RECORD_OFFSET, codec.scratch(), 0, recordLength);
                codec.decode(recordLength, 0, frameRecord);
                if (DEPENDENT == frameRecord.originId())
                {
                    shippedDependency[pass[0]] = frameRecord.dependency(0);
                }
            });
            assertEquals(RecordLayout.remoteDependency(2, RECEIVED_ORIGIN_ID), shippedDependency[1],
                "the resend named node 2's message " + RECEIVED_ORIGIN_ID + " as " +
                RecordLayout.remoteDependencyNode(shippedDependency[1]) + ":" + RecordLayout.remoteDependencyOriginId(shippedDependency[1]));
        }
    }

    /** Ships until {@code expected} more frames have arrived, or fails after 20 s. */
    private static void shipAll(final Shipper shipper, final Publication publication, final Subscription subscription,
        final long expected, final io.aeron.logbuffer.FragmentHandler handler)
    {
        long received = 0;
        final long deadline = System.nanoTime() + 20_000_000_000L;
        while (received < expected && System.nanoTime() < deadline)
        {
            shipper.ship(publication, 256);
            received += subscription.poll(handler, 256);
        }
        assertEquals(expected, received, "frames received");
        shipper.ship(publication, 256);
        assertEquals(0, subscription.poll(handler, 256), "no more frames");
        assertTrue(publication.isConnected());
    }

    private static void writeJournal(final Path journal)
    {
        try (JournalWriter writer = new JournalWriter(journal, "FAST_DAILY", MAX_DEPENDENCIES, PAYLOAD_CAPACITY))
        {
            final MessageRecord record = new MessageRecord(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
            for (long id = 1; id <= LAST; id++)
            {
                record.clear();
                record.id(id).hlc(WALL + id, 0).type(1).source(1).originNode(1).originId(id);
                if (RECEIVED == id || RECEIVED_LATER == id)
                {
                    record.flags(RecordFlags.REMOTE).originNode(2).originId(RECEIVED == id ? RECEIVED_ORIGIN_ID : 78);
                }
                if (DEPENDENT == id)
                {
                    record.dependencyCount(1);
                    record.dependency(0, RECEIVED);
                }
                record.payloadLength(0);
                writer.append(record);
            }
        }
    }
}
