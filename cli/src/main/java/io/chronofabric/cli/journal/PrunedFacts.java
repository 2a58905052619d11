package io.chronofabric.cli.journal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import io.chronofabric.journal.JournalFileCheck;
import io.chronofabric.journal.JournalQueues;
import io.chronofabric.journal.retention.JournalRetention;
import net.openhft.chronicle.queue.ChronicleQueue;

/**
 * What is known of a journal's pruned beginning: retention and {@code journal prune} count what they delete in the
 * journal's Chronicle metadata; a journal pruned otherwise (by hand, {@code rolls --remove-before}) still tells it
 * by its first id, as ids start at 1 and follow each other.
 *
 * @param messages messages gone from the beginning, -1 when unknown.
 * @param cycles   cycles deleted by retention or prune, -1 when not recorded.
 */
record PrunedFacts(long messages, long cycles)
{
    /**
     * @param dir     the journal folder.
     * @param firstId the id of its first remaining record, 0 when it has none.
     * @return the facts.
     */
    static PrunedFacts of(final Path dir, final long firstId)
    {
        return recorded(dir).withFirstId(firstId);
    }

    /**
     * @param dir the journal folder.
     * @return the counts retention and prune recorded in the journal's metadata: 0 messages and -1 cycles when none
     *     are, or the metadata cannot be read.
     */
    static PrunedFacts recorded(final Path dir)
    {
        if (Files.notExists(dir.resolve(JournalFileCheck.METADATA_FILE)))
        {
            return new PrunedFacts(0, -1); // the counts live there; Chronicle would open without it, warning
        }
        try (ChronicleQueue queue = JournalQueues.openForRead(dir))
        {
            return new PrunedFacts(JournalRetention.prunedMessages(queue), JournalRetention.prunedCycles(queue));
        }
        catch (final RuntimeException ex)
        {
            return new PrunedFacts(0, -1); // unreadable metadata: what the first id says is still known
        }
    }

    /** @return these recorded counts completed by what the first remaining id says (ids start at 1, one by one). */
    PrunedFacts withFirstId(final long firstId)
    {
        final long byFirstId = firstId > 0 ? firstId - 1 : -1;
        final long gone = Math.max(messages, byFirstId);
        return new PrunedFacts(gone, 0 < cycles ? cycles : gone == 0 ? 0 : -1);
    }

    /** @return true when messages are gone from the beginning. */
    boolean pruned()
    {
        return messages > 0;
    }

    /** @return the JSON fields. */
    Map<String, Object> json()
    {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("pruned_messages", messages < 0 ? null : messages);
        json.put("pruned_cycles", cycles < 0 ? null : cycles);
        return json;
    }

    /** @return one line: where the journal starts and what is gone before it. */
    String describe(final long firstId, final String firstIndex)
    {
        return "id " + firstId + ", index " + firstIndex + (pruned() ? " (" + prunedText() + ")" : "");
    }

    /**
     * @param firstId    the first id read, after {@code --from}.
     * @param firstIndex its index.
     * @param skipped    the messages of the journal before it, which {@code --from} skipped; -1 when not known.
     * @return one line: where reading started, what {@code --from} skipped, and what retention pruned before that.
     */
    String describe(final long firstId, final String firstIndex, final long skipped)
    {
        return describe(firstId, firstIndex, skipped, "skipped by --from");
    }

    /**
     * @param firstId    the first id read.
     * @param firstIndex its index.
     * @param skipped    the messages of the journal before it that were skipped; -1 when not known.
     * @param why        why they were skipped, e.g. "skipped by --from".
     * @return one line: where reading started, what was skipped and why, and what retention pruned before that.
     */
    String describe(final long firstId, final String firstIndex, final long skipped, final String why)
    {
        if (0 == skipped)
        {
            return describe(firstId, firstIndex);
        }
        return "id " + firstId + ", index " + firstIndex + " (" + (skipped > 0 ? String.format("%,d", skipped) :
            "the") + " earlier message(s) " + why + (pruned() ? "; before them, " + prunedText() : "") + ")";
    }

    private String prunedText()
    {
        return String.format("%,d", messages) + " earlier message(s) pruned" + (cycles > 0 ? " in " + cycles +
            " cycle(s)" : "");
    }
}
