package io.chronofabric.engine.internal.sequencing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

import io.chronofabric.engine.internal.event.MessageEvent;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The order ready messages leave the sequencer in: higher priority first; within a priority the earliest deadline,
 * messages without one after those with one; then publish (id) order.
 */
class ReadyQueueTest
{
    /** The rule, written independently of the heap. */
    private static final Comparator<MessageEvent> RULE = Comparator
        .comparingInt((MessageEvent m) -> -m.priority())
        .thenComparingLong(m -> 0 == m.deadlineEpochNanos() ? Long.MAX_VALUE : m.deadlineEpochNanos())
        .thenComparingLong(MessageEvent::id);

    private static MessageEvent message(final long id, final int priority, final long deadline)
    {
        final MessageEvent message = new MessageEvent(1, 8);
        message.record().clear();
        message.record().id(id).priority(priority).deadlineEpochNanos(deadline);
        return message;
    }

    private static List<Long> drain(final ReadyQueue queue)
    {
        final List<Long> order = new ArrayList<>();
        MessageEvent next;
        while (null != (next = queue.poll()))
        {
            order.add(next.id());
        }
        return order;
    }

    @Test
    void shouldReleaseHigherPriorityFirst()
    {
        final ReadyQueue queue = new ReadyQueue(8);
        queue.add(message(1, 0, 0));
        queue.add(message(2, 255, 0));
        queue.add(message(3, 100, 0));
        assertEquals(List.of(2L, 3L, 1L), drain(queue));
    }

    @Test
    void shouldReleaseTheEarliestDeadlineFirstWithinAPriorityAndMessagesWithoutADeadlineAfterThoseWithOne()
    {
        final ReadyQueue queue = new ReadyQueue(8);
        queue.add(message(1, 7, 0));
        queue.add(message(2, 7, 3_000));
        queue.add(message(3, 7, 1_000));
        queue.add(message(4, 8, 0));
        assertEquals(List.of(4L, 3L, 2L, 1L), drain(queue), "priority 8 first, even without a deadline");
    }

    @Test
    void shouldReleaseInIdOrderWhenPriorityAndDeadlineAreEqual()
    {
        final ReadyQueue queue = new ReadyQueue(8);
        queue.add(message(5, 1, 9));
        queue.add(message(3, 1, 9));
        queue.add(message(4, 1, 9));
        assertEquals(List.of(3L, 4L, 5L), drain(queue));
    }

    @Test
    void shouldAlwaysReleaseTheFirstByTheRuleWhileAddsAndPollsInterleave()
    {
        final long[] id = {0};
        checkAgainstTheRule(random -> message(++id[0], random.nextInt(4) * 80,
            random.nextBoolean() ? 0 : 1 + random.nextInt(20)));
    }

    @Test
    void shouldKeepTheRuleWhenPlainMessagesArriveOutOfIdOrderAsReleasedDependentsDo()
    {
        final long[] id = {0};
        final List<Long> skipped = new ArrayList<>();
        checkAgainstTheRule(random ->
        {
            // most messages are plain (no priority, no deadline); some ids are skipped now and added later, as a
            // dependent released from the hold buffer joins after messages published after it
            final long next;
            if (!skipped.isEmpty() && random.nextInt(4) == 0)
            {
                next = skipped.remove(random.nextInt(skipped.size()));
            }
            else
            {
                if (random.nextInt(5) == 0)
                {
                    skipped.add(++id[0]);
                }
                next = ++id[0];
            }
            final boolean plain = random.nextInt(4) > 0;
            return message(next, plain ? 0 : random.nextInt(3) * 100,
                plain || random.nextBoolean() ? 0 : 1 + random.nextInt(20));
        });
    }

    /** Adds and polls at random, 20,000 steps, checking each poll against the rule applied to a plain list. */
    private static void checkAgainstTheRule(final Function<SplittableRandom, MessageEvent> nextMessage)
    {
        final long seed = System.nanoTime();
        final SplittableRandom random = new SplittableRandom(seed);
        final ReadyQueue queue = new ReadyQueue(512);
        final List<MessageEvent> model = new ArrayList<>();
        for (int step = 0; step < 20_000; step++)
        {
            if (model.size() < 512 && (model.isEmpty() || random.nextInt(3) > 0))
            {
                final MessageEvent added = nextMessage.apply(random);
                queue.add(added);
                model.add(added);
            }
            else
            {
                final MessageEvent expected = model.stream().min(RULE).orElseThrow();
                model.remove(expected);
                assertEquals(expected.id(), queue.poll().id(), "seed=" + seed + " step " + step);
            }
            assertEquals(model.size(), queue.size(), "seed=" + seed);
        }
    }

    @Test
    void shouldRefuseAMessageWhenFullAndGiveNothingWhenEmpty()
    {
        final ReadyQueue queue = new ReadyQueue(2);
        assertNull(queue.poll());
        queue.add(message(1, 0, 0));
        queue.add(message(2, 0, 0));
        assertThrows(IllegalStateException.class, () -> queue.add(message(3, 0, 0)));
        assertEquals(List.of(1L, 2L), drain(queue));
        assertNull(queue.poll());
    }
}
