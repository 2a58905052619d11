package io.chronofabric.engine;

import io.chronofabric.engine.internal.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.chronofabric.engine.internal.observability.EngineMetrics;
import io.chronofabric.engine.internal.retention.RetentionHold;
import io.chronofabric.journal.DeadLetterJournal;
import io.chronofabric.journal.JournalFiles;
import io.chronofabric.journal.JournalQueues;
import io.chronofabric.journal.MessageRecord;
import io.chronofabric.journal.SettlementLayout;
import io.chronofabric.journal.TraceLayout;
import io.chronofabric.journal.retention.JournalRetention;
import net.openhft.chronicle.queue.ChronicleQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.engine.EngineTestSupport.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.chronofabric.engine.api.PayloadWriter;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.api.RetryPolicy;
import io.chronofabric.engine.api.Publisher;

/**
 * Journal retention in a running engine, on real Chronicle files rolling every second (TEST_SECONDLY): settled cycles
 * past the age limit go, with the trace's and dead letters'; a cycle holding an unsettled message stays, and the
 * engine says which message; an engine restarted on the pruned journal carries on.
 */
class RetentionTest
{
    private static final int TYPE = 1;
    private static final int FAILING = 2;
    private static final PayloadWriter<Long> WRITER = (value, payload) -> payload.putLong(value);

    @TempDir
    Path dir;

    private EngineConfiguration.Builder context()
    {
        // a small dependency window, so that the settlement log's old cycles stop mattering within the test too
        return EngineTestSupport.context(dir).rollCycle("TEST_SECONDLY").retentionMaxAgeMillis(1_000)
            .monitorIntervalMillis(200).dependencyWindow(1024);
    }

    @Test
    void shouldDeleteSettledCyclesPastTheAgeLimitWhileRunningAndRestartOnWhatRemains() throws Exception
    {
        final AtomicLong delivered = new AtomicLong();
        long lastId = 0;
        final long published;
        try (Engine engine = Engine.start(context()))
        {
            engine.subscribe(TYPE, message -> delivered.incrementAndGet());
            final Publisher publisher = engine.newPublisher(1);
            published = publishFor(publisher, TYPE, 4_500);
            lastId = published;
            awaitTrue(() -> engine.retention().deletedCycles() >= 2, 5_000, () -> "nothing deleted");
            assertTrue(engine.retention().deletedMessages() > 0);
            final String metrics = EngineMetrics.unserved(engine, engine.monitor()).scrapeText();
            assertTrue(metrics.contains("chronofabric_retention_deleted_cycles_total"), metrics);
            assertTrue(metrics.contains("chronofabric_journal_free_bytes"), metrics);
            assertTrue(metrics.contains("chronofabric_journal_seconds_until_full"), metrics);
            assertTrue(metrics.contains("chronofabric_retention_blocked 0"), metrics);
        }
        final int files = JournalFiles.rollFiles(dir).size();
        assertTrue(files <= 4, "at most the last few seconds remain: " + files);
        assertTrue(JournalFiles.rollFiles(TraceLayout.traceDir(dir)).size() <= 4, "the trace follows");
        final int settlementFiles = JournalFiles.rollFiles(SettlementLayout.settlementDir(dir)).size();
        assertTrue(settlementFiles <= 4, "the settlement log's cycles past the dependency window go too: " +
            settlementFiles);
        final long remaining = JournalFiles.countRecords(dir);
        assertTrue(remaining < published, remaining + " of " + published + " remain");
        try (ChronicleQueue queue = JournalQueues.openForRead(dir))
        {
            assertEquals(published - remaining, JournalRetention.prunedMessages(queue), "the metadata counts the pruned");
        }

        final MessageRecord last = new MessageRecord(8, 64);
        assertTrue(io.chronofabric.journal.JournalReader.readLast(dir, last));
        final long lastHlc = last.hlcWall();
        final MessageRecord resumed = restartAndPublishNext(lastId);
        assertTrue(resumed.hlcWall() >= lastHlc, "the HLC continues");
    }

    /**
     * An engine started on a journal makes a new roll file that holds no record; retention keeps the newest cycle
     * only, so an idle engine's retention can delete every record. The next start must still resume ids and the HLC
     * above the deleted ones (it refused the folder instead: its settlement log settles ids above a last journaled id
     * of 0; a black-box helper's finding).
     */
    @Test
    void shouldResumeIdsAndTheHlcAfterRetentionDeletedEveryRecord() throws Exception
    {
        final long lastId;
        final long lastWall;
        try (Engine engine = Engine.start(context()))
        {
            engine.subscribe(TYPE, message -> { });
            final Publisher publisher = engine.newPublisher(1);
            long id = 0;
            for (int i = 0; i < 200; i++)
            {
                id = publisher.publish(TYPE, WRITER, (long)i);
            }
            lastId = id;
        }
        final MessageRecord last = new MessageRecord(8, 64);
        assertTrue(io.chronofabric.journal.JournalReader.readLast(dir, last));
        lastWall = last.hlcWall();
        Thread.sleep(1_100); // the next start's roll file is a cycle of its own
        try (Engine idle = Engine.start(context()))
        {
            awaitTrue(() -> 0 == JournalFiles.countRecords(dir), 10_000, () -> "retention left records");
        }
        final MessageRecord resumed = restartAndPublishNext(lastId);
        assertTrue(resumed.hlcWall() > lastWall, "the HLC continues above the deleted records'");
    }

