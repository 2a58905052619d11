package io.chronofabric.engine.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.LongStream;

import io.chronofabric.engine.internal.event.Recovery;
import io.chronofabric.journal.JournalFileCheck;
import io.chronofabric.journal.JournalCorruptionException;
import io.chronofabric.journal.JournalFiles;
import io.chronofabric.journal.JournalLock;
import io.chronofabric.journal.JournalQueues;
import io.chronofabric.journal.JournalReader;
import io.chronofabric.journal.MessageRecord;
import io.chronofabric.journal.RecordFlags;
import io.chronofabric.journal.RecordLayout;
import io.chronofabric.journal.SettledState;
import io.chronofabric.journal.retention.JournalRetention;
import io.chronofabric.journal.retention.PrunedOrigins;
import net.openhft.chronicle.queue.ChronicleQueue;
import io.chronofabric.engine.api.ConfigurationException;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.config.Settings;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * What an engine starting on an existing journal must know: the last journaled message (ids and the HLC resume
 * above it) and what the settlement log says was settled (delivered or dead-lettered for every subscriber). Every
 * journaled message above the settled watermark is fed through the pipeline again, in journal order: those not
 * settled are delivered again (to the subscribers they were not settled for), the settled ones only tell the
 * sequencer and delivery what their dependents need to know.
 */
final class JournalRecovery
{
    private static final Logger LOG = LogManager.getLogger(JournalRecovery.class);

    private final Path dir;
    private final MessageRecord last;
    private final boolean hasRecords;
    private final boolean knowsLast;
    /** The most ids before a journal's first record taken for refused publishes rather than an unrecorded deletion. */
    private static final long MAX_REFUSED_AT_START = 1024;

    private final SettledState settled;
    private final long prunedOriginsLastId;
    private long unsettled;

    /** Receives each record recovery feeds, with what recovery knows of it. */
    public interface Feed
    {
        /**
         * @param record   the journaled record, reused between calls.
         * @param recovery whether it is settled, dead, or to be delivered again.
         */
        void accept(MessageRecord record, Recovery recovery);
    }

    /** Told, per origin node, below which origin id its shipped messages were all settled before the restart. */
    public interface OriginFloors
    {
        /**
         * @param node     an origin node with messages in the tail fed again.
         * @param originId the origin id just below the first of them.
         */
        void originFloor(int node, long originId);
    }

    /** Told the ids at or below the settled watermark that recovered messages depend on and that were never journaled. */
    public interface NeverJournaled
    {
        /**
         * @param ids ids whose publish was refused after the id was taken, ascending; the watermark passed them (no
         *            journaled message below it is unsettled), but they never arrive.
         */
        void neverJournaled(long[] ids);
    }

    /**
     * @param last       the last record journaled, or (when retention deleted every record) what retention recorded of
     *                   the last one it deleted.
     * @param hasRecords true when the journal holds records.
     * @param knowsLast  true when {@code last} says anything: records, or retention's record of the deleted ones.
     */
    private JournalRecovery(final Path dir, final MessageRecord last, final boolean hasRecords,
        final boolean knowsLast, final SettledState settled, final long prunedOriginsLastId)
    {
        this.prunedOriginsLastId = prunedOriginsLastId;
        this.dir = dir;
        this.last = last;
        this.hasRecords = hasRecords;
        this.knowsLast = knowsLast;
        this.settled = settled;
    }

    /**
     * Reads the journal folder's state, creating the folder if absent. First sets aside, with one WARN line each, the
     * files a process killed while Chronicle was creating them left unfinished (they hold nothing), then checks every
     * file of the folder.
     *
     * @param context the engine's settings.
     * @param lock    the journal folder's lock, held by this engine.
     * @return the recovery state.
     * @throws io.chronofabric.journal.JournalCorruptionException when a file cannot be read, the last record is
     *     corrupt, or the settlement log settles ids above the last journaled one (the folder left as it was).
     */
    public static JournalRecovery read(final EngineConfiguration context, final JournalLock lock)
    {
        for (final JournalFileCheck.SetAside setAside : JournalFileCheck.setAsideUnfinished(lock))
        {
            if (setAside.file().equals(setAside.movedTo()))
            {
                LOG.warn("journal: repaired {}: {}", setAside.file(), setAside.what());
            }
            else
            {
                LOG.warn("journal: set aside {} as {}: {}", setAside.file(), setAside.movedTo().getFileName(),
                    setAside.what());
            }
        }
        JournalFileCheck.requireReadable(context.journalDir());
        requireWrittenRollCycle(context); // only now: Chronicle waits without end on metadata that is not its own
        finishDeletion(context);
        final Path dir = context.journalDir();
        try
        {
            Files.createDirectories(dir);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create journal folder " + dir, ex);
        }
        final MessageRecord last = new MessageRecord(context.maxDependencies(), context.payloadCapacity());
        final boolean hasRecords = !JournalFiles.rollFiles(dir).isEmpty() && JournalReader.readLast(dir, last);
        final SettledState settled = SettledState.read(dir, context.dependencyWindow());
        final PrunedOrigins pruned = PrunedOrigins.read(dir);
        if (!hasRecords && pruned.lastId() > 0)
        {
            // retention deleted every record (the newest roll file it keeps holds none): ids and the HLC resume
            // after the last one it deleted
            last.clear();
            last.id(pruned.lastId()).hlc(pruned.lastWall(), pruned.lastLogical());
        }
        final boolean knowsLast = hasRecords || pruned.lastId() > 0;
        final long lastId = knowsLast ? last.id() : 0;
        if (settled.high() > lastId)
        {
            // messages are settled after they are journaled: a log ahead of the journal was not written by its engine
            throw JournalCorruptionException.inconsistent(dir, "its settlement log settles messages up to id " +
                settled.high() + ", but its last journaled id is " + lastId + ": the folder of an engine that " +
                "replayed another journal (a replay journals nothing), or a damaged one. An engine here would hand " +
                "out ids the log records as settled and lose them after a crash; allowed: a fresh journal folder");
        }
        return new JournalRecovery(dir, last, hasRecords, knowsLast, settled, pruned.lastId());
    }

