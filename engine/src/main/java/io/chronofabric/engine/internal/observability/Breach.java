package io.chronofabric.engine.internal.observability;

/**
 * A measurement that missed its target during one monitor interval.
 *
 * @param metric what was measured: one of {@link TargetChecks#METRICS}, e.g. {@code latency_p99}.
 * @param value  the measured value, in {@code unit}.
 * @param target the target, in {@code unit}.
 * @param unit   how values are written, e.g. {@code ns}, {@code msg/s}, {@code %}.
 * @param key    the profile key that sets the target.
 * @param hint   one line on what to look at or change.
 */
public record Breach(String metric, double value, double target, String unit, String key, String hint)
{
    /** @return the log line: metric, value, target, hint. */
    public String describe()
    {
        return "target breach: metric=" + metric + " value=" + format(value) + unit + " target=" + format(target) +
            unit + " (" + key + "); hint: " + hint;
    }

    private static String format(final double number)
    {
        return number == Math.rint(number) && Math.abs(number) < 1e15 ? String.format("%,d", (long)number) :
            String.format("%,.4f", number);
    }
}
