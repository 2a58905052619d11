package io.chronofabric.cli.journal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.chronofabric.perf.report.OutputFiles;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;

/**
 * Draws the latency percentile distribution of each stage and end to end as a PNG, the usual HdrHistogram plot:
 * latency against percentile on a log scale of 1/(1-p), so that p50, p90, p99, p99.9 and p99.99 are evenly spaced.
 * Rendered headless with XChart.
 */
final class PercentilePlot
{
    private static final int WIDTH = 1200;
    private static final int HEIGHT = 700;
    private static final int TICKS_PER_HALF_DISTANCE = 5;

    private PercentilePlot()
    {
    }

    /**
     * @param histograms one cumulative histogram per stage, in nanoseconds.
     * @param file       the PNG to write.
     * @param title      the chart title.
     * @throws io.chronofabric.perf.report.OutputNotWrittenException when the file cannot be written.
     */
    static void write(final Map<TraceStage, Histogram> histograms, final Path file, final String title)
    {
        System.setProperty("java.awt.headless", "true");
        final XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
            .xAxisTitle("percentile").yAxisTitle("latency (us)").build();
        chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true)
            .setXAxisTickLabelsFormattingFunction(PercentilePlot::percentileLabel);
        chart.getStyler().setMarkerSize(0);
        histograms.forEach((stage, histogram) ->
        {
            if (histogram.getTotalCount() > 0)
            {
                addSeries(chart, stage.label(), histogram);
            }
        });
        OutputFiles.writePng(chart, file);
    }

    private static void addSeries(final XYChart chart, final String name, final Histogram histogram)
    {
        final List<Double> x = new ArrayList<>();
        final List<Double> y = new ArrayList<>();
        for (final HistogramIterationValue value : histogram.percentiles(TICKS_PER_HALF_DISTANCE))
        {
            final double fraction = value.getPercentileLevelIteratedTo() / 100.0;
            if (fraction >= 1.0)
            {
                break;
            }
            x.add(1.0 / (1.0 - fraction));
            y.add(Math.max(0.001, histogram.highestEquivalentValue(value.getValueIteratedTo()) / 1000.0));
        }
        if (!x.isEmpty())
        {
            final XYSeries series = chart.addSeries(name, x, y);
            series.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
        }
    }

    private static String percentileLabel(final Double inverseTail)
    {
        final double percentile = 100.0 * (1.0 - 1.0 / inverseTail);
        return percentile < 1 ? "0%" : new java.text.DecimalFormat("0.####").format(percentile) + "%";
    }
}