    /** @return the id of the last journaled message (retention's deleted ones included), 0 for a new journal. */
    public long lastJournaledId()
    {
        return knowsLast ? last.id() : 0;
    }

    /** @return the last journaled HLC wall component, 0 for a new journal. */
    public long lastWall()
    {
        return knowsLast ? last.hlcWall() : 0;
    }

    /** @return the last journaled HLC logical component. */
    public int lastLogical()
    {
        return knowsLast ? last.hlcLogical() : 0;
    }

    /** @return what the settlement log says: the watermark, what is settled above it, and for whom. */
    public SettledState settled()
    {
        return settled;
    }

    /** @return how many journaled messages {@link #feedAboveWatermark} found unsettled, to be delivered again. */
    public long unsettled()
    {
        return unsettled;
    }

    /**
     * Reads, in journal order, every record above the settled watermark. The tail is found by reading backwards
     * from the end, so start-up time grows with the tail above the watermark, not with the journal.
     *
     * <p>Before the first record is fed, {@code floors} is told for each node that shipped messages in that tail the
     * origin id just below the first of them: a node ships its messages in origin-id order and they are journaled in
     * that order, so every message of it with a lower origin id that reached this node is at or below the watermark,
     * settled. (A node without messages in the tail gets no floor from here.)
     *
     * <p>Also before the first record is fed, {@code never} is told which ids at or below the watermark that those
     * records depend on were never journaled (their publish was refused after taking the id): the watermark passed
     * them, but a message waiting for one must go on waiting until its hold times out, as it would have without the
     * restart. The journal is read backwards only as far as the oldest such dependency.
     *
     * @param context the engine's settings (capacities).
     * @param floors  receives the origin floors, before the first record is fed.
     * @param never   receives the never-journaled ids recovered messages depend on, before the first record is fed.
     * @param feed    receives each record above the watermark; the record is reused between calls.
     * @return how many records were fed.
     * @throws io.chronofabric.journal.JournalCorruptionException for a corrupt record in the tail: the engine does not
     *     start on a journal it cannot trust.
     */
    public long feedAboveWatermark(final EngineConfiguration context, final OriginFloors floors,
        final NeverJournaled never, final Feed feed)
    {
        final long watermark = settled.watermark();
        if (!hasRecords || last.id() <= watermark)
        {
            return 0;
        }
        final MessageRecord record = new MessageRecord(context.maxDependencies(), context.payloadCapacity());
        long firstIndex = -1;
        final Map<Integer, Long> firstOriginIds = new TreeMap<>();
        long oldestDependency = watermark + 1;
        try (JournalReader backwards = new JournalReader(dir, context.maxDependencies(), context.payloadCapacity()))
        {
            backwards.toEndBackwards();
            boolean more;
            while ((more = backwards.next(record)) && record.id() > watermark)
            {
                firstIndex = backwards.lastIndex();
                if (0 != (record.flags() & RecordFlags.REMOTE) && 0 < record.originNode() && 0 < record.originId())
                {
                    firstOriginIds.merge(record.originNode(), record.originId(), Math::min);
                }
                if (!settled.isSettled(record.id()))
                {
                    // a settled one passes the sequencer straight on: only what is delivered again waits for anything
                    oldestDependency = Math.min(oldestDependency, oldestLocalDependency(record));
                }
            }
            if (oldestDependency <= watermark)
            {
                final long[] gaps = gapsDownTo(backwards, record, more, oldestDependency, watermark);
                if (0 < gaps.length)
                {
                    never.neverJournaled(gaps);
                }
            }
        }
        firstOriginIds.forEach((node, originId) -> floors.originFloor(node, originId - 1));
        long count = 0;
        MessageRecord current = record;
        MessageRecord next = new MessageRecord(context.maxDependencies(), context.payloadCapacity());
        try (JournalReader forwards = new JournalReader(dir, context.maxDependencies(), context.payloadCapacity()))
        {
            forwards.moveToIndex(firstIndex);
            boolean more = forwards.next(current);
            while (more && current.id() <= watermark)
            {
                // the document that holds the first record above the watermark can begin below it
                more = forwards.next(current);
            }
            while (more)
            {
                more = forwards.next(next);
                if (!more)
                {
                    // the crash may have cut the last batch short: recovery's own batch ends here, so that what it
                    // holds is released now, not when the first new message happens to end the window
                    current.flags(current.flags() | RecordFlags.BATCH_END);
                }
                feed(current, feed);
                count++;
                final MessageRecord fed = current;
                current = next;
                next = fed;
            }
        }
        return count;
    }

