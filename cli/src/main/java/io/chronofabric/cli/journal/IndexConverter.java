package io.chronofabric.cli.journal;

import java.util.Locale;

import picocli.CommandLine;

/**
 * Parses a Chronicle Queue index as the tools print it: hexadecimal with a {@code 0x} prefix (cycle in the high
 * bits), or decimal. A record within a document is addressed by {@link RecordPosition}.
 */
final class IndexConverter
{
    private IndexConverter()
    {
    }

    /**
     * @param value {@code 0x4e6a00000005} or {@code 86214303989765}.
     * @return the index.
     * @throws CommandLine.TypeConversionException naming the value and the allowed forms.
     */
    static long parse(final String value)
    {
        final String text = value.trim().toLowerCase(Locale.ROOT).replace("_", "");
        try
        {
            final long index = text.startsWith("0x") ? Long.parseUnsignedLong(text.substring(2), 16)
                : Long.parseLong(text);
            if (index >= 0)
            {
                return index;
            }
        }
        catch (final NumberFormatException ignored)
        {
            // reported below with the allowed forms
        }
        throw new CommandLine.TypeConversionException("'" + value + "' is not a queue index; allowed: a " +
            "non-negative decimal number or hexadecimal with 0x, e.g. 0x4e6a00000005");
    }

    /**
     * @param value text to test.
     * @return true when it looks like an index rather than a time.
     */
    static boolean looksLikeIndex(final String value)
    {
        final String text = value.trim().toLowerCase(Locale.ROOT);
        return text.startsWith("0x") || text.chars().allMatch(c -> Character.isDigit(c) || '_' == c || '+' == c);
    }
}
