package io.chronofabric.journal.retention;

import java.util.List;

/**
 * One retention pass over a journal, decided before anything is deleted: a verdict per roll cycle, oldest first.
 * The cycles to delete are always a prefix (the oldest ones): a kept cycle keeps every newer one, so the journal
 * stays continuous from its first remaining cycle.
 *
 * @param verdicts   every cycle of the journal, oldest first.
 * @param watermark  the settled watermark the pass decided against.
 * @param blocked    the oldest cycle a limit wanted gone but that holds an unsettled message, or null.
 */
public record RetentionPlan(List<CycleVerdict> verdicts, long watermark, CycleVerdict blocked)
{
    /** @return the cycles to delete, oldest first. */
    public List<CycleVerdict> deletions()
    {
        return verdicts.stream().filter(CycleVerdict::delete).toList();
    }

    /** @return the first cycle that stays, or {@link Integer#MAX_VALUE} when the journal has none. */
    public int firstKeptCycle()
    {
        return verdicts.stream().filter(verdict -> !verdict.delete()).mapToInt(CycleVerdict::cycle).findFirst()
            .orElse(Integer.MAX_VALUE);
    }

    /** @return the oldest unsettled message: the one after the watermark, which the blocked cycle holds. */
    public long oldestUnsettledId()
    {
        return watermark + 1;
    }

    /** @return why retention cannot delete the blocked cycle, or null when nothing is blocked. */
    public String blockedReason()
    {
        return null == blocked ? null : unsettledReason(blocked, watermark);
    }

    /**
     * @param kept      a cycle a limit wants gone that holds an unsettled message.
     * @param watermark the settled watermark.
     * @return why retention cannot delete it: the cycle, the limit and the oldest unsettled id.
     */
    public static String unsettledReason(final CycleVerdict kept, final long watermark)
    {
        return "retention cannot delete cycle " + kept.cycle() + " (" + kept.file().getFileName() + ", " +
            kept.reason() + "): it holds unsettled message id " + (watermark + 1) + " (settled watermark " +
            watermark + ", last id in the cycle " + kept.lastId() + "); the cycle is kept until every message in " +
            "it is delivered or dead-lettered for every subscriber";
    }
}
