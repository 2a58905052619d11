package io.chronofabric.engine.internal.sequencing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.chronofabric.engine.internal.pipeline.StagesOnTestThread;
import io.chronofabric.journal.RecordFlags;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When and in which order the sequencer releases, driven on the test thread: a window is the journal's batch (it ends
 * at {@link RecordFlags#BATCH_END}, at a change of batch parity, after {@code sequencer.window} messages, or live on
 * an idle tick, never on one while replaying); within it, priority, then earliest deadline, then id, and never a
 * dependent before its dependency.
 */
class TemporalSequencerReleaseOrderTest
{
    private static final int TYPE = 2;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    /** A message as the release-order model sees it. */
    private record Spec(long id, int priority, long deadline, long[] dependencies)
    {
    }

    @Test
    void shouldReleaseNothingBeforeItsJournalBatchEndsThenTheWholeWindowByPriorityDeadlineAndId()
    {
        final SequencerOnTestThread s = SequencerOnTestThread.withDefaults();
        final JournalFeed feed = s.feed;
        final long low = feed.journalOne(feed.message(TYPE), false);
        final long high = feed.journalOne(feed.message(TYPE).priority(200), false);
        final long laterDeadline = feed.journalOne(feed.message(TYPE).priority(100).deadlineIn(5 * SECOND), false);
        final long earlierDeadline = feed.journalOne(feed.message(TYPE).priority(100).deadlineIn(3 * SECOND), false);
        final long noDeadline = feed.journalOne(feed.message(TYPE).priority(100), false);
        assertEquals(List.of(), s.sink.ids(), "nothing before the batch ends");
        final long last = feed.journalOne(feed.message(TYPE), true);
        assertEquals(List.of(high, earlierDeadline, laterDeadline, noDeadline, low, last), s.sink.released());
        assertEquals(1, s.sink.releaseGroups().size(), "one window");
    }

    @Test
    void shouldReleaseAWindowOnceItHoldsSequencerWindowMessagesEvenWithoutABatchEnd()
    {
        final SequencerOnTestThread s = SequencerOnTestThread.builder().window(3).build();
        final JournalFeed feed = s.feed;
        final long first = feed.journalOne(feed.message(TYPE), false);
        final long second = feed.journalOne(feed.message(TYPE).priority(10), false);
        assertEquals(List.of(), s.sink.ids());
        final long third = feed.journalOne(feed.message(TYPE).priority(20), false);
        final long fourth = feed.journalOne(feed.message(TYPE).priority(255), false);
        assertEquals(List.of(third, second, first), s.sink.released(), "the fourth opens the next window");
        feed.idle();
        assertEquals(List.of(List.of(third, second, first), List.of(fourth)), s.sink.releaseGroups());
    }

    /**
     * A journal batch that ended on a refused publish (a slot that carried no message) marks no record as its end;
     * the next batch's other parity closes the window before its first message is admitted, as on replay.
     */
    @Test
    void shouldCloseTheOpenWindowWhenTheNextJournalBatchBeginsThoughTheLastOneShowedNoEnd()
    {
        final SequencerOnTestThread s = SequencerOnTestThread.withDefaults();
        final JournalFeed feed = s.feed;
        final long low = feed.publish(feed.message(TYPE));
        final long mid = feed.publish(feed.message(TYPE).priority(9));
        feed.endBatchOnARefusedPublish();
        assertEquals(List.of(), s.sink.ids());
        final long high = feed.alone(feed.message(TYPE).priority(255));
        assertEquals(List.of(List.of(mid, low), List.of(high)), s.sink.releaseGroups(),
            "the high-priority message of the next batch does not overtake the earlier window");
    }

    @Test
    void shouldReleaseAnOpenWindowOnAnIdleTickWhenLiveButOnlyWhereTheJournalSaysWhenReplaying()
    {
        final SequencerOnTestThread live = SequencerOnTestThread.withDefaults();
        final long id = live.feed.journalOne(live.feed.message(TYPE), false);
        live.feed.idle();
        assertEquals(List.of(id), live.sink.released());
        assertEquals(1, live.sink.idles(), "the idle tick is passed on, for delivery's retries");

        final SequencerOnTestThread replay = SequencerOnTestThread.withDefaults();
        final long wall = SequencerOnTestThread.WALL_START;
        replay.feed.replay(replay.feed.record(1, TYPE, 0, wall, 0, 0));
        replay.feed.idle();
        replay.clock.advance(SECOND);
        replay.feed.idle();
        assertEquals(List.of(), replay.sink.ids(), "a replay's windows do not depend on how fast it is fed");
        replay.feed.replay(replay.feed.record(2, TYPE, 50, wall, 1, RecordFlags.BATCH_END));
        assertEquals(List.of(2L, 1L), replay.sink.released());
    }

