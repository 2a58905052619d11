package io.chronofabric.engine.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One rule for the names of the settings' enum values, as profiles and the command line write them: lower case with
 * '-' for '_', read case-insensitively with either separator.
 */
final class EnumLabels
{
    private EnumLabels()
    {
    }

    /** @param value an enum value. @return its lower-case name with '-'. */
    static String label(final Enum<?> value)
    {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** @param type an enum. @return its values' labels, comma separated. */
    static <E extends Enum<E>> String allowed(final Class<E> type)
    {
        return Arrays.stream(type.getEnumConstants()).map(EnumLabels::label).collect(Collectors.joining(", "));
    }

    /**
     * @param type an enum.
     * @param name a label, case-insensitive, '-' or '_'.
     * @param what what the enum is, for the message: "unknown {what} 'x'; allowed: ...".
     * @return the value.
     * @throws IllegalArgumentException naming the allowed values.
     */
    static <E extends Enum<E>> E parse(final Class<E> type, final String name, final String what)
    {
        final String wanted = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (final E value : type.getEnumConstants())
        {
            if (label(value).equals(wanted))
            {
                return value;
            }
        }
        throw new IllegalArgumentException("unknown " + what + " '" + name + "'; allowed: " + allowed(type));
    }
}
