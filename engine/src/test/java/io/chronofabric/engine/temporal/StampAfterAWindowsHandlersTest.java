package io.chronofabric.engine.temporal;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.journal.DeadLetterReason;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.config.ThreadLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.engine.temporal.TemporalTestSupport.awaitTrue;
import static io.chronofabric.engine.temporal.TemporalTestSupport.sleep;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A message's HLC stamp is not taken before handlers that ran ahead of its journaling. With stage timing on (the
 * default) the journal stage stamps a message with the clock reading it took after the previous append of the batch;
 * on the journal's thread the sequencer can end a window inside the batch (every {@code sequencer.window} messages)
 * and deliver it, so a slow handler ran between that reading and the stamp: the stamp was 300 ms old, and a message
 * held for a dependency timed out after 6 ms of a 150 ms hold timeout, which it measures from the stamp (an
 * adversarial review's finding). Host clock, fused layout, a window of one message.
 */
class StampAfterAWindowsHandlersTest
{
    private static final int BLOCKER = 1;
    private static final int TYPE = 2;
    private static final int SLOW = 3;

    @TempDir
    Path dir;

    @Test
    void aMessageJournaledAfterASlowHandlerIsNotStampedBeforeThatHandlerReturned()
    {
        final List<Long> walls = new CopyOnWriteArrayList<>();
        final AtomicLong slowReturnedAt = new AtomicLong();
        final TemporalTestSupport.Gate gate = new TemporalTestSupport.Gate();
        try (ChronoFabric engine = ChronoFabric.start(TemporalTestSupport.context(dir)
            .threadLayout(ThreadLayout.parse("journal+sequencer+router+delivery")).sequencerWindow(1)
            .stageLatencyEnabled(true).latencyTraceEnabled(true)))
        {
            engine.subscribe(BLOCKER, gate);
            engine.subscribe(SLOW, message ->
            {
                sleep(300);
                slowReturnedAt.set(wallNanos());
            });
            engine.subscribe(TYPE, message -> walls.add(message.hlcWall()));
            final Publisher publisher = engine.newPublisher(1);
            publisher.publish(BLOCKER, TemporalTestSupport.LONG_WRITER, 0L);
            gate.awaitClosedOnPipeline();
            publisher.publish(SLOW, TemporalTestSupport.LONG_WRITER, 1L); // [SLOW, TYPE]: one batch
            publisher.publish(TYPE, TemporalTestSupport.LONG_WRITER, 2L);
            gate.open();
            awaitTrue(() -> walls.size() == 1, 5_000, walls::toString);
            final long behind = (slowReturnedAt.get() - walls.get(0)) / 1_000_000;
            assertTrue(behind < 5, "stamped " + behind + " ms before the slow handler (which ran before its " +
                "journaling) returned");
        }
        finally
        {
            gate.open();
        }
    }

    @Test
    void aHeldMessageStampedAfterASlowHandlerWaitsTheHoldTimeoutBeforeItTimesOut()
    {
        final AtomicLong slowReturnedAt = new AtomicLong();
        final AtomicLong deadLetteredAt = new AtomicLong();
        final TemporalTestSupport.Gate gate = new TemporalTestSupport.Gate();
        try (ChronoFabric engine = ChronoFabric.start(TemporalTestSupport.context(dir)
            .threadLayout(ThreadLayout.parse("journal+sequencer+router+delivery")).sequencerWindow(1)
            .stageLatencyEnabled(true).latencyTraceEnabled(true).holdTimeoutNanos(TimeUnit.MILLISECONDS.toNanos(150))))
        {
            engine.subscribe(BLOCKER, gate);
            engine.subscribe(SLOW, message ->
            {
                sleep(300);
                slowReturnedAt.set(wallNanos());
            });
            engine.subscribe(TYPE, message -> { });
            engine.subscribeDeadLetters(deadLetter ->
            {
                if (DeadLetterReason.DEPENDENCY_TIMEOUT == deadLetter.reason())
                {
                    deadLetteredAt.compareAndSet(0, wallNanos());
                }
            });
            final Publisher publisher = engine.newPublisher(1);
            final long blocker = publisher.publish(BLOCKER, TemporalTestSupport.LONG_WRITER, 0L);
            gate.awaitClosedOnPipeline();
            final long gap = TemporalTestSupport.publishGap(publisher, TYPE, blocker); // never arrives
            publisher.publish(SLOW, TemporalTestSupport.LONG_WRITER, 1L);
            TemporalTestSupport.publish(publisher, TYPE, 2L, gap); // held for the gap, after SLOW in one batch
            gate.open();
            awaitTrue(() -> 0 != deadLetteredAt.get(), 5_000, () -> "no dependency_timeout");
            final long heldFor = (deadLetteredAt.get() - slowReturnedAt.get()) / 1_000_000;
            assertTrue(heldFor >= 140, "dependency_timeout after " + heldFor + " ms of hold, not 150");
        }
        finally
        {
            gate.open();
        }
    }

    private static long wallNanos()
    {
        final java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