    @Test
    void shouldStampEachReleaseWithTheMonotonicClockAndTheIdAdmittedBeforeIt()
    {
        final SequencerOnTestThread s = SequencerOnTestThread.withDefaults();
        final long first = s.feed.alone(TYPE);
        s.clock.advance(7);
        final long gap = s.feed.gap();
        final long third = s.feed.alone(TYPE);
        assertEquals(List.of(first, third), s.sink.released());
        assertEquals(SequencerOnTestThread.MONOTONIC_START, s.sink.outs().get(0).sequencedNanos());
        assertEquals(0, s.sink.outs().get(0).previousId());
        assertEquals(SequencerOnTestThread.MONOTONIC_START + 7, s.sink.outs().get(1).sequencedNanos());
        assertEquals(first, s.sink.outs().get(1).previousId(), "the gap " + gap + " was never admitted");
    }

    @Test
    void shouldCountAMessageWhoseHlcTimeIsNotAboveThePreviousOneAsAnOrderViolation()
    {
        final SequencerOnTestThread s = SequencerOnTestThread.withDefaults();
        final long wall = SequencerOnTestThread.WALL_START;
        s.feed.replay(s.feed.record(1, TYPE, 0, wall, 5, RecordFlags.BATCH_END));
        s.feed.replay(s.feed.record(2, TYPE, 0, wall, 5, RecordFlags.BATCH_END));
        s.feed.replay(s.feed.record(3, TYPE, 0, wall, 6, RecordFlags.BATCH_END));
        s.feed.replay(s.feed.record(4, TYPE, 0, wall - 1, 9, RecordFlags.BATCH_END));
        assertEquals(2, s.counters.orderViolations().get());
        assertEquals(List.of(1L, 2L, 3L, 4L), s.sink.released(), "counted, not refused");
    }

    /** Independent messages of one window: priority, then earliest deadline (none last), then id. */
    @Test
    void shouldReleaseAWindowByPriorityThenEarliestDeadlineThenId()
    {
        final long seed = System.nanoTime();
        final SplittableRandom random = new SplittableRandom(seed);
        final List<Spec> specs = new ArrayList<>();
        final List<Long> order = releaseOneWindow(200, specs, (i, message) ->
        {
            message.priority(random.nextInt(3) * 100);
            if (random.nextBoolean())
            {
                message.deadlineIn(TimeUnit.SECONDS.toNanos(10 + random.nextInt(5)));
            }
            return new long[0];
        }, null, null);
        final List<Long> expected = specs.stream().sorted(TemporalSequencerReleaseOrderTest::releaseOrder)
            .map(Spec::id).collect(Collectors.toList());
        assertEquals(expected, order, "seed=" + seed);
    }

