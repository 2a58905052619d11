package io.chronofabric.cli.journal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import picocli.CommandLine;

/**
 * Parses a point in time to compare with HLC wall times: an ISO-8601 instant ({@code 2026-11-24T02:18:45.5Z}, or with
 * an offset, {@code +01:00}), or epoch nanoseconds.
 */
final class TimeConverter implements CommandLine.ITypeConverter<Long>
{
    @Override
    public Long convert(final String value)
    {
        return parse(value);
    }

    /**
     * @param value an ISO-8601 instant or epoch nanoseconds.
     * @return epoch nanoseconds.
     * @throws CommandLine.TypeConversionException naming the value and the allowed forms.
     */
    static long parse(final String value)
    {
        final String text = value.trim();
        try
        {
            if (!text.isEmpty() && text.chars().allMatch(Character::isDigit))
            {
                return Long.parseLong(text);
            }
            final Instant instant = text.endsWith("Z") || text.endsWith("z") ? Instant.parse(text.toUpperCase())
                : OffsetDateTime.parse(text).toInstant();
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
        }
        catch (final DateTimeParseException | ArithmeticException | NumberFormatException ex)
        {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a time; allowed: an ISO-8601 " +
                "instant such as 2026-11-24T02:18:45.123456789Z (or with an offset, +01:00), or epoch nanoseconds");
        }
    }
}