    /**
     * Starts an engine (without retention) on what retention left, publishes one message and checks that it takes
     * the id after the last one published before.
     *
     * @return its journal record.
     */
    private MessageRecord restartAndPublishNext(final long lastId) throws Exception
    {
        try (Engine engine = Engine.start(context().retentionMaxAgeMillis(0)))
        {
            assertEquals(0, engine.recoveredMessages(), "everything deleted or kept was settled");
            assertEquals(lastId, engine.acknowledgedId(), "acknowledged as before");
            engine.subscribe(TYPE, message -> { });
            final long next = engine.newPublisher(1).publish(TYPE, WRITER, 1L);
            assertEquals(lastId + 1, next, "ids continue after the last one published before");
            engine.awaitAcknowledged(next);
        }
        final MessageRecord resumed = new MessageRecord(8, 64);
        assertTrue(io.chronofabric.journal.JournalReader.readLast(dir, resumed));
        assertEquals(lastId + 1, resumed.id());
        return resumed;
    }

    @Test
    void shouldKeepTheCycleOfAnUnsettledMessageAndNameIt() throws Exception
    {
        final long stuck;
        try (Engine engine = Engine.start(context()))
        {
            engine.subscribe(TYPE, message -> { });
            engine.subscribe(FAILING, message ->
            {
                throw new IllegalStateException("venue down for good");
            }, // retried for longer than the test looks: permanently failing while it does
                new RetryPolicy(Integer.MAX_VALUE, 10_000_000L, 50_000_000L, 7_000_000_000L, 10_000));
            final Publisher publisher = engine.newPublisher(1);
            stuck = publisher.publish(FAILING, WRITER, 0L);
            engine.awaitAcknowledged(stuck);
            // the newest cycle's file: the engine opened the journal's first cycle at start, which may be an earlier
            // second's, holding nothing, and retention may delete that one
            final List<Path> files = JournalFiles.rollFiles(dir);
            final Path stuckFile = files.get(files.size() - 1);
            final MessageRecord last = new MessageRecord(8, 64);
            assertTrue(io.chronofabric.journal.JournalReader.readLast(dir, last));
            assertEquals(stuck, last.id(), "the last journaled message is the stuck one");
            publishFor(publisher, TYPE, 3_000);
            awaitTrue(() -> engine.retention().blocked(), 5_000, () -> "retention never blocked");
            assertEquals(stuck, engine.retention().oldestUnsettledId());
            assertTrue(engine.retention().blockedReason().contains("unsettled message id " + stuck),
                engine.retention().blockedReason());
            assertTrue(Files.exists(stuckFile), "the cycle holding the unsettled message stays");
            assertEquals(files.size() - 1, engine.retention().deletedCycles(),
                "nothing after it goes, only the empty cycles before it if any");
            final String metrics = EngineMetrics.unserved(engine, engine.monitor()).scrapeText();
            assertTrue(metrics.contains("chronofabric_retention_blocked 1"), metrics);
            assertTrue(metrics.contains("chronofabric_retention_oldest_unsettled_id " + (double)stuck), metrics);
        }
        assertTrue(Files.isDirectory(dir.resolve(DeadLetterJournal.FOLDER)));
    }

    /**
     * A node's engine deletes nothing until its node says what the peers have journaled: a node restarted while a
     * peer was down deleted, in the moments before its node started, settled cycles that peer had never received
     * (a black-box helper's finding: 15,000 messages never reached the peer, and both nodes exited 0). The cycles
     * kept are reported as held, naming why, not as an unsettled message.
     */
    @Test
    void aNodesEngineDeletesNothingBeforeItsNodeHasStarted() throws Exception
    {
        try (Engine engine = Engine.start(context().nodeId(7)))
        {
            engine.subscribe(TYPE, message -> { });
            final long last = publishFor(engine.newPublisher(1), TYPE, 3_000);
            awaitTrue(() -> engine.settledWatermark() >= last, 5_000, () -> "not settled");
            awaitTrue(() -> engine.retention().held(), 5_000, () -> "retention is not reported held");

            assertEquals(0, engine.retention().deletedCycles(), "nothing deleted before the node started");
            assertTrue(engine.retention().heldReason().contains("node 7 has not started its peer links"),
                engine.retention().heldReason());
            assertTrue(!engine.retention().blocked(), "every message is settled: not blocked by an unsettled one");
            final String metrics = EngineMetrics.unserved(engine, engine.monitor()).scrapeText();
            assertTrue(metrics.contains("chronofabric_retention_held 1"), metrics);
            assertTrue(metrics.contains("chronofabric_retention_oldest_unsettled_id 0"), metrics);

            engine.holdRetention(RetentionHold.NONE); // as a node whose peers have journaled everything
            awaitTrue(() -> engine.retention().deletedCycles() >= 2, 5_000, () -> "nothing deleted once released");
            awaitTrue(() -> !engine.retention().held(), 5_000, () -> "still reported held");
        }
    }

    /** Publishes a message every millisecond or so for a while; returns the last id. */
    private static long publishFor(final Publisher publisher, final int type, final long millis)
        throws InterruptedException
    {
        final long end = System.currentTimeMillis() + millis;
        long id = 0;
        while (System.currentTimeMillis() < end)
        {
            for (int i = 0; i < 10; i++)
            {
                id = publisher.publish(type, WRITER, (long)i);
            }
            Thread.sleep(2);
        }
        return id;
    }
}
