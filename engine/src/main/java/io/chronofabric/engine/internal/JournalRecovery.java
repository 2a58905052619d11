package io.chronofabric.engine.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import io.chronofabric.engine.internal.event.Recovery;
import io.chronofabric.journal.JournalFileCheck;
import io.chronofabric.journal.JournalCorruptionException;
import io.chronofabric.journal.JournalFiles;
import io.chronofabric.journal.JournalLock;
import io.chronofabric.journal.JournalReader;
import io.chronofabric.journal.MessageRecord;
import io.chronofabric.journal.RecordFlags;
import io.chronofabric.journal.SettledState;
import io.chronofabric.journal.retention.PrunedOrigins;
import io.chronofabric.engine.config.EngineConfiguration;
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
    private final SettledState settled;
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

    /**
     * @param last       the last record journaled, or (when retention deleted every record) what retention recorded of
     *                   the last one it deleted.
     * @param hasRecords true when the journal holds records.
     * @param knowsLast  true when {@code last} says anything: records, or retention's record of the deleted ones.
     */
    private JournalRecovery(final Path dir, final MessageRecord last, final boolean hasRecords,
        final boolean knowsLast, final SettledState settled)
    {
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
            LOG.warn("journal: set aside {} as {}: {}", setAside.file(),
                setAside.movedTo().getFileName(), setAside.what());
        }
        JournalFileCheck.requireReadable(context.journalDir());
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
        return new JournalRecovery(dir, last, hasRecords, knowsLast, settled);
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
     * @param context the engine's settings (capacities).
     * @param floors  receives the origin floors, before the first record is fed.
     * @param feed    receives each record above the watermark; the record is reused between calls.
     * @return how many records were fed.
     * @throws io.chronofabric.journal.JournalCorruptionException for a corrupt record in the tail: the engine does not
     *     start on a journal it cannot trust.
     */
    public long feedAboveWatermark(final EngineConfiguration context, final OriginFloors floors, final Feed feed)
    {
        final long watermark = settled.watermark();
        if (!hasRecords || last.id() <= watermark)
        {
            return 0;
        }
        final MessageRecord record = new MessageRecord(context.maxDependencies(), context.payloadCapacity());
        long firstIndex = -1;
        final Map<Integer, Long> firstOriginIds = new TreeMap<>();
        try (JournalReader backwards = new JournalReader(dir, context.maxDependencies(), context.payloadCapacity()))
        {
            backwards.toEndBackwards();
            while (backwards.next(record) && record.id() > watermark)
            {
                firstIndex = backwards.lastIndex();
                if (0 != (record.flags() & RecordFlags.REMOTE) && 0 < record.originNode() && 0 < record.originId())
                {
                    firstOriginIds.merge(record.originNode(), record.originId(), Math::min);
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
}
