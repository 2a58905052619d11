package io.chronofabric.cli.journal;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.HistogramLogProcessor;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code journal latency --hlog} on a real journal whose messages were published over several seconds, so the log
 * has several one-second intervals; read back with HdrHistogram's own reader and log processor.
 */
class LatencyIntervalLogTest
{
    private static final int RATE = 1_000;
    /** Four and a half seconds of publish time at {@link #RATE}: five intervals. */
    private static final int MESSAGES = 4_500;
    private static final int MIN_INTERVALS = 4;
    private static final Set<String> STAGES = Set.of("journal", "sequencer", "router", "delivery");

    @TempDir
    static Path dir;

    private static Path hlog;

    @BeforeAll
    static void writeJournalAndLog() throws Exception
    {
        final Path journal = dir.resolve("journal");
        Cli.writeJournal(journal, MESSAGES, "--rate", Integer.toString(RATE));
        hlog = dir.resolve("latency.hlog");
        final Cli.Result result = Cli.run("journal", "latency", journal.toString(), "--hlog", hlog.toString());
        assertEquals(0, result.code(), result::toString);
    }

    @Test
    void shouldTagEveryStageIntervalWithItsStageInEverySecond() throws Exception
    {
        // tag (null: untagged) -> interval start (ms) -> count
        final Map<String, Map<Long, Long>> series = new HashMap<>();
        final HistogramLogReader reader = new HistogramLogReader(hlog.toFile());
        for (EncodableHistogram interval = reader.nextIntervalHistogram(); null != interval;
             interval = reader.nextIntervalHistogram())
        {
            final String tag = interval.getTag();
            assertTrue(null == tag || STAGES.contains(tag), "unexpected tag " + tag);
            final Long previous = series.computeIfAbsent(String.valueOf(tag), t -> new TreeMap<>())
                .put(interval.getStartTimeStamp(), ((org.HdrHistogram.Histogram)interval).getTotalCount());
            assertEquals(null, previous, "one interval per second per series, " + tag + " at " +
                interval.getStartTimeStamp());
        }
        final Map<Long, Long> endToEnd = series.get("null");
        assertTrue(endToEnd.size() >= MIN_INTERVALS, "intervals over several seconds: " + endToEnd);
        assertEquals(MESSAGES, endToEnd.values().stream().mapToLong(Long::longValue).sum(),
            "the untagged series is end-to-end only, each message once: " + endToEnd);
        for (final String stage : STAGES)
        {
            assertEquals(endToEnd, series.get(stage), "stage " + stage + ": same seconds, same counts as end-to-end");
        }
        assertEquals(1 + STAGES.size(), series.size(), series.keySet().toString());
    }

    @Test
    void shouldBeProcessedByHistogramLogProcessorWithAndWithoutATag() throws Exception
    {
        assertTrue(processLog(hlog, dir.resolve("untagged")).replaceAll("\\s+", " ")
            .contains("Total count = " + MESSAGES));
        for (final String stage : STAGES)
        {
            final String distribution = processLog(hlog, dir.resolve(stage), "-tag", stage);
            assertTrue(distribution.replaceAll("\\s+", " ").contains("Total count = " + MESSAGES), stage + ":\n" +
                distribution);
        }
    }

    /** Runs HdrHistogram's own log processor in this process; returns its percentile distribution (.hgrm) file. */
    private static String processLog(final Path hlog, final Path output, final String... extra) throws Exception
    {
        final List<String> args = new ArrayList<>(List.of("-i", hlog.toString(), "-o", output.toString()));
        args.addAll(List.of(extra));
        final PrintStream stdout = System.out;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try
        {
            new HistogramLogProcessor(args.toArray(new String[0])).run();
        }
        finally
        {
            System.setOut(stdout);
        }
        final Path distribution = Path.of(output + ".hgrm");
        assertTrue(Files.exists(distribution), "HistogramLogProcessor wrote no distribution: " + captured);
        return Files.readString(distribution);
    }
}
