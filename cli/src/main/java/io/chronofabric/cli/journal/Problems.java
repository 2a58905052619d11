package io.chronofabric.cli.journal;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The findings of a scan, each with the queue and index it concerns. All are counted; the first {@link #KEPT} are
 * kept for printing, so a badly damaged journal cannot flood the output or the heap.
 */
final class Problems
{
    /** Findings kept in full; the rest are only counted. */
    static final int KEPT = 1000;

    /** One finding. */
    record Problem(String queue, long index, String kind, String message)
    {
        /** @return one readable line. */
        String line()
        {
            return queue + (index < 0 ? "" : " index " + Indexes.both(index)) + ": " + kind + ": " + message;
        }

        /** @return the fields of one JSON object. */
        Map<String, Object> json()
        {
            final Map<String, Object> json = new LinkedHashMap<>();
            json.put("queue", queue);
            json.put("index", index < 0 ? null : index);
            json.put("index_hex", index < 0 ? null : Indexes.hex(index));
            json.put("kind", kind);
            json.put("message", message);
            return json;
        }
    }

    private final List<Problem> kept = new ArrayList<>();
    private final Map<String, Long> counts = new TreeMap<>();
    private long total;

    /**
     * @param queue   {@code journal} or {@code trace}.
     * @param index   the queue index concerned, -1 when none.
     * @param kind    a short kind, e.g. {@code corrupt_record}.
     * @param message what is wrong.
     */
    void add(final String queue, final long index, final String kind, final String message)
    {
        total++;
        counts.merge(kind, 1L, Long::sum);
        if (kept.size() < KEPT)
        {
            kept.add(new Problem(queue, index, kind, message));
        }
    }

    /** @return true when nothing was found. */
    boolean isEmpty()
    {
        return 0 == total;
    }

    /** @return how many findings, kept or not. */
    long total()
    {
        return total;
    }

    /** @param kind a kind. @return how many findings of that kind. */
    long count(final String kind)
    {
        return counts.getOrDefault(kind, 0L);
    }

    /** @return the count per kind. */
    Map<String, Long> counts()
    {
        return counts;
    }

    /** @return the kept findings, in the order found. */
    List<Problem> kept()
    {
        return kept;
    }

    /** @return the kept findings as JSON objects. */
    List<Map<String, Object>> json()
    {
        final List<Map<String, Object>> json = new ArrayList<>(kept.size());
        kept.forEach(problem -> json.add(problem.json()));
        return json;
    }

    /**
     * Prints every kept finding, one per line, then how many were not kept.
     *
     * @param out    where to print.
     * @param prefix put before each line.
     */
    void print(final PrintWriter out, final String prefix)
    {
        kept.forEach(problem -> out.println(prefix + problem.line()));
        if (total > kept.size())
        {
            out.println(prefix + "... and " + (total - kept.size()) + " more");
        }
    }
}
