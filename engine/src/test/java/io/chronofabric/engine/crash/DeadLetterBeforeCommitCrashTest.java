package io.chronofabric.engine.crash;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.chronofabric.engine.internal.Engine;
import io.chronofabric.journal.JournalReader;
import io.chronofabric.journal.MessageRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.engine.crash.DeadLetterBeforeCommitVictim.TYPE;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Nothing acknowledged is ever lost, and after a crash every journaled message not settled is delivered again, also
 * when a message is dead-lettered as it arrives (its dependency is dead): its settlement must not reach disk before
 * its journal document. Were it to, a kill there would leave the journal below the settled watermark, the next engine
 * would number its first new message with that very id, and once that message was journaled and acknowledged a crash
 * during its delivery would lose it: the restart would take it for settled.
 */
class DeadLetterBeforeCommitCrashTest
{
    @TempDir
    Path dir;

    @Test
    void anAcknowledgedMessageIsDeliveredAgainAfterACrashThatFollowsADeadLetterKilledBeforeItsCommit() throws Exception
    {
        final Path journal = dir.resolve("journal");
        final String first = killAt("deadletter", journal);
        final String second = killAt("publish", journal);

        final List<Long> journaled = new ArrayList<>();
        final MessageRecord record = new MessageRecord(16, 1 << 16);
        try (JournalReader reader = new JournalReader(journal, 16, 1 << 16))
        {
            while (reader.next(record))
            {
                journaled.add(record.id());
            }
        }
        final List<Long> redelivered = new ArrayList<>();
        final long settledAtStart;
        try (Engine engine = Engine.start(DeadLetterBeforeCommitVictim.settings(journal),
            e -> e.subscribe(TYPE, message -> redelivered.add(message.id()))))
        {
            settledAtStart = engine.settledWatermark();
            final long deadline = System.nanoTime() + 2_000_000_000L;
            while (redelivered.isEmpty() && System.nanoTime() < deadline)
            {
                Thread.sleep(10);
            }
        }
        final long acknowledged = journaled.get(journaled.size() - 1);
        assertEquals(List.of(acknowledged), redelivered, "the message being delivered at the second kill (" +
            second + ") was journaled (journal ids " + journaled + ") and is not settled, so it must be delivered " +
            "again; the first kill came at '" + first + "' and left a settled watermark of " + settledAtStart +
            " for a journal ending below it");
    }

    private static String killAt(final String scenario, final Path journal) throws Exception
    {
        try (Victim victim = Victim.start(DeadLetterBeforeCommitVictim.class, scenario, journal.toString()))
        {
            final String line = victim.awaitLine("kill-me");
            victim.kill();
            return line;
        }
    }
}
