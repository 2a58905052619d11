package io.chronofabric.perf.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.chronofabric.perf.model.IntervalSample;
import io.chronofabric.perf.model.Mode;
import io.chronofabric.perf.model.ModeSummary;
import io.chronofabric.perf.model.PerfReport;
import io.chronofabric.perf.model.RateSweep;
import io.chronofabric.perf.model.TrialResult;
import io.chronofabric.perf.spi.SystemKind;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG charts of a run (XChart, rendered off-screen): the latency percentile distribution of every system on one
 * log-log chart per mode, latency over time per mode (p99 of each sampling interval, last round), and the rate
 * sweep (p99 against offered rate, with the bound).
 */
public final class PlotWriter
{
    private static final int WIDTH = 1200;
    private static final int HEIGHT = 700;
    private static final int PERCENTILE_TICKS_PER_HALF_DISTANCE = 5;

    static
    {
        // charts are drawn into images: no display is needed, and none may be present
        System.setProperty("java.awt.headless", "true");
    }

    private PlotWriter()
    {
    }

    /**
     * @param report the run.
     * @param mode   the mode.
     * @param file   the PNG to write.
     */
    public static void percentiles(final PerfReport report, final Mode mode, final Path file)
    {
        final XYChart chart = chart("Latency by percentile, " + mode.label() + " mode" + rateNote(report, mode),
            "percentile", "latency (log)");
        chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true)
            .setxAxisTickLabelsFormattingFunction(PlotWriter::percentileLabel)
            .setyAxisTickLabelsFormattingFunction(PlotWriter::durationLabel);
        for (final Map.Entry<SystemKind, Map<Mode, ModeSummary>> system : report.summaries().entrySet())
        {
            final ModeSummary summary = system.getValue().get(mode);
            final List<Double> x = new ArrayList<>();
            final List<Double> y = new ArrayList<>();
            for (final HistogramIterationValue value : summary.histogram().percentiles(PERCENTILE_TICKS_PER_HALF_DISTANCE))
            {
                final double percentile = value.getPercentileLevelIteratedTo();
                if (percentile >= 100)
                {
                    break;
                }
                x.add(1 / (1 - percentile / 100));
                y.add(Math.max(0.001, value.getValueIteratedTo() / 1e3));
            }
            addSeries(chart, system.getKey().label(), x, y);
        }
        save(chart, file);
    }

    /**
     * @param report the run.
     * @param mode   the mode.
     * @param file   the PNG to write.
     */
    public static void overTime(final PerfReport report, final Mode mode, final Path file)
    {
        final XYChart chart = chart("p99 latency per " + report.plan().sampleIntervalNanos() / 1_000_000 +
            " ms interval, " + mode.label() + " mode, last round" + rateNote(report, mode), "seconds into the trial",
            "p99 latency (log)");
        chart.getStyler().setYAxisLogarithmic(true).setyAxisTickLabelsFormattingFunction(PlotWriter::durationLabel);
        for (final Map.Entry<SystemKind, Map<Mode, ModeSummary>> system : report.summaries().entrySet())
        {
            final List<TrialResult> trials = system.getValue().get(mode).trials();
            final List<IntervalSample> intervals = trials.get(trials.size() - 1).intervals();
            final long start = intervals.get(0).startMillis();
            final List<Double> x = new ArrayList<>();
            final List<Double> y = new ArrayList<>();
            for (final IntervalSample interval : intervals)
            {
                if (interval.count() > 0)
                {
                    x.add((interval.endMillis() - start) / 1e3);
                    y.add(Math.max(0.001, interval.p99() / 1e3));
                }
            }
            addSeries(chart, system.getKey().label(), x, y);
        }
        save(chart, file);
    }

    /**
     * @param report the run, with a sweep.
     * @param file   the PNG to write.
     */
    public static void sweep(final PerfReport report, final Path file)
    {
        final XYChart chart = chart("Rate sweep: p99 latency against offered rate", "offered rate (msg/s, log)",
            "p99 latency (log)");
        chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true)
            .setyAxisTickLabelsFormattingFunction(PlotWriter::durationLabel)
            .setxAxisTickLabelsFormattingFunction(rate -> String.format(Locale.ROOT, "%,.0f", rate));
        double lowest = Double.MAX_VALUE;
        double highest = 0;
        for (final RateSweep.Result result : report.sweep().values())
        {
            final List<RateSweep.StepResult> steps = new ArrayList<>(result.steps());
            steps.sort((a, b) -> Double.compare(a.rate(), b.rate()));
            final List<Double> x = new ArrayList<>();
            final List<Double> y = new ArrayList<>();
            for (final RateSweep.StepResult step : steps)
            {
                x.add(step.rate());
                y.add(Math.max(0.001, step.p99() / 1e3));
                lowest = Math.min(lowest, step.rate());
                highest = Math.max(highest, step.rate());
            }
            addSeries(chart, result.kind().label(), x, y);
        }
        if (highest > 0)
        {
            final double bound = report.plan().sweep().p99BoundNanos() / 1e3;
            final XYSeries series = chart.addSeries("p99 bound", List.of(lowest, highest), List.of(bound, bound));
            series.setMarker(SeriesMarkers.NONE);
        }
        save(chart, file);
    }

    private static String rateNote(final PerfReport report, final Mode mode)
    {
        return Mode.LATENCY == mode ? String.format(Locale.ROOT, " at %,.0f msg/s offered", report.plan().latencyRate()) :
            " (as fast as possible)";
    }

    private static String percentileLabel(final Double x)
    {
        final double percentile = 100 * (1 - 1 / x);
        return percentile <= 0 ? "0%" : new java.math.BigDecimal(percentile).round(new java.math.MathContext(6))
            .stripTrailingZeros().toPlainString() + "%";
    }

    private static String durationLabel(final Double micros)
    {
        if (micros < 1)
        {
            return String.format(Locale.ROOT, "%.1f us", micros);
        }
        if (micros < 1_000)
        {
            return String.format(Locale.ROOT, "%.0f us", micros);
        }
        return micros < 1_000_000 ? String.format(Locale.ROOT, "%.0f ms", micros / 1e3) :
            String.format(Locale.ROOT, "%.0f s", micros / 1e6);
    }

    private static XYChart chart(final String title, final String xTitle, final String yTitle)
    {
        final XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
            .yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW).setMarkerSize(4);
        return chart;
    }

    private static void addSeries(final XYChart chart, final String name, final List<Double> x, final List<Double> y)
    {
        if (!x.isEmpty())
        {
            chart.addSeries(name, x, y);
        }
    }

    private static void save(final XYChart chart, final Path file)
    {
        OutputFiles.writePng(chart, file);
    }
}
