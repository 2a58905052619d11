package io.chronofabric.cli.analysis;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses one sample line of the Prometheus text format: {@code name{label="value",...} value [timestamp]}.
 */
final class SampleLine
{
    private SampleLine()
    {
    }

    static MetricsText.Sample parse(final String line, final int number)
    {
        final Map<String, String> labels = new LinkedHashMap<>();
        int at = 0;
        while (at < line.length() && '{' != line.charAt(at) && ' ' != line.charAt(at))
        {
            at++;
        }
        final String name = line.substring(0, at);
        if (at < line.length() && '{' == line.charAt(at))
        {
            at = labels(line, at + 1, labels, number);
        }
        final String[] rest = line.substring(at).trim().split("\\s+");
        if (name.isEmpty() || rest[0].isEmpty())
        {
            throw bad(line, number, "expected: name{labels} value");
        }
        return new MetricsText.Sample(name, labels, value(rest[0], line, number));
    }

    private static int labels(final String line, final int from, final Map<String, String> into, final int number)
    {
        int at = from;
        while (at < line.length() && '}' != line.charAt(at))
        {
            final int equals = line.indexOf("=\"", at);
            if (equals < 0)
            {
                throw bad(line, number, "a label without =\"value\"");
            }
            final String label = line.substring(at, equals).trim();
            final StringBuilder value = new StringBuilder();
            at = equals + 2;
            while (at < line.length() && '"' != line.charAt(at))
            {
                char c = line.charAt(at++);
                if ('\\' == c && at < line.length())
                {
                    c = line.charAt(at++);
                    c = 'n' == c ? '\n' : c;
                }
                value.append(c);
            }
            into.put(label, value.toString());
            at++;
            while (at < line.length() && (',' == line.charAt(at) || ' ' == line.charAt(at)))
            {
                at++;
            }
        }
        if (at >= line.length())
        {
            throw bad(line, number, "labels not closed with }");
        }
        return at + 1;
    }

    private static double value(final String text, final String line, final int number)
    {
        switch (text)
        {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                try
                {
                    return Double.parseDouble(text);
                }
                catch (final NumberFormatException ex)
                {
                    throw bad(line, number, "value '" + text + "' is not a number");
                }
        }
    }

    private static IllegalArgumentException bad(final String line, final int number, final String why)
    {
        return new IllegalArgumentException("metrics line " + number + " is not in the Prometheus text format (" +
            why + "): " + line);
    }
}
