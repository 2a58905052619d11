package io.chronofabric.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Renders command output as indented JSON through Jackson.
 */
final class Json
{
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json()
    {
    }

    /** @param value maps, lists, strings, numbers, booleans. @return the JSON text, with a trailing newline. */
    static String render(final Object value)
    {
        try
        {
            return MAPPER.writeValueAsString(value) + System.lineSeparator();
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException("cannot render the output as JSON", ex);
        }
    }
}
