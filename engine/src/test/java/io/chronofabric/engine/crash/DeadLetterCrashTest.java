package io.chronofabric.engine.crash;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.chronofabric.engine.config.ThreadLayout;
import io.chronofabric.engine.internal.Engine;
import io.chronofabric.journal.DeadLetterJournal;
import io.chronofabric.journal.DeadLetterRecord;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.chronofabric.engine.crash.DeadLetterCrashVictim.TYPE;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A dead letter is a settlement, and every journaled message is settled for each subscriber exactly once across
 * crashes: a kill after a dead letter reached the dead-letter journal but before its settlement was persisted must not
 * make the next engine invoke the failed subscriber again (beyond its policy's attempts) nor dead-letter the message a
 * second time.
 */
class DeadLetterCrashTest
{
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}, layout {1}")
    @CsvSource({"retries, journal+sequencer+router+delivery", "whole, journal|sequencer|router+delivery"})
    void aDeadLetterWrittenBeforeAKillIsNeitherRepeatedNorRetried(final String scenario, final String layout)
        throws Exception
    {
        final Path journal = dir.resolve("journal");
        final String killed;
        try (Victim victim = Victim.start(DeadLetterCrashVictim.class, scenario, layout, journal.toString()))
        {
            killed = victim.awaitLine("kill-me");
            victim.kill();
        }
        final List<DeadLetterRecord> before = deadLetters(journal);
        assertEquals(1, before.size(), () -> "the killed engine wrote its dead letter (" + killed + "): " + before);

        final AtomicInteger invocations = new AtomicInteger();
        final List<Long> deadLettersHanded = new ArrayList<>();
        final long watermark;
        final long lastId;
        try (Engine engine = Engine.start(DeadLetterCrashVictim.settings(journal, ThreadLayout.parse(layout)), e ->
        {
            e.subscribe(TYPE, message ->
            {
                invocations.incrementAndGet();
                throw new IllegalStateException("fails for good: " + message.id());
            }, DeadLetterCrashVictim.failingPolicy());
            e.subscribe(TYPE, message -> { });
            e.subscribeDeadLetters(dead ->
            {
                synchronized (deadLettersHanded)
                {
                    deadLettersHanded.add(dead.message().id());
                }
            });
        }))
        {
            lastId = engine.acknowledgedId();
            Thread.sleep(300); // longer than the hold timeout and the retries' backoffs
            engine.close();
            watermark = engine.settledWatermark();
        }
        final List<DeadLetterRecord> after = deadLetters(journal);
        assertEquals(before, after, "killed at '" + killed + "': the dead letter was written again");
        synchronized (deadLettersHanded)
        {
            assertEquals(List.of(), deadLettersHanded, "killed at '" + killed + "': handed to the application again");
        }
        assertEquals(0, invocations.get(), "killed at '" + killed + "': the subscriber it was dead-lettered for " +
            "was invoked again");
        assertEquals(lastId, watermark, "the recovered message is settled");
    }

    private static List<DeadLetterRecord> deadLetters(final Path journal)
    {
        final List<DeadLetterRecord> records = new ArrayList<>();
        DeadLetterJournal.readAll(journal, records::add);
        return records;
    }
}
