package io.chronofabric.engine.temporal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.chronofabric.engine.internal.Engine;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.api.Message;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.api.TemporalStats;
import io.chronofabric.journal.DeadLetterReason;
import io.chronofabric.journal.Durability;
import io.chronofabric.journal.MessageRecord;
import io.chronofabric.journal.RecordFlags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.engine.temporal.TemporalTestSupport.Gate;
import static io.chronofabric.engine.temporal.TemporalTestSupport.awaitTrue;
import static io.chronofabric.engine.temporal.TemporalTestSupport.context;
import static io.chronofabric.engine.temporal.TemporalTestSupport.journal;
import static io.chronofabric.engine.temporal.TemporalTestSupport.publish;
import static io.chronofabric.engine.temporal.TemporalTestSupport.publishGap;
import static io.chronofabric.engine.temporal.TemporalTestSupport.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replaying a journal through a fresh engine's sequencer reproduces the live run's hold and release decisions and
 * its delivery order. The live workload has dependencies (some on ids no message carries, so that their dependents
 * are held and dead-lettered), priorities and deadlines, and is published in rounds, each while a gate holds the
 * pipeline thread, so that every round is one journal batch and one release window whose order matters.
 *
 * <p>Replays feed the whole journal while their first message holds the pipeline thread, so that the replaying
 * sequencer never idles mid-window: the only window boundaries it sees are those the journal records.
 */
class ReplayDeterminismTest
{
    private static final int TYPES = 3;
    private static final int BARRIER = 3;
    private static final int ROUNDS = 4;
    private static final int PER_ROUND = 400;
    private static final long HOLD_TIMEOUT_NANOS = 200_000_000L;

    @TempDir
    Path dir;

    /** What one engine did: its delivery order (subscriber-tagged ids) and its dead letters. */
    private record Run(List<String> order, Map<Long, DeadLetterReason> deadLetters, TemporalStats stats)
    {
    }

    @Test
    void shouldReproduceTheLiveDeliveryOrderAndHoldDecisionsOnEveryReplay()
    {
        final long seed = System.nanoTime();
        final EngineConfiguration live = context(dir.resolve("live")).holdTimeoutNanos(HOLD_TIMEOUT_NANOS).build();
        final Run original = runLive(live, new SplittableRandom(seed), seed);
        final List<MessageRecord> records = journal(live);
        assertTrue(original.deadLetters().size() > 0, "seed=" + seed + ": the workload held and dead-lettered some");

        final Run first = replay(records, dir.resolve("replay-1"), original);
        final Run second = replay(records, dir.resolve("replay-2"), original);
        assertEquals(original.order(), first.order(), "seed=" + seed + ": replay delivery order = live order");
        assertEquals(first.order(), second.order(), "seed=" + seed + ": two replays agree");
        assertEquals(original.deadLetters(), first.deadLetters(), "seed=" + seed + ": same hold decisions");
        assertEquals(first.deadLetters(), second.deadLetters(), "seed=" + seed);
        assertEquals(first.stats().held(), second.stats().held(), "seed=" + seed + ": replays hold the same");
        for (final Run run : List.of(original, first, second))
        {
            assertEquals(0, run.stats().causalityViolations(), "seed=" + seed);
        }
    }

