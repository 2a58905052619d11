package io.chronofabric.engine.internal.observability;

import java.util.List;
import java.util.Map;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/**
 * Builds metric families from values read at scrape time. Names are given without the {@code chronofabric_} prefix
 * and, for counters, without {@code _total}: the exposition writer appends it. The engine's collector and the node
 * layer's build theirs through it.
 */
public final class Families
{
    /** The prefix of every engine metric. */
    public static final String PREFIX = "chronofabric_";

    private final List<MetricSnapshot> into;

    /** @param into where the families go, in the order added. */
    public Families(final List<MetricSnapshot> into)
    {
        this.into = into;
    }

    /** Adds a counter without labels. */
    public void counter(final String name, final String help, final double value)
    {
        into.add(CounterSnapshot.builder().name(PREFIX + name).help(help)
            .dataPoint(CounterDataPointSnapshot.builder().value(value).build()).build());
    }

    /** Adds a counter with one label; one data point per entry, in the map's order. */
    public void counter(final String name, final String help, final String label,
        final Map<String, ? extends Number> values)
    {
        final CounterSnapshot.Builder builder = CounterSnapshot.builder().name(PREFIX + name).help(help);
        values.forEach((value, count) -> builder.dataPoint(CounterDataPointSnapshot.builder()
            .labels(Labels.of(label, value)).value(count.doubleValue()).build()));
        into.add(builder.build());
    }

    /** Adds a counter whose data points carry several labels. */
    public void counter(final String name, final String help, final List<Labels> labels,
        final List<? extends Number> values)
    {
        final CounterSnapshot.Builder builder = CounterSnapshot.builder().name(PREFIX + name).help(help);
        for (int i = 0; i < labels.size(); i++)
        {
            builder.dataPoint(CounterDataPointSnapshot.builder().labels(labels.get(i))
                .value(values.get(i).doubleValue()).build());
        }
        into.add(builder.build());
    }

    /** Adds a gauge without labels. */
    public void gauge(final String name, final String help, final double value)
    {
        into.add(GaugeSnapshot.builder().name(PREFIX + name).help(help)
            .dataPoint(GaugeDataPointSnapshot.builder().value(value).build()).build());
    }

    /** Adds a gauge whose data points carry labels. */
    public void gauge(final String name, final String help, final List<Labels> labels,
        final List<? extends Number> values)
    {
        final GaugeSnapshot.Builder builder = GaugeSnapshot.builder().name(PREFIX + name).help(help);
        for (int i = 0; i < labels.size(); i++)
        {
            builder.dataPoint(GaugeDataPointSnapshot.builder().labels(labels.get(i))
                .value(values.get(i).doubleValue()).build());
        }
        into.add(builder.build());
    }

    /** Adds any family built elsewhere (histograms, info). */
    public void add(final MetricSnapshot family)
    {
        into.add(family);
    }
}
