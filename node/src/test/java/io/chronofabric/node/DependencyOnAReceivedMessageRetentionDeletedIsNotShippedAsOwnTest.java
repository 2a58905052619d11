package io.chronofabric.node;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.List;

import io.chronofabric.journal.JournalQueues;
import io.chronofabric.journal.MessageRecord;
import io.chronofabric.journal.RecordCodec;
import io.chronofabric.journal.RecordFlags;
import io.chronofabric.journal.RecordLayout;
import io.chronofabric.journal.retention.JournalRetention;
import io.chronofabric.journal.retention.RetentionPlan;
import io.chronofabric.journal.retention.RetentionPolicy;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipper tells own from received only by what it has read: a local id it never saw as received counts as its
 * own. Node 1 journals node 2's message (local id 1) in one cycle and, in the next, its own message 2 depending on it
 * (well within dependencies.window). Retention deletes the first cycle (settled locally; the peer that lacks message 2
 * is another matter). A shipper started now (a restart, or a fresh link) reads from the first remaining cycle, never
 * sees message 1 as received, and ships the dependency as one on node 1's own message 1, which does not exist: a
 * peer whose settled floor for node 1 is at or above 1 releases the dependent at once, before node 2's message.
 * It must travel as the unnamed dependency (held until the hold timeout), as for a received message too far back.
 */
class DependencyOnAReceivedMessageRetentionDeletedIsNotShippedAsOwnTest
{
    private static final int MAX_DEPENDENCIES = 4;
    private static final int PAYLOAD_CAPACITY = 256;

    @TempDir
    Path dir;

    @Test
    void aDependencyOnAPrunedReceivedMessageIsShippedUnnamed() throws Exception
    {
        final RecordCodec codec = new RecordCodec(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
        final MessageRecord received = record(1);
        received.flags(RecordFlags.REMOTE);
        received.originNode(2).originId(1);
        final MessageRecord own = record(2);
        own.originNode(1).originId(2);
        own.dependencyCount(1);
        own.dependency(0, 1);
        try (ChronicleQueue queue = JournalQueues.openForWrite(dir, "TEST_SECONDLY"))
        {
            write(queue, encoded(codec, received));
            Thread.sleep(1_100 - System.currentTimeMillis() % 1_000);
            write(queue, encoded(codec, own));
            final RetentionPlan plan = JournalRetention.plan(queue, new RetentionPolicy(0, 0, 1), 1,
                System.currentTimeMillis());
            assertEquals(1, plan.deletions().size(), plan.toString());
            JournalRetention.apply(plan, queue, List.of());
        }
        try (Shipper shipper = new Shipper(1, dir, MAX_DEPENDENCIES,
            PAYLOAD_CAPACITY, 1024))
        {
            shipper.resendAfter(0);
            final Method readNextOwn = Shipper.class.getDeclaredMethod("readNextOwn");
            readNextOwn.setAccessible(true);
            assertTrue((Boolean)readNextOwn.invoke(shipper), "message 2 read to ship");
            final Field shippable = Shipper.class.getDeclaredField("shippable");
            shippable.setAccessible(true);
            final long shipped = ((long[])shippable.get(shipper))[0];
            assertNotEquals(RecordLayout.remoteDependency(1, 1), shipped,
                "message 2's dependency on node 2's message (local id 1, pruned) shipped as node 1's own message 1");
            assertEquals(RecordLayout.remoteDependency(1, RecordLayout.MAX_REMOTE_ORIGIN_ID), shipped);
        }
    }

    private static MessageRecord record(final long id)
    {
        final MessageRecord record = new MessageRecord(MAX_DEPENDENCIES,
            PAYLOAD_CAPACITY);
        record.clear();
        record.id(id).hlc(1_700_000_000_000_000_000L + id, 0).type(7).source(1).originNode(1).originId(id);
        record.payloadLength(8);
        return record;
    }

    private static byte[] encoded(final RecordCodec codec, final MessageRecord record)
    {
        return java.util.Arrays.copyOf(codec.scratch(), codec.encode(record));
    }

    private static void write(final ChronicleQueue queue, final byte[] document)
    {
        try (ExcerptAppender appender = queue.createAppender();
             DocumentContext context = appender.writingDocument())
        {
            context.wire().bytes().write(document, 0, document.length);
        }
    }
}