    /** @return the oldest id among the record's dependencies on this node's ids; Long.MAX_VALUE when none. */
    private static long oldestLocalDependency(final MessageRecord record)
    {
        long oldest = Long.MAX_VALUE;
        for (int i = 0, n = record.dependencyCount(); i < n; i++)
        {
            final long dependency = record.dependency(i);
            if (!RecordLayout.isRemoteDependency(dependency))
            {
                oldest = Math.min(oldest, dependency);
            }
        }
        return oldest;
    }

    /**
     * Reads on backwards from {@code current} (the first record at or below the watermark, if {@code present}) down to
     * {@code from}, and returns the ids in [from, watermark] that no record has, ascending. Ids below the journal's
     * first record count only above the highest id recorded as deleted, and only a short run of them.
     */
    private long[] gapsDownTo(final JournalReader backwards, final MessageRecord current, final boolean present,
        final long from, final long watermark)
    {
        final BitSet seen = new BitSet();
        long lowest = watermark + 1;
        boolean more = present;
        while (more && current.id() >= from)
        {
            if (current.id() <= watermark)
            {
                seen.set((int)(current.id() - from));
                lowest = current.id();
            }
            more = backwards.next(current);
        }
        // at the journal's start, ids below its first record were deleted from its beginning (and are settled), or,
        // above the highest id recorded as deleted, never journaled; a long run of them is a deletion nothing recorded
        // (by hand, or by a tool before it recorded one), not refused publishes, and counts as deleted
        final long afterDeleted = more ? from : prunedLastId() + 1; // one metadata read, only at the journal's start
        final long unrecorded = more ? 0 : Math.min(lowest, watermark + 1) - Math.max(from, afterDeleted);
        final long start = more ? from : unrecorded > MAX_REFUSED_AT_START ? lowest :
            Math.max(from, Math.min(lowest, afterDeleted));
        final LongStream.Builder gaps = LongStream.builder();
        for (long id = start; id <= watermark; id++)
        {
            if (!seen.get((int)(id - from)))
            {
                gaps.add(id);
            }
        }
        return gaps.build().toArray();
    }

    /** @return the highest id deleted from the journal's beginning, as recorded; 0 when none was. */
    private long prunedLastId()
    {
        try (ChronicleQueue queue = JournalQueues.openForRead(dir))
        {
            return Math.max(prunedOriginsLastId, Math.max(0, JournalRetention.prunedLastId(queue)));
        }
        catch (final IllegalStateException notRecorded)
        {
            // a read-only view of metadata where nothing deleted was ever recorded has no such key
            return prunedOriginsLastId;
        }
    }

    private void feed(final MessageRecord record, final Feed feed)
    {
        final Recovery recovery = !settled.isSettled(record.id()) ? Recovery.UNSETTLED :
            settled.isDead(record.id()) ? Recovery.SETTLED_DEAD : Recovery.SETTLED;
        if (Recovery.UNSETTLED == recovery)
        {
            unsettled++;
        }
        feed.accept(record, recovery);
    }

    /**
     * A journal keeps the roll cycle it was written with: Chronicle goes on with that one whatever is configured, so
     * a different {@code journal.roll-cycle} would only make what the engine reports and computes from it untrue.
     */
    private static void requireWrittenRollCycle(final EngineConfiguration context)
    {
        final String written = JournalQueues.writtenRollCycle(context.journalDir());
        if (null != written && !written.equals(JournalQueues.canonicalRollCycle(context.rollCycle())))
        {
            throw new ConfigurationException(Settings.JOURNAL_ROLL_CYCLE.name(), context.rollCycle(), written +
                ", the roll cycle the journal in " + context.journalDir() + " was written with (a journal keeps its " +
                "roll cycle: set " + Settings.JOURNAL_ROLL_CYCLE.name() + "=" + written + " to continue it, or " +
                "start on a fresh journal)");
        }
    }

    /**
     * Finishes a deletion of the oldest cycles (retention, {@code journal prune}, {@code journal rolls
     * --remove-before}) that a kill cut short: its cycles were written down, settled, before the first went.
     */
    private static void finishDeletion(final EngineConfiguration context)
    {
        final List<Path> deleted = JournalRetention.finishDeletion(context.journalDir(), context.rollCycle());
        if (!deleted.isEmpty())
        {
            LOG.warn("journal: finished a deletion of old cycles that a kill cut short: deleted {}", deleted);
        }
    }
}
