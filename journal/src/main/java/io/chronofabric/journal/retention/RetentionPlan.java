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
        return null == blocked ? null : "retention cannot delete cycle " + blocked.cycle() + " (" +
            blocked.file().getFileName() + ", " + blocked.reason() + "): it holds unsettled message id " +
            oldestUnsettledId() + " (settled watermark " + watermark + ", last id in the cycle " +
            blocked.lastId() + "); the cycle is kept until every message in it is delivered or dead-lettered " +
            "for every subscriber";
    }
}
