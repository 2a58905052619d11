package io.chronofabric.cli.analysis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Samples parsed from the Prometheus text exposition format (version 0.0.4, what {@code /metrics} serves a plain
 * HTTP client), for the {@code diagnose} command and for tests. The Prometheus Java client writes this format but
 * does not read it; this reader handles what it writes: {@code # HELP} and {@code # TYPE} lines, label values with
 * escapes, special values and optional timestamps.
 */
public final class MetricsText
{
    /**
     * One sample line.
     *
     * @param name   the sample name, e.g. {@code chronofabric_stage_latency_seconds_bucket}.
     * @param labels its labels, in order.
     * @param value  its value.
     */
    public record Sample(String name, Map<String, String> labels, double value)
    {
    }

    private final List<Sample> samples;
    private final Map<String, String> types;

    private MetricsText(final List<Sample> samples, final Map<String, String> types)
    {
        this.samples = Collections.unmodifiableList(samples);
        this.types = Collections.unmodifiableMap(types);
    }

    /**
     * @param text the exposition text.
     * @return its samples.
     * @throws IllegalArgumentException naming the line that is not in the format.
     */
    public static MetricsText parse(final String text)
    {
        final List<Sample> samples = new ArrayList<>();
        final Map<String, String> types = new LinkedHashMap<>();
        int number = 0;
        for (final String line : text.split("\n"))
        {
            number++;
            if (line.startsWith("# TYPE "))
            {
                final String[] parts = line.substring("# TYPE ".length()).trim().split(" ");
                types.put(parts[0], parts.length > 1 ? parts[1] : "untyped");
            }
            else if (!line.isBlank() && !line.startsWith("#"))
            {
                samples.add(SampleLine.parse(line, number));
            }
        }
        return new MetricsText(samples, types);
    }

    /** @return every sample, in the order of the text. */
    public List<Sample> samples()
    {
        return samples;
    }

    /** @return each family's declared type ({@code counter}, {@code gauge}, {@code histogram}, ...), by family name. */
    public Map<String, String> types()
    {
        return types;
    }

    /**
     * @param name        a sample name.
     * @param labelValues label name, value, name, value...: the labels the sample must have (others may follow).
     * @return the value of the first sample with that name and those labels, or empty when there is none.
     */
    public OptionalDouble value(final String name, final String... labelValues)
    {
        for (final Sample sample : samples)
        {
            if (sample.name().equals(name) && hasLabels(sample, labelValues))
            {
                return OptionalDouble.of(sample.value());
            }
        }
        return OptionalDouble.empty();
    }

    /**
     * @param name        a sample name.
     * @param labelValues label name, value, ...: the labels the samples must have.
     * @return those samples, in order.
     */
    public List<Sample> samples(final String name, final String... labelValues)
    {
        final List<Sample> matching = new ArrayList<>();
        for (final Sample sample : samples)
        {
            if (sample.name().equals(name) && hasLabels(sample, labelValues))
            {
                matching.add(sample);
            }
        }
        return matching;
    }

    private static boolean hasLabels(final Sample sample, final String... labelValues)
    {
        for (int i = 0; i + 1 < labelValues.length; i += 2)
        {
            if (!labelValues[i + 1].equals(sample.labels().get(labelValues[i])))
            {
                return false;
            }
        }
        return true;
    }
}
