package io.chronofabric.cli.analysis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

import io.chronofabric.engine.api.Stage;
import io.chronofabric.journal.DeadLetterJournal;
import io.chronofabric.journal.DeadLetterRecord;
import io.chronofabric.journal.TraceEntry;
import io.chronofabric.journal.TraceReader;
import io.chronofabric.engine.internal.observability.Anomaly;
import io.chronofabric.engine.internal.observability.AnomalyKind;

/**
 * Finds message flow anomalies after the fact, in a journal folder: its latency trace (each delivered message's
 * published, journaled, sequenced, routed and delivered timestamps) and its dead letters. A message is stuck when one
 * hop took longer than the stuck threshold (reported in that stage), not counting the time it spent waiting behind an
 * earlier stuck message (the messages queued behind a stalled subscriber are its symptom: they are reported as slow
 * hops "waited behind stuck message N"); otherwise each hop longer than the slow-hop threshold is a slow hop; each
 * dead letter ends a message's flow (in the sequencer for a whole message, in delivery for one subscriber). Reusable
 * by any tool; reads only.
 */
public final class TraceAnomalies
{
    private static final Comparator<Anomaly> WORST_FIRST = Comparator.comparing(Anomaly::kind)
        .thenComparing(Comparator.comparingLong(Anomaly::durationNanos).reversed())
        .thenComparingLong(Anomaly::messageId);

    private TraceAnomalies()
    {
    }

    /**
     * @param journalDir   a journal folder.
     * @param stuckNanos   a hop longer than this makes the message stuck.
     * @param slowHopNanos a hop longer than this is slow.
     * @param limit        how many of the worst anomalies to keep.
     * @return what was found.
     * @throws IllegalArgumentException when the folder does not exist.
     */
    public static TraceReport analyze(final Path journalDir, final long stuckNanos, final long slowHopNanos,
        final int limit)
    {
        if (!Files.isDirectory(journalDir))
        {
            throw new IllegalArgumentException("journal folder " + journalDir + " does not exist");
        }
        final Map<AnomalyKind, Map<Stage, Long>> counts = new EnumMap<>(AnomalyKind.class);
        for (final AnomalyKind kind : AnomalyKind.values())
        {
            final Map<Stage, Long> stages = new EnumMap<>(Stage.class);
            for (final Stage stage : Stage.values())
            {
                stages.put(stage, 0L);
            }
            counts.put(kind, stages);
        }
        final PriorityQueue<Anomaly> worst = new PriorityQueue<>(WORST_FIRST.reversed());
        final long[] times = new long[Stage.values().length + 1];
        final long[] blocker = {-1, 0, 0};
        long messages = 0;
        if (TraceReader.exists(journalDir))
        {
            try (TraceReader reader = new TraceReader(journalDir))
            {
                final TraceEntry entry = new TraceEntry();
                while (reader.next(entry))
                {
                    messages++;
                    times[0] = entry.published();
                    times[1] = entry.journaled();
                    times[2] = entry.sequenced();
                    times[3] = entry.routed();
                    times[4] = entry.delivered();
                    inspect(entry.id(), times, blocker, stuckNanos, slowHopNanos, counts, worst, limit);
                }
            }
        }
        final long deadLetters = DeadLetterJournal.readAll(journalDir, record -> keep(deadLetter(record), counts,
            worst, limit));
        final List<Anomaly> listed = new ArrayList<>(worst);
        listed.sort(WORST_FIRST);
        return new TraceReport(messages, deadLetters, stuckNanos, slowHopNanos, counts, listed);
    }

    /**
     * @param times   published, journaled, sequenced, routed, delivered: hop i runs from times[i] to times[i + 1].
     * @param blocker the last stuck message: its id (-1 for none) and its stuck hop's start and end. Messages that
     *                waited behind it are slow because of it, not stuck themselves: the time they overlap its stall
     *                does not count towards their own.
     */
    private static void inspect(final long id, final long[] times, final long[] blocker, final long stuckNanos,
        final long slowHopNanos, final Map<AnomalyKind, Map<Stage, Long>> counts, final PriorityQueue<Anomaly> worst,
        final int limit)
    {
        int longest = 0;
        for (int i = 1; i < Stage.values().length; i++)
        {
            longest = times[i + 1] - times[i] > times[longest + 1] - times[longest] ? i : longest;
        }
        final long longestHop = times[longest + 1] - times[longest];
        if (longestHop - overlap(times[longest], times[longest + 1], blocker) > stuckNanos)
        {
            keep(new Anomaly(AnomalyKind.STUCK, Stage.values()[longest], id, -1, longestHop, ""), counts, worst, limit);
            blocker[0] = id;
            blocker[1] = times[longest];
            blocker[2] = times[longest + 1];
            return;
        }
        for (int i = 0; i < Stage.values().length; i++)
        {
            final long hop = times[i + 1] - times[i];
            if (hop > slowHopNanos)
            {
                final boolean behind = 2 * overlap(times[i], times[i + 1], blocker) >= hop;
                keep(new Anomaly(AnomalyKind.SLOW_HOP, Stage.values()[i], id, -1, hop, behind ? "waited behind " +
                    "stuck message " + blocker[0] : ""), counts, worst, limit);
            }
        }
    }

    private static long overlap(final long start, final long end, final long[] blocker)
    {
        return -1 == blocker[0] ? 0 : Math.max(0, Math.min(end, blocker[2]) - Math.max(start, blocker[1]));
    }

    private static Anomaly deadLetter(final DeadLetterRecord record)
    {
        final boolean whole = DeadLetterJournal.WHOLE_MESSAGE == record.subscriberId();
        return new Anomaly(AnomalyKind.DEAD_LETTER, whole ? Stage.SEQUENCER : Stage.DELIVERY, record.messageId(),
            record.subscriberId(), 0, record.reason().label());
    }

    private static void keep(final Anomaly anomaly, final Map<AnomalyKind, Map<Stage, Long>> counts,
        final PriorityQueue<Anomaly> worst, final int limit)
    {
        counts.get(anomaly.kind()).merge(anomaly.stage(), 1L, Long::sum);
        if (limit <= 0)
        {
            return;
        }
        worst.add(anomaly);
        if (worst.size() > limit)
        {
            worst.poll();
        }
    }
}
