package io.chronofabric.engine.internal.sequencing;

import java.lang.management.ManagementFactory;
import java.util.function.Consumer;

import io.chronofabric.engine.internal.event.MessageEvent;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Holding and releasing allocates nothing once warm, whatever way a message leaves: released after one or several
 * dependencies (one listed twice), dead-lettered by a dead dependency, timed out, evicted as the oldest. Measured with
 * the HotSpot per-thread allocation counter over 200,000 rounds after as many to warm up; before the hold buffer was
 * rewritten, boxing the id of every released message alone cost 16 bytes a release.
 */
class HoldBufferAllocationTest
{
    private static final int ROUNDS = 200_000;
    private static final long TIMEOUT = 1_000;
    /** A one-off JIT charge to the thread (see ZeroAllocationTest); one allocation per round would be megabytes. */
    private static final long SLACK_BYTES = 4096;

    private final HoldBuffer buffer = new HoldBuffer(8, 4);
    private final MessageEvent[] messages = new MessageEvent[4];
    private final long[] missing = new long[4];
    private long handedOver;
    private final Consumer<MessageEvent> count = message -> handedOver++;

    @Test
    void holdingAndLeavingInEveryWayAllocatesNothingOnceWarm()
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory
            .getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "per-thread allocation counters unsupported");
        threads.setThreadAllocatedMemoryEnabled(true);
        for (int i = 0; i < messages.length; i++)
        {
            messages[i] = new MessageEvent(4, 8);
        }
        rounds(ROUNDS, 0);
        final long thread = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(thread);
        rounds(ROUNDS, ROUNDS);
        final long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertEquals(0, buffer.size(), "every round leaves the buffer empty");
        assertEquals(2L * ROUNDS * 6, handedOver, "six messages leave each round");
        assertTrue(allocated < SLACK_BYTES, allocated + " bytes allocated over " + ROUNDS + " rounds");
    }

    /** Each round: six holds that leave in each way, with ids that never repeat across rounds. */
    private void rounds(final int rounds, final long from)
    {
        for (long round = from; round < from + rounds; round++)
        {
            final long base = round * 100;
            // released after two dependencies, one of them listed twice
            hold(0, 3, base, base + 1, base + 1);
            buffer.onReleased(base + 1, count);
            buffer.onReleased(base, count);
            // a chain: the second waits for the first's id
            hold(1, 1, base + 2, 0, 0);
            hold(2, 1, base + 10, 0, 0);
            buffer.onReleased(base + 2, count);
            buffer.onReleased(base + 10, count);
            // dead-lettered by a dead dependency
            hold(3, 1, base + 3, 0, 0);
            buffer.onDead(base + 3, count);
            // timed out, then evicted as the oldest: each still waiting for another id, which is then released
            hold(0, 2, base + 4, base + 5, 0);
            hold(1, 1, base + 5, 0, 0);
            count.accept(buffer.pollTimedOut(base + TIMEOUT, TIMEOUT));
            count.accept(buffer.pollOldest());
            buffer.onReleased(base + 5, count);
        }
    }

    /** Holds a message missing the first {@code count} of the ids given (no varargs: the test allocates nothing). */
    private void hold(final int message, final int count, final long first, final long second, final long third)
    {
        missing[0] = first;
        missing[1] = second;
        missing[2] = third;
        buffer.hold(messages[message], missing, count, first - first % 100);
    }
}
