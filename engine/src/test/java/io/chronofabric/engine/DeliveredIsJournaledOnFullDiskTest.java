package io.chronofabric.engine;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import io.chronofabric.engine.api.EngineFailedException;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.config.ThreadLayout;
import io.chronofabric.engine.internal.Engine;
import io.chronofabric.journal.MessageRecord;
import io.chronofabric.journal.SmallDisk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.chronofabric.engine.EngineTestSupport.SEQUENCE_WRITER;
import static io.chronofabric.engine.EngineTestSupport.TYPE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Journal before delivery, when the disk fills: a batch's records share a journal document that is committed whole at
 * the batch's end, so a full disk can discard records the pipeline already passed on. None of them may reach a
 * subscriber: every message delivered is in the journal after the engine stopped. Needs a small tmpfs, so it runs
 * where the test may mount one (root, as on CI).
 */
class DeliveredIsJournaledOnFullDiskTest
{
    @TempDir
    Path dir;

    private SmallDisk disk;

    @BeforeEach
    void mountSmallDisk() throws Exception
    {
        disk = SmallDisk.mount(dir, 6);
    }

    @AfterEach
    void unmount()
    {
        disk.close();
    }

    @ParameterizedTest(name = "layout {0}")
    @ValueSource(strings = {"journal+sequencer+router+delivery", "journal|sequencer+router+delivery"})
    void noMessageIsDeliveredThatTheFullDiskKeptOutOfTheJournal(final String layout) throws Exception
    {
        final EngineConfiguration context = context(layout, "none");
        final ConcurrentLinkedQueue<Long> delivered = new ConcurrentLinkedQueue<>();
        fillTheDisk(context, delivered);

        final List<MessageRecord> records = EngineTestSupport.readJournal(context);
        final Set<Long> journaled = new HashSet<>();
        records.forEach(record -> journaled.add(record.id()));
        assertTrue(!delivered.isEmpty(), "messages were delivered before the disk filled");
        final List<Long> notJournaled = delivered.stream().filter(id -> !journaled.contains(id)).toList();
        assertTrue(notJournaled.isEmpty(), () -> notJournaled.size() + " of " + delivered.size() + " delivered " +
            "messages are not in the journal (" + records.size() + " records), e.g. ids " +
            notJournaled.subList(0, Math.min(5, notJournaled.size())));
    }

    /**
     * Under {@code sync} a message is acknowledged once its batch is synced, so when the disk fills, documents
     * committed but not yet synced are in the journal: they are synced and acknowledged before the engine fails (the
     * pages they were written to are already allocated), so that what the journal holds is exactly what was
     * acknowledged; only the open document is discarded. Before, the engine called them not journaled (its ERROR line,
     * {@code acknowledgedId()}, {@code dropped}) and the next engine delivered them: an application publishing them
     * again had them twice (a black-box helper's finding).
     */
    @ParameterizedTest(name = "layout {0}")
    @ValueSource(strings = {"journal+sequencer+router+delivery", "journal|sequencer+router+delivery"})
    void underSyncTheJournalHoldsExactlyTheAcknowledgedMessagesAfterTheDiskFills(final String layout)
        throws Exception
    {
        final EngineConfiguration context = context(layout, "sync");
        final ConcurrentLinkedQueue<Long> delivered = new ConcurrentLinkedQueue<>();
        final long acknowledged = fillTheDisk(context, delivered);

        final List<MessageRecord> records = EngineTestSupport.readJournal(context);
        final long lastJournaled = records.isEmpty() ? 0 : records.get(records.size() - 1).id();
        assertEquals(lastJournaled, acknowledged, "the last journaled id against the acknowledged id");
        assertTrue(delivered.stream().allMatch(id -> id <= acknowledged), "delivered above the acknowledged id");
    }

    private EngineConfiguration context(final String layout, final String durability)
    {
        return EngineTestSupport.context(disk.path().resolve("journal"))
            .threadLayout(ThreadLayout.parse(layout))
            .set("journal.durability", durability)
            .set("journal.min-free-bytes", "0")
            .set("latency.trace.enabled", "false")
            .build();
    }

    /** @return the engine's acknowledged id once it failed on the full disk and closed. */
    private static long fillTheDisk(final EngineConfiguration context, final ConcurrentLinkedQueue<Long> delivered)
    {
        boolean failed = false;
        final Engine engine = EngineTestSupport.startRunning(context);
        try
        {
            engine.subscribe(TYPE, message -> delivered.add(message.id()));
            final Publisher publisher = engine.newPublisher(1);
            final long[] data = {1, 0};
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline)
            {
                data[1]++;
                try
                {
                    publisher.publish(TYPE, SEQUENCE_WRITER, data);
                }
                catch (final EngineFailedException ex)
                {
                    // the journal, or the settlement log beside it, met the full disk
                    failed = true;
                    break;
                }
            }
        }
        finally
        {
            engine.close();
        }
        assertTrue(failed, "the disk filled and the engine failed within 60 s");
        return engine.acknowledgedId();
    }
}
