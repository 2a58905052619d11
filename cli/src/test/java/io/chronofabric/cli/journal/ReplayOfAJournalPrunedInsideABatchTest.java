package io.chronofabric.cli.journal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chronofabric.engine.api.PayloadWriter;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.config.Profiles;
import io.chronofabric.engine.internal.Engine;
import io.chronofabric.journal.JournalQueues;
import net.openhft.chronicle.queue.RollCycle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A journal pruned inside a batch longer than {@code sequencer.window} starts in the middle of a release window; a
 * replay that counted its windows from there released in other windows than the original and said DIFFERENT ORDER,
 * exit 1, on a healthy journal (a black-box helper's finding). The replay of a pruned journal now starts at its first
 * whole batch and says how many records it skipped. The journal here: 3,000 messages of random priorities wait
 * behind a blocked handler, are journaled as one batch across a second's roll (TEST_SECONDLY), a short
 * batch follows, and every cycle but the last is pruned, with a window of 128.
 */
class ReplayOfAJournalPrunedInsideABatchTest
{
    /** Over the 64 records of a batch document: a roll between two documents can fall inside a window. */
    private static final String WINDOW = "128";
    /** Types no trading subscriber takes: the replay delivers them to none, and compares their order. */
    private static final int TYPE = 50;
    private static final int BLOCKER = 51;
    private static final PayloadWriter<Long> WRITER = (value, payload) -> payload.putLong(value);

    @TempDir
    Path dir;

    @Test
    void aReplayOfAJournalPrunedInsideABatchStartsAtTheNextWholeBatchAndReleasesAsTheOriginalDid() throws Exception
    {
        final Path journal = journalWithABatchAcrossTheLastRoll();
        final Cli.Result pruned = Cli.run("journal", "prune", journal.toString(), "--keep-cycles", "1");
        assertEquals(0, pruned.code(), pruned::toString);

        final Cli.Result replay = Cli.run("journal", "replay", journal.toString(), "--set",
            "sequencer.window=" + WINDOW, "--json");
        final JsonNode report = replay.json();
        assertEquals("SAME ORDER", report.get("verdict").asText(), replay::toString);
        assertEquals(0, replay.code(), replay::toString);
        assertTrue(report.get("starts_at").asText().contains("skipped to start at the first whole batch"),
            report.get("starts_at").asText());
    }

    /** @return a journal whose last roll cycle starts in the middle of a batch (tried again until one does). */
    private Path journalWithABatchAcrossTheLastRoll() throws Exception
    {
        for (int attempt = 1; attempt <= 5; attempt++)
        {
            final Path journal = dir.resolve("journal-" + attempt);
            final CountDownLatch blocked = new CountDownLatch(1);
            final CountDownLatch release = new CountDownLatch(1);
            try (Engine engine = Engine.start(Profiles.builder("dev").journalDir(journal).rollCycle("TEST_SECONDLY")
                .ringSize(8192).set("sequencer.window", WINDOW)))
            {
                engine.subscribe(BLOCKER, message ->
                {
                    blocked.countDown();
                    await(release);
                });
                final Publisher publisher = engine.newPublisher(9);
                publisher.publish(BLOCKER, WRITER, 0L);
                assertTrue(blocked.await(10, TimeUnit.SECONDS), "the pipeline did not block");
                final SplittableRandom random = new SplittableRandom(attempt);
                for (long i = 0; i < 3_000; i++)
                {
                    publisher.priority(random.nextInt(256)).publish(TYPE, WRITER, i);
                }
                while (System.currentTimeMillis() % 1_000 < 990)
                {
                    Thread.sleep(1);
                }
                release.countDown(); // the journal stage appends the 3,000 as one batch, over the second's roll
                while (engine.settledWatermark() < engine.acknowledgedId())
                {
                    Thread.sleep(10);
                }
                for (long i = 0; i < 20; i++)
                {
                    publisher.publish(TYPE, WRITER, i); // a batch of its own: where a replay can start whole
                }
            }
            if (lastCycleStartsInsideABatch(journal))
            {
                return journal;
            }
        }
        fail("no batch was journaled across a roll in 5 attempts");
        return null;
    }

    private static boolean lastCycleStartsInsideABatch(final Path journal) throws Exception
    {
        final Cli.Result dump = Cli.run("journal", "dump", journal.toString(), "--json");
        assertEquals(0, dump.code(), dump::toString);
        final ObjectMapper mapper = new ObjectMapper();
        final RollCycle cycle = JournalQueues.rollCycle("TEST_SECONDLY");
        final List<JsonNode> records = new ArrayList<>();
        for (final String line : dump.out().split("\n"))
        {
            if (!line.isBlank())
            {
                records.add(mapper.readTree(line));
            }
        }
        final int lastCycle = cycle.toCycle(records.get(records.size() - 1).get("index").asLong());
        for (int i = 1; i < records.size(); i++)
        {
            if (cycle.toCycle(records.get(i).get("index").asLong()) == lastCycle)
            {
                final int before = records.get(i - 1).get("flags").asInt();
                final int first = records.get(i).get("flags").asInt();
                return cycle.toCycle(records.get(i - 1).get("index").asLong()) != lastCycle &&
                    (before & 4) == (first & 4) && 0 == (before & 1);
            }
        }
        return false;
    }

    private static void await(final CountDownLatch latch)
    {
        try
        {
            latch.await(30, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
