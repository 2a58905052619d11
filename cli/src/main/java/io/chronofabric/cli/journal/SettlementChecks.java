package io.chronofabric.cli.journal;

import io.chronofabric.journal.SettledState;

/**
 * The check {@code verify} makes of the settlement log against the journal: every message id a settlement document
 * names (settled, dead-lettered or retried) was journaled before it was delivered, so a journal that lacks one lost
 * it. This is what finds a roll file missing from the middle of a journal written with the latency trace off: an idle
 * cycle has no file either, so Chronicle's indexes show no gap. Unknown ids are reported as runs of documents, not one
 * line each.
 */
final class SettlementChecks implements SettledState.NamedIdSink
{
    /** The kind of problem it reports. */
    static final String SETTLED_NOT_JOURNALED = "settled_not_journaled";

    private final IdSet journaled;
    private final long lowest;
    private final long highest;
    private final Problems problems;
    private long firstDocument = -1;
    private long lastDocument;
    private long lowestUnknown;
    private long highestUnknown;

    /**
     * @param journaled the ids of the journal's valid records.
     * @param lowest    its first id: ids below it were pruned, and documents naming them are older than the journal.
     * @param highest   its highest id: ids above it were journaled after it was read (a live engine's), or are a
     *                  start's floor beyond its end, and are not checked.
     * @param problems  where findings go.
     */
    SettlementChecks(final IdSet journaled, final long lowest, final long highest, final Problems problems)
    {
        this.journaled = journaled;
        this.lowest = lowest;
        this.highest = highest;
        this.problems = problems;
    }

    @Override
    public void named(final long documentIndex, final long id)
    {
        if (id < lowest || id > highest || journaled.contains(id))
        {
            if (documentIndex != lastDocument)
            {
                end();
            }
            return;
        }
        if (firstDocument < 0)
        {
            firstDocument = documentIndex;
            lowestUnknown = id;
            highestUnknown = id;
        }
        lastDocument = documentIndex;
        lowestUnknown = Math.min(lowestUnknown, id);
        highestUnknown = Math.max(highestUnknown, id);
    }

    /** Reports the run of documents naming unknown ids read last, if any. */
    void end()
    {
        if (firstDocument < 0)
        {
            return;
        }
        final String documents = firstDocument == lastDocument ? "settlement document " + Indexes.hex(firstDocument) +
            " names" : "settlement documents " + Indexes.hex(firstDocument) + " to " + Indexes.hex(lastDocument) + " name";
        final String ids = lowestUnknown == highestUnknown ? "message id " + lowestUnknown + ", which" :
            "message ids from " + lowestUnknown + " to " + highestUnknown + ", which";
        problems.add("settled", firstDocument, SETTLED_NOT_JOURNALED, documents + " as settled " + ids +
            " no valid journal record has: journaled messages are missing (a roll file deleted or lost)");
        firstDocument = -1;
    }
}
