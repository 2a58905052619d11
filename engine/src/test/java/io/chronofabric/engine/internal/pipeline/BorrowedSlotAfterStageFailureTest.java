package io.chronofabric.engine.internal.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.chronofabric.affinity.ThreadPinner;
import io.chronofabric.engine.api.Stage;
import io.chronofabric.engine.internal.clock.HybridClock;
import io.chronofabric.engine.internal.clock.MonotonicClock;
import io.chronofabric.engine.internal.event.MessageEvent;
import io.chronofabric.engine.internal.event.PipelineCounters;
import io.chronofabric.engine.internal.event.Recovery;
import io.chronofabric.engine.internal.event.ReleaseSink;
import io.chronofabric.engine.internal.sequencing.TemporalCounters;
import io.chronofabric.engine.internal.sequencing.TemporalSequencer;
import io.chronofabric.engine.api.HoldOverflowPolicy;
import io.chronofabric.journal.Durability;
import io.chronofabric.journal.JournalQueues;
import io.chronofabric.journal.JournalWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A release that throws does not leave ring slots in the sequencer's window once the pipeline has moved past their
 * batch. The single-thread layout (journal and sequencer on one {@link StageGroup}, as {@link Pipeline} wires it, with
 * {@code borrowRingSlots()}), on a real Disruptor ring of 16 slots with the engine's {@link StageExceptionHandler}:
 * the release of one message throws, as the dead-letter journal, the trace or the settlement log do on a full disk.
 * Handling the failure, the Disruptor's processor moves its sequence past the batch, so publishers may reuse its
 * slots; a stage in front of the journal holds the thread until a publisher has refilled the ring, the timing a
 * publisher parked on a full ring gets. Every message journaled must still be released once, with its own payload
 * (before the fix the rest of the window stayed in the ready queue and was released after the slots were reused:
 * other messages' bytes, twice, and ids 6 to 9 never); the messages published into the reused slots come after the
 * failure, so they are neither journaled nor released.
 */
class BorrowedSlotAfterStageFailureTest
{
    private static final int RING = 16;
    private static final int TYPE = 1;

    @TempDir
    Path dir;

    @Test
    void aReleaseThatThrowsStillReleasesEveryMessageOfItsWindowOnceWithItsOwnPayload() throws Exception
    {
        final PipelineCounters counters = new PipelineCounters();
        final TemporalSequencer sequencer = new TemporalSequencer(counters, new TemporalCounters(), 0, 64,
            HoldOverflowPolicy.DEAD_LETTER_OLDEST, TimeUnit.SECONDS.toNanos(5), 1024, 4096, 2, 64,
            () -> System.currentTimeMillis() * 1_000_000L, MonotonicClock.SYSTEM);
        sequencer.borrowRingSlots();

        final CountDownLatch firstReleased = new CountDownLatch(1);
        final CountDownLatch secondBatchPublished = new CountDownLatch(1);
        final CountDownLatch refilled = new CountDownLatch(1);
        final Map<Long, List<Long>> released = new TreeMap<>();
        final List<Long> releaseOrder = new ArrayList<>();
        final long failOn = 5;
        sequencer.releaseTo(new ReleaseSink()
        {
            private boolean failed;

            @Override
            public void release(final MessageEvent message)
            {
                final long payload = message.payload().getLong(0);
                synchronized (released)
                {
                    released.computeIfAbsent(message.id(), id -> new ArrayList<>()).add(payload);
                    releaseOrder.add(message.id());
                }
                if (1 == message.id())
                {
                    firstReleased.countDown();
                    await(secondBatchPublished);
                }
                if (failOn == message.id() && !failed)
                {
                    failed = true;
                    // as DeadLetterJournal/TraceWriter/SettlementWriter do on a full disk
                    throw new IllegalStateException("simulated JournalWriteException from the release path");
                }
            }
        });

        // holds the pipeline thread at sequence 9, id 10 (the first event after the failed batch), until the ring is
        // refilled
        final EventHandler<MessageEvent> pause = (event, sequence, endOfBatch) ->
        {
            if (9 == sequence)
            {
                await(refilled);
            }
        };
        final JournalWriter writer = new JournalWriter(dir.resolve("journal"), JournalQueues.DEFAULT_ROLL_CYCLE,
            Durability.NONE, 2, 64);
        final JournalStage journal = new JournalStage(writer,
            new HybridClock(() -> System.currentTimeMillis() * 1_000_000L, TimeUnit.SECONDS.toNanos(1), 1 << 20),
            counters, true);
        final List<EventHandler<MessageEvent>> handlers = new ArrayList<>();
        handlers.add(pause);
        handlers.add(journal);
        handlers.add(sequencer);
        final StageGroup group = new StageGroup("cf-test", List.of(Stage.JOURNAL, Stage.SEQUENCER),
            ThreadPinner.NO_CPU, handlers, counters);

        final Disruptor<MessageEvent> disruptor = new Disruptor<>(() -> new MessageEvent(2, 64), RING,
            runnable -> new Thread(runnable, "cf-test"), ProducerType.MULTI, new BlockingWaitStrategy());
        disruptor.setDefaultExceptionHandler(new StageExceptionHandler(counters));
        disruptor.handleEventsWith(group);
        final RingBuffer<MessageEvent> ring = disruptor.start();
        try
        {
            // batch 1: id 1 alone; its release blocks until ids 2..9 are all published, so they form batch 2
            publish(ring, 1);
            assertTrue(firstReleased.await(10, TimeUnit.SECONDS));
            for (long id = 2; id <= 9; id++)
            {
                publish(ring, id);
            }
            secondBatchPublished.countDown();
            // batch 2 is exactly ids 2..9 (seqs 1..8): nothing more is published until the processor has passed it
            awaitGating(ring, 8);
            // batch 2 = ids 2..9, released at its end (BATCH_END on 9); the release of 5 throws, 6..9 stay in the
            // ready queue as borrowed ring slots; the processor's sequence moves to 9: slots 2..9 are free again.
            // a publisher (one parked on the full ring before the failure) fills the ring: ids 10..25, seqs 9..24;
            // the slots of ids 2..9 get ids 18..25
            for (long id = 10; id <= 25; id++)
            {
                publish(ring, id);
            }
            refilled.countDown();
            awaitGating(ring, 24);
            publish(ring, 26); // ends the last window
            Thread.sleep(200);
        }
        finally
        {
            disruptor.shutdown(5, TimeUnit.SECONDS);
        }

        synchronized (released)
        {
            final List<String> wrong = new ArrayList<>();
            for (long id = 1; id <= 26; id++)
            {
                final List<Long> payloads = released.get(id);
                final boolean journaled = id <= 9;
                if (journaled ? null == payloads || 1 != payloads.size() || payloads.get(0) != id : null != payloads)
                {
                    wrong.add(id + "->" + payloads);
                }
            }
            assertEquals(26 - 9, counters.dropped().get(), "published after the failure: not journaled");
            assertEquals(List.of(), wrong, "each id journaled before the failure released once, with its own " +
                "payload, none after it; release order " +
                releaseOrder + "; the pipeline failure recorded: " + counters.failure());
        }
    }

    private static void publish(final RingBuffer<MessageEvent> ring, final long id)
    {
        final long sequence = ring.next();
        final MessageEvent event = ring.get(sequence);
        event.record().clear();
        event.record().id(id).type(TYPE).source(1).priority(0);
        event.record().originNode(1).originId(id);
        event.record().dependencyCount(0);
        event.fromJournal(false);
        event.recovery(Recovery.NONE);
        event.holdReserved(false);
        event.deadLetterReason(null);
        event.deadlineBudgetNanos(0);
        event.publishedNanos(System.nanoTime());
        event.deadlineNanoTime(0);
        event.payloadForWriting().putLong(id);
        event.record().payloadLength(8);
        event.valid(true);
        ring.publish(sequence);
    }

    private static void awaitGating(final RingBuffer<MessageEvent> ring, final long sequence)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ring.getMinimumGatingSequence() < sequence && System.nanoTime() < deadline)
        {
            Thread.sleep(1);
        }
        assertTrue(ring.getMinimumGatingSequence() >= sequence, "the pipeline passed sequence " + sequence);
    }

    private static void await(final CountDownLatch latch)
    {
        try
        {
            if (!latch.await(10, TimeUnit.SECONDS))
            {
                throw new IllegalStateException("latch timed out");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