    /**
     * A publish whose payload writer fails travels through the ring as an invalid slot every stage skips. When such a
     * slot ends a journal batch, the last valid record of the batch is journaled without {@link RecordFlags#BATCH_END}
     * and the live sequencer releases its window on its idle tick instead, a boundary the journal does not record:
     * the replay then merges that window with the next one and orders them together.
     */
    @Test
    void shouldReproduceTheLiveOrderWhenARefusedPublishEndsAJournalBatch()
    {
        final EngineConfiguration live = context(dir.resolve("live")).build();
        final List<Long> liveOrder = Collections.synchronizedList(new ArrayList<>());
        final long low;
        final long high;
        try (Engine engine = Engine.start(live))
        {
            final Gate gate = new Gate();
            engine.subscribe(BARRIER, gate);
            engine.subscribe(0, message -> liveOrder.add(message.id()));
            final Publisher publisher = engine.newPublisher(1);
            try
            {
                publish(publisher, BARRIER, 0);
                gate.awaitClosedOnPipeline();
                low = publish(publisher, 0, 1);
                publishGap(publisher, 0, low);
            }
            finally
            {
                gate.open();
            }
            awaitTrue(() -> liveOrder.contains(low), () -> "delivered " + liveOrder);
            high = publish(publisher.priority(200), 0, 2);
            awaitTrue(() -> liveOrder.contains(high), () -> "delivered " + liveOrder);
        }
        assertEquals(List.of(low, high), new ArrayList<>(liveOrder), "live: two windows");

        final List<MessageRecord> records = journal(live);
        final List<Long> replayOrder = Collections.synchronizedList(new ArrayList<>());
        try (Engine engine = Engine.start(context(dir.resolve("replay"))))
        {
            final Gate gate = new Gate();
            engine.subscribe(BARRIER, gate);
            engine.subscribe(0, message -> replayOrder.add(message.id()));
            try
            {
                for (final MessageRecord record : records)
                {
                    engine.replay(record);
                }
            }
            finally
            {
                gate.open();
            }
            awaitTrue(() -> 2 == replayOrder.size(), () -> "replayed " + replayOrder);
        }
        final MessageRecord lowRecord = records.stream().filter(r -> r.id() == low).findFirst().orElseThrow();
        assertEquals(List.of(low, high), new ArrayList<>(replayOrder), "replay must reproduce the live order; the " +
            "journal has record " + low + " with flags " + lowRecord.flags() + " (BATCH_END=" + RecordFlags.BATCH_END +
            "), so its window was merged with the next one");
    }

    /**
     * Same cause, other symptom: with {@code journal.durability=sync} a batch is synced and acknowledged at its end;
     * a batch ending with an invalid slot never reaches its end for the journal stage, so its messages are not
     * acknowledged until some later publish ends another batch.
     */
    @Test
    void shouldAcknowledgeAMessageWhoseBatchEndsWithARefusedPublish()
    {
        final EngineConfiguration context = context(dir).durability(Durability.SYNC).build();
        try (Engine engine = Engine.start(context))
        {
            final Gate gate = new Gate();
            final List<Long> delivered = Collections.synchronizedList(new ArrayList<>());
            engine.subscribe(BARRIER, gate);
            engine.subscribe(0, message -> delivered.add(message.id()));
            final Publisher publisher = engine.newPublisher(1);
            final long id;
            try
            {
                publish(publisher, BARRIER, 0);
                gate.awaitClosedOnPipeline();
                id = publish(publisher, 0, 1);
                publishGap(publisher, 0, id);
            }
            finally
            {
                gate.open();
            }
            awaitTrue(() -> delivered.contains(id), () -> "delivered " + delivered);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (engine.acknowledgedId() < id && System.nanoTime() < deadline)
            {
                sleep(1);
            }
            assertTrue(engine.acknowledgedId() >= id, "message " + id + " was journaled and even delivered, but is " +
                "still not acknowledged 2 s later (acknowledged id " + engine.acknowledgedId() + ")");
        }
    }

