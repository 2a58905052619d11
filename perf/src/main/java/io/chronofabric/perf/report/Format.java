package io.chronofabric.perf.report;

import java.util.Locale;

/**
 * Number formatting shared by the report writers: latencies in microseconds, rates with thousands separators,
 * ratios with two decimals, and a dash for what was not measured.
 */
final class Format
{
    private Format()
    {
    }

    static String micros(final long nanos)
    {
        return String.format(Locale.ROOT, nanos < 10_000 ? "%.3f" : nanos < 1_000_000 ? "%.1f" : "%,.0f", nanos / 1e3);
    }

    static String rate(final double perSecond)
    {
        return Double.isNaN(perSecond) ? "-" : 0 == perSecond ? "max" : String.format(Locale.ROOT, "%,.0f", perSecond);
    }

    static String ratio(final double ratio)
    {
        return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2fx", ratio);
    }

    static String bytes(final double bytes)
    {
        return bytes < 0 ? "-" : String.format(Locale.ROOT, "%.3f", bytes);
    }

    static String megabytes(final long kilobytes)
    {
        return kilobytes < 0 ? "-" : String.format(Locale.ROOT, "%.1f", kilobytes / 1024.0);
    }

    static String percent(final double fraction)
    {
        return fraction < 0 ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * fraction);
    }
}
