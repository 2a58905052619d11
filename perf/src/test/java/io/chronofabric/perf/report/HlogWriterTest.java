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
    /** Intervals with latencies in them per round (each round's first interval is empty). */
    private static final int INTERVALS_PER_ROUND = 5;
    private static final long START_MILLIS = 1_796_145_990_639L;

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

    /**
     * Three rounds of five intervals of about 100 ms, each starting with an empty interval (the sampler's first, before
     * the first send), at the offsets of a real run: at these epoch milliseconds, {@code base + 1.198 - base} is
     * below 1.198 in doubles, so a time range written exactly at an interval's start would leave that interval out.
     */
    private static ModeSummary summary()
    {
        final long[][] offsets = {
            {0, 129, 234, 334, 436, 538, 637},
            {1_095, 1_198, 1_301, 1_404, 1_505, 1_615, 1_722},
            {2_301, 2_410, 2_511, 2_613, 2_716, 2_820, 2_922}};
        final List<TrialResult> trials = new ArrayList<>();
        final ByteBuffer buffer = ByteBuffer.allocate(LatencyProbe.newHistogram().getNeededByteBufferCapacity());
        for (int round = 0; round < ROUNDS; round++)
        {
            final Histogram trialHistogram = LatencyProbe.newHistogram();
            final List<IntervalSample> intervals = new ArrayList<>();
            for (int i = 0; i < offsets[round].length - 1; i++)
            {
                final Histogram interval = LatencyProbe.newHistogram();
                final int messages = 0 == i ? 0 : 100 + 10 * round + i;
                for (int message = 0; message < messages; message++)
                {
                    interval.recordValue(1_000L * (round + 1) + 7L * message + i);
                }
                interval.setStartTimeStamp(START_MILLIS + offsets[round][i]);
                interval.setEndTimeStamp(START_MILLIS + offsets[round][i + 1]);
                trialHistogram.add(interval);
                intervals.add(IntervalSample.of(interval, buffer));
            }
            final Rss rss = new Rss(1, 1, 1);
            trials.add(new TrialResult(SystemKind.CHRONOFABRIC, Mode.LATENCY, round, 1000, trialHistogram.getTotalCount(),
                1_000_000_000L, trialHistogram, intervals, 0, List.of(), rss, rss, Map.of(), null, null));
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
