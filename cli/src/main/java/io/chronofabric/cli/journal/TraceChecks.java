package io.chronofabric.cli.journal;

import java.nio.file.Path;

import io.chronofabric.journal.TraceEntry;

/**
 * The checks {@code verify} makes on the latency trace: every document valid (the reader checks version, length and
 * CRC), every traced id journaled, no id traced twice unless flagged as redelivered. Unknown ids are reported as
 * runs of consecutive entries: one damaged journal file would otherwise bury the journal's own findings under one
 * line per traced message.
 */
final class TraceChecks
{
    private final Problems problems;
    private long firstEntry = -1;
    private long lastEntry;
    private long firstId;
    private long lastId;

    private TraceChecks(final Problems problems)
    {
        this.problems = problems;
    }

    /**
     * @param journalDir  the journal folder.
     * @param journaled   the ids of the journal's valid records.
     * @param prunedBelow ids below it were pruned from the journal (0 when nothing was): the trace of a message
     *                    delivered just after its journal cycle ended lives in the next trace cycle, which survives
     *                    the prune of its journal cycle.
     * @param readAbove   ids above it were journaled after the journal was read (a live engine's), so their trace
     *                    entries are not checked; {@link Long#MAX_VALUE} for a journal at rest.
     * @param problems    where findings go.
     * @return trace entries read.
     */
    static long check(final Path journalDir, final IdSet journaled, final long prunedBelow, final long readAbove,
        final Problems problems)
    {
        final TraceChecks checks = new TraceChecks(problems);
        final IdSet traced = new IdSet();
        try (TraceScan trace = new TraceScan(journalDir, problems))
        {
            for (TraceEntry entry = trace.next(); null != entry; entry = trace.next())
            {
                if (journaled.contains(entry.id()) || entry.id() < prunedBelow || entry.id() > readAbove)
                {
                    checks.endRun();
                }
                else
                {
                    checks.unknown(trace.entries(), entry.id());
                }
                if (!traced.add(entry.id()) && !entry.redelivered())
                {
                    problems.add("trace", -1, "trace_duplicate_id", "trace entry " + trace.entries() + " traces " +
                        "message id " + entry.id() + " a second time without the redelivered flag");
                }
            }
            checks.endRun();
            return trace.entries();
        }
    }

    private void unknown(final long entry, final long id)
    {
        if (firstEntry >= 0 && entry == lastEntry + 1 && id == lastId + 1)
        {
            lastEntry = entry;
            lastId = id;
            return;
        }
        endRun();
        firstEntry = entry;
        lastEntry = entry;
        firstId = id;
        lastId = id;
    }

    private void endRun()
    {
        if (firstEntry < 0)
        {
            return;
        }
        problems.add("trace", -1, "trace_unknown_id", firstEntry == lastEntry
            ? "trace entry " + firstEntry + " is for message id " + firstId + ", which no valid journal record has"
            : "trace entries " + firstEntry + " to " + lastEntry + " are for message ids " + firstId + " to " +
                lastId + ", which no valid journal record has");
        firstEntry = -1;
    }
}
