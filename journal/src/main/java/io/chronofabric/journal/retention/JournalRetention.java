package io.chronofabric.journal.retention;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;

import io.chronofabric.journal.JournalFiles;
import io.chronofabric.journal.DeadLetterJournal;
import io.chronofabric.journal.TraceLayout;
import io.chronofabric.journal.JournalQueues;
import io.chronofabric.journal.JournalDocuments;
import io.chronofabric.journal.SettlementLayout;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.RollingResourcesCache;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Deletes whole roll cycles of a journal, oldest first, never one that holds an unsettled message: cycle C may go
 * when the id of its last record is at or below the settled watermark (ids increase in journal order, so every
 * record of C is then settled). The cycles come from Chronicle's own directory listing and roll-cycle arithmetic
 * (cycle start = epoch + cycle x length, file name from Chronicle's naming), and after deleting, the queue's
 * listing is refreshed so that Chronicle's readers start at the first remaining cycle. The newest cycle, and any
 * cycle at or after the current one by the clock, is never deleted: the appender writes (or is about to write) it.
 *
 * <p>The trace and dead-letter queues follow the journal: their cycles before the journal's first remaining one are
 * deleted with it. What was deleted is counted in the journal's Chronicle metadata (see {@link #prunedMessages}), so
 * the journal tool can say how much of the journal is gone.
 */
public final class JournalRetention
{
    /** Chronicle metadata key: messages deleted from the journal so far. */
    static final String PRUNED_MESSAGES = "chronofabric.pruned.messages";
    /** Chronicle metadata key: cycles deleted from the journal so far. */
    static final String PRUNED_CYCLES = "chronofabric.pruned.cycles";
    /** Chronicle metadata key: the highest message id deleted so far. */
    static final String PRUNED_LAST_ID = "chronofabric.pruned.last-id";

    private JournalRetention()
    {
    }

    /**
     * Decides a pass; deletes nothing.
     *
     * @param journal   the journal's queue.
     * @param policy    the limits.
     * @param watermark the settled watermark: every journaled id at or below it is settled.
     * @param nowMillis the time now, in ms since the epoch (cycle ages are measured against it).
     * @return the plan.
     */
    public static RetentionPlan plan(final ChronicleQueue journal, final RetentionPolicy policy, final long watermark,
        final long nowMillis)
    {
        final SingleChronicleQueue queue = (SingleChronicleQueue)journal;
        final RollCycle rollCycle = queue.rollCycle();
        final int current = rollCycle.current(() -> nowMillis, queue.epoch());
        final List<Integer> cycles = cycles(queue);
        final RollingResourcesCache names = names(queue);
        long remainingBytes = 0;
        final long[] bytes = new long[cycles.size()];
        for (int i = 0; i < cycles.size(); i++)
        {
            bytes[i] = allocated(file(names, cycles.get(i)));
            remainingBytes += bytes[i];
        }
        final List<CycleVerdict> verdicts = new ArrayList<>();
        CycleVerdict blocked = null;
        boolean keeping = false;
        final JournalDocuments documentFacts = new JournalDocuments();
        try (ExcerptTailer tailer = queue.createTailer())
        {
            for (int i = 0; i < cycles.size(); i++)
            {
                final int cycle = cycles.get(i);
                final Path file = file(names, cycle);
                final long documents = tailer.excerptsInCycle(cycle);
                final boolean written = i == cycles.size() - 1 || cycle >= current;
                final String wanted = written ? null : wanted(policy, i, cycles.size(), remainingBytes,
                    queue.epoch() + (cycle + 1L) * rollCycle.lengthInMillis(), nowMillis);
                if (keeping || null == wanted)
                {
                    // kept cycles are not counted: that reads every document, and the newest is still being written
                    keeping = true;
                    verdicts.add(new CycleVerdict(cycle, file, bytes[i], -1, -1, false,
                        keptBecause(written, wanted, blocked)));
                    continue;
                }
                final long lastId = lastId(tailer, rollCycle, cycle, documents);
                final long messages = documentFacts.recordsInCycle(tailer, rollCycle, cycle, documents);
                if (lastId > watermark)
                {
                    keeping = true;
                    blocked = new CycleVerdict(cycle, file, bytes[i], messages, lastId, false, wanted);
                    verdicts.add(new CycleVerdict(cycle, file, bytes[i], messages, lastId, false,
                        "kept: " + wanted + ", but it holds unsettled messages (last id " + lastId +
                            " > settled watermark " + watermark + ")"));
                    continue;
                }
                remainingBytes -= bytes[i];
                verdicts.add(new CycleVerdict(cycle, file, bytes[i], messages, lastId, true,
                    wanted + "; every message settled (last id " + lastId + " <= settled watermark " + watermark + ")"));
            }
        }
        return new RetentionPlan(List.copyOf(verdicts), watermark, blocked);
    }

    /** Only the oldest cycles are deleted: one the limits want gone is kept while an older one must stay. */
    private static String keptBecause(final boolean written, final String wanted, final CycleVerdict blocked)
    {
        if (written)
        {
            return "kept: the newest or current cycle (the appender writes it)";
        }
        if (null == wanted || null == blocked)
        {
            return "kept: within the limits";
        }
        return "kept: " + wanted + ", but it lies behind cycle " + blocked.cycle() + ", which holds unsettled " +
            "messages (retention deletes the oldest cycles only)";
    }

    private static String wanted(final RetentionPolicy policy, final int position, final int cycles,
        final long remainingBytes, final long endMillis, final long nowMillis)
    {
        if (0 < policy.maxAgeMillis() && nowMillis - endMillis > policy.maxAgeMillis())
        {
            return "older than max-age " + policy.maxAgeMillis() + " ms (ended " + (nowMillis - endMillis) +
                " ms ago)";
        }
        if (0 < policy.keepCycles() && position < cycles - policy.keepCycles())
        {
            return "beyond keep-cycles " + policy.keepCycles();
        }
        if (0 < policy.maxBytes() && remainingBytes > policy.maxBytes())
        {
            return "journal over max-bytes " + policy.maxBytes() + " (" + remainingBytes + " bytes)";
        }
        return null;
    }

    /**
     * Carries out a plan: deletes the journal's cycles it says, then the trace's and dead letters' cycles before the
     * journal's first remaining one, and refreshes each queue's directory listing.
     *
     * @param plan      a plan from {@link #plan}.
     * @param journal   the journal's queue, opened for writing (its metadata records what was pruned).
     * @param followers the trace and dead-letter queues, opened for writing; absent ones left out.
     * @return what was deleted.
     * @throws UncheckedIOException when a file cannot be deleted (what was deleted before it stays deleted).
     */
    public static Pruned apply(final RetentionPlan plan, final ChronicleQueue journal,
        final List<ChronicleQueue> followers)
    {
        return apply(plan, journal, followers, null, Long.MIN_VALUE);
    }

    /**
     * As {@link #apply(RetentionPlan, ChronicleQueue, List)}, and also deletes the settlement log's cycles that can
     * no longer matter ({@link #settlementFiles}).
     *
     * @param plan          a plan from {@link #plan}.
     * @param journal       the journal's queue, opened for writing.
     * @param followers     the trace and dead-letter queues, opened for writing.
     * @param settlements   the settlement log's queue, opened for writing, or null.
     * @param keepHighAbove settlement documents whose highest settled id is above it are kept: the watermark less
     *                      the dependency window (recovery still reads those for dead dependencies).
     * @return what was deleted.
     */
    public static Pruned apply(final RetentionPlan plan, final ChronicleQueue journal,
        final List<ChronicleQueue> followers, final ChronicleQueue settlements, final long keepHighAbove)
    {
        final List<CycleVerdict> deletions = plan.deletions();
        if (deletions.isEmpty())
        {
            return Pruned.NOTHING;
        }
        long bytes = 0;
        long messages = 0;
        long lastId = -1;
        for (final CycleVerdict verdict : deletions)
        {
            bytes += verdict.bytes();
            messages += Math.max(0, verdict.messages());
            lastId = Math.max(lastId, verdict.lastId());
        }
        recordDeletion(journal, deletions.stream().map(CycleVerdict::cycle).toList(), messages, lastId);
        final List<Path> files = new ArrayList<>();
        for (final CycleVerdict verdict : deletions)
        {
            delete(verdict.file());
            files.add(verdict.file());
        }
        journal.refreshDirectoryListing();
        for (final ChronicleQueue follower : followers)
        {
            bytes += follow((SingleChronicleQueue)follower, followerFiles(follower, plan.firstKeptCycle()), files);
        }
        if (null != settlements)
        {
            bytes += follow((SingleChronicleQueue)settlements,
                settlementFiles(settlements, plan.firstKeptCycle(), keepHighAbove), files);
        }
        return new Pruned(deletions.size(), messages, bytes, files);
    }

    /**
     * @param settlements    the settlement log's queue.
     * @param firstKeptCycle the journal's first remaining cycle.
     * @param keepHighAbove  the watermark less the dependency window.
     * @return the settlement log's roll files that can go: cycles before the journal's first remaining one whose
     *     last document's highest settled id is at or below {@code keepHighAbove}, oldest first, stopping at the
     *     first that must stay (recovery reads documents back only while their high is above that bound).
     */
    public static List<Path> settlementFiles(final ChronicleQueue settlements, final int firstKeptCycle,
        final long keepHighAbove)
    {
        final SingleChronicleQueue queue = (SingleChronicleQueue)settlements;
        final List<Path> files = new ArrayList<>();
        try (ExcerptTailer tailer = queue.createTailer())
        {
            final List<Path> candidates = followerFiles(queue, firstKeptCycle);
            final List<Integer> cycles = cycles(queue);
            for (int i = 0; i < candidates.size(); i++)
            {
                final int cycle = cycles.get(i);
                final long documents = tailer.excerptsInCycle(cycle);
                if (documents > 0 && lastHigh(tailer, queue.rollCycle(), cycle, documents) > keepHighAbove)
                {
                    break;
                }
                files.add(candidates.get(i));
            }
        }
        return files;
    }

    private static long lastHigh(final ExcerptTailer tailer, final RollCycle rollCycle, final int cycle,
        final long documents)
    {
        if (!tailer.moveToIndex(rollCycle.toIndex(cycle, documents - 1)))
        {
            return Long.MAX_VALUE;
        }
        try (DocumentContext context = tailer.readingDocument())
        {
            return context.isPresent() ? SettlementLayout.high(context.wire().bytes()) : Long.MAX_VALUE;
        }
    }

    /**
     * Deletes roll files of a queue, adding them to {@code files}, then has Chronicle list its folder again.
     *
     * @return the disk space they took.
     */
    private static long follow(final SingleChronicleQueue queue, final List<Path> toDelete, final List<Path> files)
    {
        long bytes = 0;
        for (final Path file : toDelete)
        {
            bytes += allocated(file);
            delete(file);
            files.add(file);
        }
        queue.refreshDirectoryListing();
        return bytes;
    }

    /**
     * @param follower       the trace or dead-letter queue.
     * @param firstKeptCycle the journal's first remaining cycle.
     * @return the follower's roll files that go with the journal's deleted cycles: those of cycles before the
     *     journal's first remaining one, never its own newest or the current one.
     */
    public static List<Path> followerFiles(final ChronicleQueue follower, final int firstKeptCycle)
    {
        final SingleChronicleQueue queue = (SingleChronicleQueue)follower;
        final List<Integer> cycles = cycles(queue);
        final RollingResourcesCache names = names(queue);
        final int current = queue.cycle();
        final List<Path> files = new ArrayList<>();
        for (int i = 0; i < cycles.size() - 1; i++)
        {
            final int cycle = cycles.get(i);
            if (cycle >= firstKeptCycle || cycle >= current)
            {
                break;
            }
            files.add(file(names, cycle));
        }
        return files;
    }

    /**
     * @param journal the journal's queue.
     * @return messages deleted from it by retention or prune so far (0 when none or not recorded).
     */
    public static long prunedMessages(final ChronicleQueue journal)
    {
        return Math.max(0, ((SingleChronicleQueue)journal).tableStoreGet(PRUNED_MESSAGES));
    }

    /**
     * @param journal the journal's queue.
     * @return cycles deleted from it by retention or prune so far (0 when none or not recorded).
     */
    public static long prunedCycles(final ChronicleQueue journal)
    {
        return Math.max(0, ((SingleChronicleQueue)journal).tableStoreGet(PRUNED_CYCLES));
    }

    /**
     * Writes down a deletion before any of its roll files goes, so that a kill part-way leaves a journal whose next
     * engine start finishes it ({@link #finishDeletion}) with every count right: what each origin loses
     * ({@link PrunedOrigins}, which a node counts at start, and whose last cycle marks what was meant to go), and the
     * totals and last id in the queue's metadata ({@link #recordRemoved}).
     *
     * @param journal  the journal's queue, opened for writing.
     * @param cycles   the cycles to delete, oldest first: the oldest ones of the journal, all settled, none of them
     *                 written down before ({@link #finishDeletion} first).
     * @param messages the messages in them.
     * @param lastId   the highest message id in them.
     */
    public static void recordDeletion(final ChronicleQueue journal, final List<Integer> cycles, final long messages,
        final long lastId)
    {
        final Path dir = journal.file().toPath();
        PrunedOrigins.read(dir).countAndWrite(dir, cycles);
        recordRemoved(journal, messages, cycles.size(), lastId);
    }

    /**
     * Finishes a deletion a kill cut short: deletes the journal's roll files of the cycles it wrote down as going
     * ({@link #recordDeletion}), which are all settled and already counted as deleted, then the trace's and dead
     * letters' roll files of cycles before the journal's first remaining one ({@link #followerFiles}), which went with
     * them, and has Chronicle list each folder again. Called with the folder's lock held by an engine start, before the
     * journal is read, and by {@code journal prune} and {@code journal rolls --remove-before} before they plan.
     *
     * @param journalDir the journal folder.
     * @param rollCycle  its roll cycle's name.
     * @return the roll files deleted; empty when no deletion was cut short (or none was ever made).
     */
    public static List<Path> finishDeletion(final Path journalDir, final String rollCycle)
    {
        final int through = PrunedOrigins.read(journalDir).throughCycle();
        if (through < 0)
        {
            return List.of();
        }
        final List<Path> files = new ArrayList<>();
        final int firstKept;
        try (SingleChronicleQueue journal = (SingleChronicleQueue)JournalQueues.openForMaintenance(journalDir,
            rollCycle))
        {
            final List<Integer> cycles = cycles(journal);
            final RollingResourcesCache names = names(journal);
            final List<Path> written = new ArrayList<>();
            // never the newest: a journal keeps its current cycle
            for (int i = 0; i < cycles.size() - 1 && cycles.get(i) <= through; i++)
            {
                written.add(file(names, cycles.get(i)));
            }
            if (!written.isEmpty())
            {
                follow(journal, written, files);
            }
            firstKept = journal.firstCycle();
        }
        if (firstKept < 0)
        {
            return files;
        }
        for (final Path followerDir : List.of(TraceLayout.traceDir(journalDir),
            journalDir.resolve(DeadLetterJournal.FOLDER)))
        {
            if (Files.isDirectory(followerDir))
            {
                try (ChronicleQueue follower = JournalQueues.openForMaintenance(followerDir, rollCycle))
                {
                    final List<Path> left = followerFiles(follower, firstKept);
                    if (!left.isEmpty())
                    {
                        follow((SingleChronicleQueue)follower, left, files);
                    }
                }
            }
        }
        return files;
    }

    /**
     * Records in the journal's metadata what was deleted from its beginning, whoever deleted it (retention, {@code
     * journal prune}, {@code journal rolls --remove-before}): the tools say how much was pruned, and a start tells an
     * id deleted from one never journaled.
     *
     * @param journal  the journal's queue, open for writing its metadata.
     * @param messages messages in the deleted cycles.
     * @param cycles   cycles deleted.
     * @param lastId   the highest message id deleted, -1 when none.
     */
    public static void recordRemoved(final ChronicleQueue journal, final long messages, final int cycles,
        final long lastId)
    {
        final SingleChronicleQueue single = (SingleChronicleQueue)journal;
        single.tableStorePut(PRUNED_MESSAGES, prunedMessages(journal) + messages);
        single.tableStorePut(PRUNED_CYCLES, prunedCycles(journal) + cycles);
        single.tableStorePut(PRUNED_LAST_ID, Math.max(prunedLastId(journal), lastId));
    }

    /**
     * @param journal the journal's queue.
     * @return the highest message id deleted so far, or -1 when nothing was (or it was not recorded).
     */
    public static long prunedLastId(final ChronicleQueue journal)
    {
        final long id = ((SingleChronicleQueue)journal).tableStoreGet(PRUNED_LAST_ID);
        return id < 0 ? -1 : id;
    }

    /** The cycles of a queue's roll files, oldest first, as Chronicle lists them. */
    static List<Integer> cycles(final SingleChronicleQueue queue)
    {
        final int first = queue.firstCycle();
        final int last = queue.lastCycle();
        if (first > last || first < 0)
        {
            return List.of();
        }
        final NavigableSet<Long> listed = queue.listCyclesBetween(first, last);
        return listed.stream().map(Long::intValue).toList();
    }

    private static RollingResourcesCache names(final SingleChronicleQueue queue)
    {
        final File dir = queue.file();
        return new RollingResourcesCache(queue.rollCycle(), queue.epoch(),
            name -> new File(dir, name + JournalFiles.ROLL_FILE_SUFFIX),
            file -> file.getName().substring(0, file.getName().length() - JournalFiles.ROLL_FILE_SUFFIX.length()));
    }

    private static Path file(final RollingResourcesCache names, final int cycle)
    {
        return names.resourceFor(cycle).path.toPath();
    }

    /** The id of a cycle's last record, read in its last document; {@link Long#MAX_VALUE} (unsettled) when unreadable. */
    private static long lastId(final ExcerptTailer tailer, final RollCycle rollCycle, final int cycle,
        final long documents)
    {
        if (documents <= 0)
        {
            return -1;
        }
        if (!tailer.moveToIndex(rollCycle.toIndex(cycle, documents - 1)))
        {
            return Long.MAX_VALUE;
        }
        try (DocumentContext context = tailer.readingDocument())
        {
            if (!context.isPresent())
            {
                return Long.MAX_VALUE;
            }
            final long id = new JournalDocuments().read(context.wire().bytes()).lastId();
            return id < 0 ? Long.MAX_VALUE : id;
        }
    }

    /** Disk space a file takes (its data extents: roll files are sparse), 0 when it is gone. */
    static long allocated(final Path file)
    {
        try
        {
            return JournalFiles.allocatedBytes(file);
        }
        catch (final UncheckedIOException unsized)
        {
            return 0;
        }
    }

    private static void delete(final Path file)
    {
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot delete roll file " + file + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * What a pass deleted.
     *
     * @param cycles   journal cycles deleted.
     * @param messages journal messages in them.
     * @param bytes    disk space freed, the trace's and dead letters' included.
     * @param files    the roll files deleted, of every queue.
     */
    public record Pruned(int cycles, long messages, long bytes, List<Path> files)
    {
        /** Nothing deleted. */
        public static final Pruned NOTHING = new Pruned(0, 0, 0, List.of());
    }
}
