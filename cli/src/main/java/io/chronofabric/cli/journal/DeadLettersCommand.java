package io.chronofabric.cli.journal;

import io.chronofabric.cli.common.ExitCodes;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import io.chronofabric.journal.DeadLetterJournal;
import io.chronofabric.journal.DeadLetterRecord;
import io.chronofabric.journal.JournalCorruptionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chronofabric journal deadletters DIR}: the dead letters a journal holds: messages that could not be
 * delivered (dependency timeout, expired, retries exhausted...), for whom and why.
 */
@Command(name = "deadletters", mixinStandardHelpOptions = true,
    description = {"List the dead letters of a journal (the deadletters folder): message id, type, subscriber "
        + "(-1: the message as a whole), reason, attempts, time; then counts by reason.",
        "Exit codes: 0 success, 1 a corrupt dead-letter record, 2 bad arguments."})
public final class DeadLettersCommand extends JournalSubcommand
{
    @Parameters(index = "0", paramLabel = "DIR", description = "The journal folder, e.g. data/journal.")
    private Path dir;

    @Option(names = "--json", description = "One JSON object per dead letter, then one with the counts by reason.")
    private boolean json;

    @Override
    protected Integer run()
    {
        JournalFolder.require(spec(), dir);
        final PrintWriter out = spec().commandLine().getOut();
        final Map<String, Long> byReason = new TreeMap<>();
        try
        {
            DeadLetterJournal.readAll(dir, letter ->
            {
                byReason.merge(letter.reason().label(), 1L, Long::sum);
                out.println(json ? Json.line(asMap(letter)) : String.format("id=%d type=%d subscriber=%d reason=%s " +
                    "attempts=%d time=%s", letter.messageId(), letter.type(), letter.subscriberId(),
                    letter.reason().label(), letter.attempts(), Instant.ofEpochSecond(0, letter.epochNanos())));
            });
        }
        catch (final JournalCorruptionException ex)
        {
            spec().commandLine().getErr().println("chronofabric: " + ex.getMessage());
            return ExitCodes.FAILURE;
        }
        final long total = byReason.values().stream().mapToLong(Long::longValue).sum();
        if (json)
        {
            final Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("dead_letters", total);
            summary.put("by_reason", byReason);
            out.println(Json.line(summary));
        }
        else
        {
            out.println("dead letters: " + total + (byReason.isEmpty() ? "" : " " + byReason));
        }
        out.flush();
        return 0;
    }

    private static Map<String, Object> asMap(final DeadLetterRecord letter)
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", letter.messageId());
        map.put("type", letter.type());
        map.put("subscriber", letter.subscriberId());
        map.put("reason", letter.reason().label());
        map.put("attempts", letter.attempts());
        map.put("time", Instant.ofEpochSecond(0, letter.epochNanos()).toString());
        return map;
    }
}
