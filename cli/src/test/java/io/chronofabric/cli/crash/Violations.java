package io.chronofabric.cli.crash;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The violations a check found, by check letter: how many, and the first few in full, so that a failure message
 * names offending ids without growing with the journal. It proves nothing itself; it is how the checks report.
 */
public final class Violations
{
    private static final int SHOWN = 8;

    private final Map<String, Long> counts = new TreeMap<>();
    private final Map<String, List<String>> firsts = new TreeMap<>();

    /**
     * @param check  the check's letter and name, e.g. {@code "b settled"}.
     * @param detail what is wrong, naming the message id.
     */
    public void add(final String check, final String detail)
    {
        final long count = counts.merge(check, 1L, Long::sum);
        if (count <= SHOWN)
        {
            firsts.computeIfAbsent(check, c -> new ArrayList<>()).add(detail);
        }
    }

    /** @return true when no check found anything. */
    public boolean isEmpty()
    {
        return counts.isEmpty();
    }

    /**
     * @param check a check as passed to {@link #add}.
     * @return how many violations it found.
     */
    public long count(final String check)
    {
        return counts.getOrDefault(check, 0L);
    }

    @Override
    public String toString()
    {
        if (counts.isEmpty())
        {
            return "no violations";
        }
        final StringBuilder out = new StringBuilder();
        counts.forEach((check, count) ->
        {
            out.append("(").append(check).append("): ").append(count).append(" violation(s)");
            if (count > SHOWN)
            {
                out.append(", the first ").append(SHOWN);
            }
            out.append('\n');
            firsts.get(check).forEach(detail -> out.append("    ").append(detail).append('\n'));
        });
        return out.toString();
    }
}
