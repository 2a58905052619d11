package io.chronofabric.node;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import io.aeron.Publication;
import io.aeron.Subscription;
import io.chronofabric.journal.JournalWriter;
import io.chronofabric.journal.MessageRecord;
import io.chronofabric.journal.RecordFlags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A resend from the journal's start reads past every record the node received before it reaches one of its own to
 * ship. One call to ship reads at most {@link Shipper#SCAN_PER_CALL} records, so the thread that ships (which by
 * default also runs the node's media driver and Aeron client, whose client the driver times out after 10 s without a
 * duty cycle) gets back to its other duties between stretches; a call that only read says it did work, so the thread
 * does not idle between stretches either.
 */
class ShipperReadsABoundedStretchPerCallTest
{
    private static final long WALL = 1_790_000_000_000_000_000L;
    private static final int RECEIVED = 2 * Shipper.SCAN_PER_CALL + 100;
    private static final int OWN = 10;
    /** Bytes the publication must take at once: every own record's frame, with room to spare. */
    private static final int ROOM = 16 * 1024;

    @TempDir
    Path dir;

    @Test
    void aResendFromTheStartReadsPastReceivedRecordsInBoundedStretches()
    {
        final Path journal = dir.resolve("journal");
        writeJournal(journal);
        try (IpcLink link = IpcLink.open(dir.resolve("aeron"), ROOM);
             Shipper shipper = new Shipper(1, journal, 8, 64, 1024))
        {
            final Publication publication = link.publication();
            final Subscription subscription = link.subscription();
            shipper.resendAfter(0);
            final int stretches = (RECEIVED + Shipper.SCAN_PER_CALL - 1) / Shipper.SCAN_PER_CALL;
            for (int call = 1; call < stretches; call++)
            {
                assertEquals(1, shipper.ship(publication, 64), "call " + call + " read a stretch, shipped nothing");
                assertEquals(0, shipper.shipped(), "call " + call);
            }
            assertEquals(OWN, shipper.ship(publication, 64), "the last stretch reaches this node's own records");
            final AtomicInteger received = new AtomicInteger();
            final long deadline = System.nanoTime() + 5_000_000_000L;
            while (received.get() < OWN && System.nanoTime() < deadline)
            {
                subscription.poll((buffer, offset, length, header) -> received.incrementAndGet(), 64);
            }
            assertEquals(OWN, received.get());
            assertEquals(OWN, shipper.shipped());
            assertEquals(0, shipper.ship(publication, 64), "the journal's end: idle");
        }
    }

    /** Node 1's journal: node 2's messages first (ids 1..RECEIVED), then OWN of its own. */
    private static void writeJournal(final Path journal)
    {
        try (JournalWriter writer = new JournalWriter(journal, "FAST_DAILY", 8, 64))
        {
            final MessageRecord record = new MessageRecord(8, 64);
            for (long id = 1; id <= RECEIVED + OWN; id++)
            {
                record.clear();
                final boolean own = id > RECEIVED;
                record.id(id).hlc(WALL + id, 0).type(1).source(1).originNode(own ? 1 : 2)
                    .originId(own ? id - RECEIVED : id);
                if (!own)
                {
                    record.flags(RecordFlags.REMOTE);
                }
                record.payloadLength(0);
                writer.append(record);
            }
        }
    }
}
