package io.chronofabric.cli.journal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the tool shows a Chronicle Queue index: hexadecimal (cycle in the high bits, sequence in the low bits), and
 * decimal where there is room.
 */
final class Indexes
{
    private Indexes()
    {
    }

    /** @param index a queue index. @return {@code 0x4e6a00000005}. */
    static String hex(final long index)
    {
        return "0x" + Long.toHexString(index);
    }

    /** @param index a queue index. @return {@code 0x4e6a00000005 (86214303989765)}. */
    static String both(final long index)
    {
        return hex(index) + " (" + index + ")";
    }

    /** @param index a queue index, or a negative value for none. @return {hex, decimal} for JSON, null for none. */
    static Map<String, Object> json(final long index)
    {
        if (index < 0)
        {
            return null;
        }
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("hex", hex(index));
        json.put("decimal", index);
        return json;
    }
}