    /**
     * Random dependencies inside one window: every message after its dependencies, and messages that were ready from
     * the start of the window (no dependency in it) in priority, deadline, id order among themselves.
     */
    @Test
    void shouldNeverLetPriorityOrDeadlineOvertakeAnUndeliveredDependency()
    {
        final long seed = System.nanoTime();
        final SplittableRandom random = new SplittableRandom(seed);
        final List<Spec> specs = new ArrayList<>();
        final List<Long> published = new ArrayList<>();
        final List<Long> order = releaseOneWindow(300, specs, (i, message) ->
        {
            message.priority(random.nextInt(4) * 80);
            if (random.nextBoolean())
            {
                message.deadlineIn(TimeUnit.SECONDS.toNanos(10 + random.nextInt(30)));
            }
            final int count = published.isEmpty() || random.nextInt(3) > 0 ? 0 : 1 + random.nextInt(2);
            final long[] dependencies = new long[count];
            for (int d = 0; d < count; d++)
            {
                dependencies[d] = published.get(random.nextInt(published.size()));
            }
            message.dependsOn(dependencies);
            return dependencies;
        }, published, null);
        final Map<Long, Integer> position = new HashMap<>();
        for (int i = 0; i < order.size(); i++)
        {
            position.put(order.get(i), i);
        }
        final List<Spec> roots = new ArrayList<>();
        for (final Spec spec : specs)
        {
            for (final long dependency : spec.dependencies())
            {
                assertTrue(position.get(dependency) < position.get(spec.id()), "seed=" + seed + ": " + spec.id() +
                    " (priority " + spec.priority() + ") delivered before its dependency " + dependency);
            }
            if (0 == spec.dependencies().length)
            {
                roots.add(spec);
            }
        }
        final List<Long> rootsDelivered = order.stream().filter(id -> roots.stream().anyMatch(s -> s.id() == id))
            .collect(Collectors.toList());
        final List<Long> rootsExpected = roots.stream().sorted(TemporalSequencerReleaseOrderTest::releaseOrder)
            .map(Spec::id).collect(Collectors.toList());
        assertEquals(rootsExpected, rootsDelivered, "seed=" + seed);
    }

    /**
     * "Among ready messages, earlier deadlines and higher priorities go first, but nothing ever overtakes an
     * undelivered causal dependency": once a low-priority message is delivered, its high-priority dependent is ready
     * and outranks every other ready message, so it goes next. Expected order by that rule, for one window holding
     * L (priority 0), N1..N3 (priority 0, independent), H (priority 255, depends on L), M (priority 100):
     * M, L, H, N1, N2, N3.
     */
    @Test
    void shouldDeliverAHighPriorityDependentRightAfterItsDependencyWhenItOutranksTheOtherReadyMessages()
    {
        final List<Spec> specs = new ArrayList<>();
        final long[] ids = new long[6];
        final List<Long> order = releaseOneWindow(6, specs, (i, message) ->
        {
            switch (i)
            {
                case 4:
                    message.priority(255).dependsOn(ids[0]);
                    return new long[] {ids[0]};
                case 5:
                    message.priority(100);
                    return new long[0];
                default:
                    return new long[0];
            }
        }, null, ids);
        final List<Long> expected = List.of(ids[5], ids[0], ids[4], ids[1], ids[2], ids[3]);
        assertEquals(expected, greedyOrder(specs), "the reference model agrees with the rule");
        assertEquals(expected, order, "L=" + ids[0] + " N=" + ids[1] + "," + ids[2] + "," + ids[3] + " H=" + ids[4] +
            " M=" + ids[5] + ": H (priority 255) is ready as soon as L is delivered and must not wait behind N1..N3 " +
            "(priority 0)");
    }

    /**
     * One window in which later chain links carry ever higher priorities and ever earlier deadlines, and diamonds
     * whose bottom outranks its sides: only the dependencies keep them in causal order.
     */
    @Test
    void shouldDeliverAChainAndDiamondsInCausalOrderEvenWhenPrioritiesAndDeadlinesPointTheOtherWay()
    {
        final int chainLength = 300;
        final int diamonds = 40;
        final StagesOnTestThread stages = StagesOnTestThread.withDefaults();
        final JournalFeed feed = stages.feed;
        final List<Long> order = new ArrayList<>();
        final long[] chain = new long[chainLength];
        final long[][] diamond = new long[diamonds][4];
        stages.subscribe(2, message -> order.add(message.id()));
        chain[0] = feed.publish(2);
        for (int i = 1; i < chainLength; i++)
        {
            chain[i] = feed.publish(feed.message(2).priority(Math.min(255, i))
                .deadlineIn(TimeUnit.SECONDS.toNanos(60) - i * 1_000_000L).dependsOn(chain[i - 1]));
        }
        for (int d = 0; d < diamonds; d++)
        {
            diamond[d][0] = feed.publish(2);
            diamond[d][1] = feed.publish(feed.message(2).priority(100).dependsOn(diamond[d][0]));
            diamond[d][2] = feed.publish(feed.message(2).priority(200).deadlineIn(TimeUnit.SECONDS.toNanos(30))
                .dependsOn(diamond[d][0]));
            diamond[d][3] = feed.publish(feed.message(2).priority(255).deadlineIn(TimeUnit.SECONDS.toNanos(10))
                .dependsOn(diamond[d][1], diamond[d][2]));
        }
        feed.endBatch();

        final List<Long> delivered = new ArrayList<>(order);
        assertEquals(chainLength + 4 * diamonds, delivered.size());
        assertEquals(chainLength + 4 * diamonds, new HashSet<>(delivered).size(), "no duplicates");
        int previous = -1;
        for (int i = 0; i < chainLength; i++)
        {
            final int position = delivered.indexOf(chain[i]);
            assertTrue(position > previous, "chain link " + i + " (id " + chain[i] + ") delivered at " + position +
                ", before link " + (i - 1) + " at " + previous + ": " + delivered);
            previous = position;
        }
        for (int d = 0; d < diamonds; d++)
        {
            final int top = delivered.indexOf(diamond[d][0]);
            final int left = delivered.indexOf(diamond[d][1]);
            final int right = delivered.indexOf(diamond[d][2]);
            final int bottom = delivered.indexOf(diamond[d][3]);
            assertTrue(top < left && top < right && left < bottom && right < bottom, "diamond " + d + " " +
                Arrays.toString(diamond[d]) + " delivered at positions " + top + "," + left + "," + right + "," +
                bottom);
        }
        assertEquals(0, stages.temporal.causalityViolations().get());
        assertEquals(chainLength - 1 + 3 * diamonds, stages.temporal.heldTotalCount(), "every dependent waited for " +
            "a dependency released in the same window, and counts as held");
    }

