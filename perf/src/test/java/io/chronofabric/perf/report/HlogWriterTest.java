package io.chronofabric.perf.report;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.chronofabric.perf.model.IntervalSample;
import io.chronofabric.perf.model.Mode;
import io.chronofabric.perf.model.ModeSummary;
import io.chronofabric.perf.model.Rss;
import io.chronofabric.perf.model.TrialResult;
import io.chronofabric.perf.spi.LatencyProbe;
import io.chronofabric.perf.spi.SystemKind;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogProcessor;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The perf harness's {@code .hlog} files, written to real files and read back with HdrHistogram's own reader and
 * log processor.
 */
class HlogWriterTest
{
    private static final int ROUNDS = 3;
    private static final int INTERVALS_PER_ROUND = 5;
    private static final long INTERVAL_MILLIS = 100;
    /** A second between the rounds' trials of one system: the other systems' trials run then. */
    private static final long ROUND_GAP_MILLIS = 1_000;
    private static final long START_MILLIS = 1_764_547_200_000L;

    @TempDir
    Path dir;

    @Test
    void shouldBeReadByHistogramLogProcessorWithoutATagAsEveryRoundMerged() throws Exception
    {
        final ModeSummary summary = summary();
        final Path hlog = dir.resolve("chronofabric-latency.hlog");
        HlogWriter.write(summary, hlog);

        final String distribution = processLog(hlog, dir.resolve("all"));
        assertTrue(distribution.replaceAll("\\s+", " ").contains("Total count = " + summary.histogram().getTotalCount()),
            distribution);
        assertTrue(distribution.replaceAll("\\s+", " ")
            .contains("Max = " + String.format("%.3f", summary.histogram().getMaxValue() / 1e6)), distribution);
    }

    @Test
    void shouldWriteEveryIntervalOnceUntaggedInTimeOrder() throws Exception
    {
        final ModeSummary summary = summary();
        final Path hlog = dir.resolve("chronofabric-latency.hlog");
        HlogWriter.write(summary, hlog);

        final List<EncodableHistogram> read = readAll(hlog);
        assertEquals(ROUNDS * INTERVALS_PER_ROUND, read.size());
        long total = 0;
        long previousStart = Long.MIN_VALUE;
        for (final EncodableHistogram interval : read)
        {
            assertNull(interval.getTag(), "the main series is untagged: " + interval.getTag());
            assertTrue(interval.getStartTimeStamp() > previousStart, "intervals in time order");
            previousStart = interval.getStartTimeStamp();
            total += ((Histogram)interval).getTotalCount();
        }
        assertEquals(summary.histogram().getTotalCount(), total, "every interval once, none twice");
    }

    @Test
    void shouldNameEachRoundsTimeRangeSoThatHistogramLogProcessorSelectsOneRound() throws Exception
    {
        final ModeSummary summary = summary();
        final Path hlog = dir.resolve("chronofabric-latency.hlog");
        HlogWriter.write(summary, hlog);

        final Pattern round = Pattern.compile("^#round (\\d+): -start ([0-9.]+) -end ([0-9.]+)", Pattern.MULTILINE);
        final Matcher matcher = round.matcher(Files.readString(hlog));
        int rounds = 0;
        while (matcher.find())
        {
            rounds++;
            final int number = Integer.parseInt(matcher.group(1));
            final TrialResult trial = summary.trials().get(number - 1);
            final String distribution = processLog(hlog, dir.resolve("round" + number), "-start", matcher.group(2),
                "-end", matcher.group(3));
            assertTrue(distribution.replaceAll("\\s+", " ").contains("Total count = " + trial.histogram().getTotalCount()),
                "round " + number + ": " + distribution);
        }
        assertEquals(ROUNDS, rounds, "one time range per round");
    }

    /** Three rounds of five 100 ms intervals, each round a second apart, each interval's latencies distinct. */
    private static ModeSummary summary()
    {
        final List<TrialResult> trials = new ArrayList<>();
        final ByteBuffer buffer = ByteBuffer.allocate(LatencyProbe.newHistogram().getNeededByteBufferCapacity());
        long now = START_MILLIS;
        for (int round = 0; round < ROUNDS; round++)
        {
            final Histogram trialHistogram = LatencyProbe.newHistogram();
            final List<IntervalSample> intervals = new ArrayList<>();
            for (int i = 0; i < INTERVALS_PER_ROUND; i++)
            {
                final Histogram interval = LatencyProbe.newHistogram();
                for (int message = 0; message < 100 + 10 * round + i; message++)
                {
                    interval.recordValue(1_000L * (round + 1) + 7L * message + i);
                }
                interval.setStartTimeStamp(now);
                interval.setEndTimeStamp(now + INTERVAL_MILLIS);
                now += INTERVAL_MILLIS;
                trialHistogram.add(interval);
                intervals.add(IntervalSample.of(interval, buffer));
            }
            now += ROUND_GAP_MILLIS;
            final Rss rss = new Rss(1, 1, 1);
            trials.add(new TrialResult(SystemKind.CHRONOFABRIC, Mode.LATENCY, round, 1000, trialHistogram.getTotalCount(),
                1_000_000_000L, trialHistogram, intervals, 0, List.of(), rss, rss, Map.of()));
        }
        return ModeSummary.of(trials);
    }

    private static List<EncodableHistogram> readAll(final Path hlog) throws FileNotFoundException
    {
        final List<EncodableHistogram> all = new ArrayList<>();
        final HistogramLogReader reader = new HistogramLogReader(hlog.toFile());
        for (EncodableHistogram interval = reader.nextIntervalHistogram(); null != interval;
             interval = reader.nextIntervalHistogram())
        {
            all.add(interval);
        }
        return all;
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
