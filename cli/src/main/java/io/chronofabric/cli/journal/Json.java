package io.chronofabric.cli.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * JSON output of the journal tool: one indented document for reports, one compact object per line for streams.
 */
final class Json
{
    private static final ObjectMapper COMPACT = new ObjectMapper();
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json()
    {
    }

    /** @param value maps, lists, numbers, strings. @return indented JSON. */
    static String pretty(final Object value)
    {
        return write(PRETTY, value);
    }

    /** @param value maps, lists, numbers, strings. @return JSON on one line. */
    static String line(final Object value)
    {
        return write(COMPACT, value);
    }

    private static String write(final ObjectMapper mapper, final Object value)
    {
        try
        {
            return mapper.writeValueAsString(value);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException("cannot render JSON output", ex);
        }
    }
}
