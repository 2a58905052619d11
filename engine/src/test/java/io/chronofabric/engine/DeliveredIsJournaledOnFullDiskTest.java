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
        final Path journal = disk.path().resolve("journal");
        final EngineConfiguration context = EngineTestSupport.context(journal)
            .threadLayout(ThreadLayout.parse(layout))
            .set("journal.min-free-bytes", "0")
            .set("latency.trace.enabled", "false")
            .build();
        final ConcurrentLinkedQueue<Long> delivered = new ConcurrentLinkedQueue<>();
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

        final List<MessageRecord> records = EngineTestSupport.readJournal(context);
        final Set<Long> journaled = new HashSet<>();
        records.forEach(record -> journaled.add(record.id()));
        assertTrue(!delivered.isEmpty(), "messages were delivered before the disk filled");
        final List<Long> notJournaled = delivered.stream().filter(id -> !journaled.contains(id)).toList();
        assertTrue(notJournaled.isEmpty(), () -> notJournaled.size() + " of " + delivered.size() + " delivered " +
            "messages are not in the journal (" + records.size() + " records), e.g. ids " +
            notJournaled.subList(0, Math.min(5, notJournaled.size())));
    }

}
