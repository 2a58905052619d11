package io.chronofabric.perf.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.chronofabric.perf.model.Mode;
import io.chronofabric.perf.model.ModeSummary;
import io.chronofabric.perf.model.PerfReport;
import io.chronofabric.perf.spi.SystemKind;

/**
 * Writes every file of a run into its output folder: report.txt (the tables), results.csv, sweep.csv,
 * report.json, one {@code .hlog} per system and mode, and the PNG charts.
 */
public final class ReportFiles
{
    private static final List<Mode> MODES = List.of(Mode.THROUGHPUT, Mode.LATENCY);
    private static final String TABLE = "report.txt";
    private static final String JSON = "report.json";
    private static final String CSV = "results.csv";
    private static final String SWEEP_CSV = "sweep.csv";
    private static final String SWEEP_PLOT = "rate-sweep.png";

    private ReportFiles()
    {
    }

    /**
     * @param report the run.
     * @param files  receives each file once it is written, a short name to its path: on a failure, those before it;
     *               report.json lists the same.
     * @return {@code files}.
     * @throws OutputNotWrittenException when a file cannot be written.
     */
    public static Map<String, String> write(final PerfReport report, final Map<String, String> files)
    {
        final Path dir = report.plan().outDir();
        try
        {
            Files.createDirectories(dir);
            deleteAnEarlierReport(dir);
            files.put("table", text(dir.resolve(TABLE), TableWriter.write(report)));
            files.put("csv", text(dir.resolve(CSV), CsvWriter.results(report)));
            if (!report.sweep().isEmpty())
            {
                files.put("sweep_csv", text(dir.resolve(SWEEP_CSV), CsvWriter.sweep(report)));
            }
            for (final Map.Entry<SystemKind, Map<Mode, ModeSummary>> system : report.summaries().entrySet())
            {
                for (final ModeSummary summary : system.getValue().values())
                {
                    final String name = hlogName(system.getKey(), summary.mode());
                    final Path file = dir.resolve(name + ".hlog");
                    HlogWriter.write(summary, file);
                    files.put("hlog_" + name, file.toString());
                }
            }
            for (final Mode mode : MODES)
            {
                final Path percentiles = dir.resolve(percentilesPlot(mode));
                PlotWriter.percentiles(report, mode, percentiles);
                files.put("plot_percentiles_" + mode.label(), percentiles.toString());
                final Path overTime = dir.resolve(overTimePlot(mode));
                PlotWriter.overTime(report, mode, overTime);
                files.put("plot_over_time_" + mode.label(), overTime.toString());
            }
            if (!report.sweep().isEmpty())
            {
                final Path sweep = dir.resolve(SWEEP_PLOT);
                PlotWriter.sweep(report, sweep);
                files.put("plot_sweep", sweep.toString());
            }
            final Path json = dir.resolve(JSON);
            files.put("json", json.toString());
            text(json, JsonWriter.write(report, files));
            return files;
        }
        catch (final IOException ex)
        {
            throw new OutputNotWrittenException(dir, ex);
        }
    }

    /** @return a system's interval log name in a mode, without ".hlog"; '+' in its label is written '-'. */
    private static String hlogName(final SystemKind kind, final Mode mode)
    {
        return kind.label().replace('+', '-') + "-" + mode.label();
    }

    private static String percentilesPlot(final Mode mode)
    {
        return "latency-percentiles-" + mode.label() + ".png";
    }

    private static String overTimePlot(final Mode mode)
    {
        return "latency-over-time-" + mode.label() + ".png";
    }

    /**
     * A folder given again holds the files of the report before (its {@code report.json} says there was one): those
     * this one would not write (a system or the sweep left out now) would be read as this run's. Only the names a
     * report writes are deleted; other files are left alone.
     */
    private static void deleteAnEarlierReport(final Path dir) throws IOException
    {
        if (!Files.isRegularFile(dir.resolve(JSON)))
        {
            return;
        }
        final List<String> names = new ArrayList<>(List.of(TABLE, JSON, CSV, SWEEP_CSV, SWEEP_PLOT));
        for (final Mode mode : MODES)
        {
            names.add(percentilesPlot(mode));
            names.add(overTimePlot(mode));
            for (final SystemKind kind : SystemKind.values())
            {
                names.add(hlogName(kind, mode) + ".hlog");
            }
        }
        for (final String name : names)
        {
            final Path file = dir.resolve(name);
            if (Files.isRegularFile(file))
            {
                Files.delete(file);
            }
        }
    }

    private static String text(final Path file, final String text)
    {
        OutputFiles.writeText(file, text);
        return file.toString();
    }
}