    /**
     * Builds one window, as the engine tests did by holding the pipeline thread in a gate while publishing: the
     * messages are published, then reach the sequencer as one journal batch; they are routed and delivered inline.
     */
    private static List<Long> releaseOneWindow(final int count, final List<Spec> specs, final WindowMessage message,
        final List<Long> published, final long[] ids)
    {
        final StagesOnTestThread stages = StagesOnTestThread.withDefaults();
        final JournalFeed feed = stages.feed;
        final List<Long> order = new ArrayList<>();
        final Map<Long, long[]> dependencies = new HashMap<>();
        stages.subscribe(TYPE, delivered ->
        {
            order.add(delivered.id());
            specs.add(new Spec(delivered.id(), delivered.priority(), delivered.deadlineEpochNanos(),
                dependencies.get(delivered.id())));
        });
        for (int i = 0; i < count; i++)
        {
            final JournalFeed.Msg next = feed.message(TYPE);
            final long[] declared = message.prepare(i, next);
            final long id = feed.publish(next);
            dependencies.put(id, declared);
            if (null != published)
            {
                published.add(id);
            }
            if (null != ids)
            {
                ids[i] = id;
            }
        }
        assertEquals(List.of(), order, "nothing before the journal batch ends");
        feed.endBatch();
        assertEquals(count, order.size(), "the whole window delivered at its end");
        assertEquals(0, stages.temporal.causalityViolations().get());
        specs.sort(Comparator.comparingLong(Spec::id));
        return new ArrayList<>(order);
    }

    /** The reference: repeatedly deliver the best message whose dependencies were all delivered. */
    private static List<Long> greedyOrder(final List<Spec> specs)
    {
        final List<Spec> left = new ArrayList<>(specs);
        final List<Long> order = new ArrayList<>();
        while (!left.isEmpty())
        {
            Spec best = null;
            for (final Spec spec : left)
            {
                final boolean ready = Arrays.stream(spec.dependencies()).allMatch(order::contains);
                if (ready && (null == best || releaseOrder(spec, best) < 0))
                {
                    best = spec;
                }
            }
            order.add(best.id());
            left.remove(best);
        }
        return order;
    }

    private static int releaseOrder(final Spec a, final Spec b)
    {
        if (a.priority() != b.priority())
        {
            return Integer.compare(b.priority(), a.priority());
        }
        if (a.deadline() != b.deadline())
        {
            if (0 == a.deadline() || 0 == b.deadline())
            {
                return 0 == a.deadline() ? 1 : -1;
            }
            return Long.compare(a.deadline(), b.deadline());
        }
        return Long.compare(a.id(), b.id());
    }

    /** Sets the options of the {@code i}th message of a window. */
    @FunctionalInterface
    private interface WindowMessage
    {
        /** @return the dependencies it declared. */
        long[] prepare(int i, JournalFeed.Msg message);
    }
}