    private Run runLive(final EngineConfiguration context, final SplittableRandom random, final long seed)
    {
        final List<String> order = Collections.synchronizedList(new ArrayList<>());
        final Map<Long, DeadLetterReason> dead = new ConcurrentHashMap<>();
        final AtomicReference<Gate> gate = new AtomicReference<>();
        final List<Long> valid = new ArrayList<>();
        final List<Long> gaps = new ArrayList<>();
        final Set<Long> doomed = new HashSet<>();
        final TemporalStats stats;
        try (Engine engine = Engine.start(context))
        {
            subscribe(engine, order, dead, gate);
            final Publisher publisher = engine.newPublisher(1);
            long last = 0;
            for (int round = 0; round < ROUNDS; round++)
            {
                final Gate roundGate = new Gate();
                gate.set(roundGate);
                try
                {
                    last = publish(publisher, BARRIER, round);
                    roundGate.awaitClosedOnPipeline();
                    for (int i = 0; i < PER_ROUND; i++)
                    {
                        if (i < PER_ROUND - 1 && 0 == random.nextInt(60))
                        {
                            last = publishGap(publisher, 0, last);
                            gaps.add(last);
                            continue;
                        }
                        boolean isDoomed = false;
                        final int count = random.nextInt(4);
                        for (int d = 0; d < count && !valid.isEmpty(); d++)
                        {
                            final int roll = random.nextInt(100);
                            final long dependency;
                            if (roll < 4 && !gaps.isEmpty())
                            {
                                dependency = gaps.get(random.nextInt(gaps.size()));
                            }
                            else if (roll < 8 && !doomed.isEmpty())
                            {
                                dependency = doomed.stream().skip(random.nextInt(doomed.size())).findFirst().orElseThrow();
                            }
                            else
                            {
                                final int from = random.nextBoolean() ? Math.max(0, valid.size() - 50) : 0;
                                dependency = valid.get(from + random.nextInt(valid.size() - from));
                            }
                            isDoomed |= gaps.contains(dependency) || doomed.contains(dependency);
                            publisher.dependsOn(dependency);
                        }
                        publisher.priority(random.nextInt(3) * 100);
                        if (random.nextBoolean())
                        {
                            publisher.deadlineIn(TimeUnit.SECONDS.toNanos(10 + random.nextInt(20)));
                        }
                        final int type = random.nextInt(TYPES);
                        last = publisher.publish(type, TemporalTestSupport.LONG_WRITER, (long)i);
                        if (isDoomed)
                        {
                            doomed.add(last);
                        }
                        else
                        {
                            valid.add(last);
                        }
                    }
                }
                finally
                {
                    roundGate.open();
                }
                final int expected = (round + 1) + valid.size();
                awaitTrue(() -> order.size() >= expected, () -> "seed=" + seed + ": live delivered " + order.size() +
                    " of " + expected);
            }
            awaitTrue(() -> dead.size() >= doomed.size(), () -> "seed=" + seed + ": dead-lettered " + dead.size() +
                " of " + doomed.size());
            stats = engine.stats().temporal();
        }
        assertEquals(doomed, dead.keySet(), "seed=" + seed + ": live dead letters are the doomed messages");
        assertEquals(ROUNDS + valid.size(), order.size(), "seed=" + seed);
        return new Run(new ArrayList<>(order), new HashMap<>(dead), stats);
    }

    private Run replay(final List<MessageRecord> records, final Path journalDir, final Run original)
    {
        final List<String> order = Collections.synchronizedList(new ArrayList<>());
        final Map<Long, DeadLetterReason> dead = new ConcurrentHashMap<>();
        final AtomicReference<Gate> gate = new AtomicReference<>(new Gate());
        final TemporalStats stats;
        try (Engine engine = Engine.start(context(journalDir).holdTimeoutNanos(HOLD_TIMEOUT_NANOS)))
        {
            subscribe(engine, order, dead, gate);
            try
            {
                for (final MessageRecord record : records)
                {
                    engine.replay(record);
                }
            }
            finally
            {
                gate.get().open();
            }
            awaitTrue(() -> order.size() >= original.order().size() && dead.size() >= original.deadLetters().size(),
                () -> "replayed " + order.size() + " of " + original.order().size() + ", dead " + dead.size() +
                    " of " + original.deadLetters().size());
            stats = engine.stats().temporal();
        }
        return new Run(new ArrayList<>(order), new HashMap<>(dead), stats);
    }

    private static void subscribe(final Engine engine, final List<String> order,
        final Map<Long, DeadLetterReason> dead, final AtomicReference<Gate> gate)
    {
        engine.subscribe(BARRIER, message ->
        {
            order.add("barrier:" + message.id());
            gate.get().onMessage(message);
        });
        for (int type = 0; type < TYPES; type++)
        {
            final String tag = type + ":";
            engine.subscribe(type, (Message message) -> order.add(tag + message.id()));
        }
        engine.subscribeDeadLetters(letter -> dead.put(letter.message().id(), letter.reason()));
    }
}
