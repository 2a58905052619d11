package io.chronofabric.engine.temporal;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.api.PayloadWriter;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.config.ThreadLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.engine.temporal.TemporalTestSupport.awaitTrue;
import static io.chronofabric.engine.temporal.TemporalTestSupport.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A deadline is fixed at publish: {@code deadlineIn(d)} means d after the publish, whatever time the message then
 * waits in the ring before the journal stage stamps it. So a message published earlier with the earlier deadline is
 * released first, and the deadline a handler sees (and the journal keeps) is the publish time plus d. Before, the
 * journal stage added d to its own stamp: a message that waited in the ring had its deadline moved later by that
 * wait, and one published 250 ms later with a shorter budget sorted ahead of it (a black-box helper's finding).
 */
class DeadlineFixedAtPublishTest
{
    private static final int BLOCKER = 1;
    private static final int TYPE = 2;
    private static final int SLOW = 3;
    private static final PayloadWriter<Long> WRITER = (value, payload) -> payload.putLong(value);

    @TempDir
    Path dir;

    @Test
    void anEarlierDeadlineIsReleasedFirstAndKeptAsPublishTimePlusTheBudgetAfterAWaitInTheRing()
    {
        final List<Long> order = new CopyOnWriteArrayList<>();
        final List<Long> deadlines = new CopyOnWriteArrayList<>();
        final TemporalTestSupport.Gate gate = new TemporalTestSupport.Gate();
        try (ChronoFabric engine = ChronoFabric.start(TemporalTestSupport.context(dir)
            .threadLayout(ThreadLayout.parse("journal+sequencer+router+delivery"))))
        {
            engine.subscribe(BLOCKER, gate);
            engine.subscribe(TYPE, message ->
            {
                order.add(message.payload().getLong(0));
                deadlines.add(message.deadlineEpochNanos());
            });
            final Publisher publisher = engine.newPublisher(1);
            publisher.publish(BLOCKER, WRITER, 0L);
            gate.awaitClosedOnPipeline();
            // both wait in the ring while the pipeline thread is blocked: one batch, one release window
            final long firstPublishedAt = wallNanos();
            publisher.deadlineIn(TimeUnit.MILLISECONDS.toNanos(400)).publish(TYPE, WRITER, 1L);
            sleep(250);
            final long secondPublishedAt = wallNanos();
            publisher.deadlineIn(TimeUnit.MILLISECONDS.toNanos(200)).publish(TYPE, WRITER, 2L);
            sleep(100);
            gate.open();
            awaitTrue(() -> order.size() == 2, 5_000, order::toString);

            assertEquals(List.of(1L, 2L), order, "deadline at publish + 400 ms before deadline at publish + 450 ms");
            final long slack = TimeUnit.MILLISECONDS.toNanos(50);
            assertTrue(Math.abs(deadlines.get(0) - (firstPublishedAt + TimeUnit.MILLISECONDS.toNanos(400))) < slack,
                "the first deadline is " + (deadlines.get(0) - firstPublishedAt) / 1_000_000 + " ms after its publish");
            assertTrue(Math.abs(deadlines.get(1) - (secondPublishedAt + TimeUnit.MILLISECONDS.toNanos(200))) < slack,
                "the second deadline is " + (deadlines.get(1) - secondPublishedAt) / 1_000_000 + " ms after its " +
                    "publish");
        }
        finally
        {
            gate.open();
        }
    }

    /**
     * A journal stage that times its appends stamps each message of a batch with the clock reading taken after the
     * message before it. When the sequencer's window ends inside the batch, the handlers of that window run between
     * the two; the host's clock is carried forward on that reading, but an application's own wall clock is read at the
     * stamp, and a deadline computed from that fresh wall and the older reading was later by the handlers' time.
     */
    @Test
    void aSlowHandlerEarlierInTheBatchDoesNotMoveADeadlineOnTheApplicationsWallClock()
    {
        final List<Long> deadlines = new CopyOnWriteArrayList<>();
        final TemporalTestSupport.Gate gate = new TemporalTestSupport.Gate();
        try (ChronoFabric engine = ChronoFabric.start(TemporalTestSupport.context(dir)
            .threadLayout(ThreadLayout.parse("journal+sequencer+router+delivery")).sequencerWindow(1)
            .stageLatencyEnabled(true).wallClock(DeadlineFixedAtPublishTest::wallNanos)))
        {
            engine.subscribe(BLOCKER, gate);
            engine.subscribe(SLOW, message -> sleep(200));
            engine.subscribe(TYPE, message -> deadlines.add(message.deadlineEpochNanos()));
            final Publisher publisher = engine.newPublisher(1);
            publisher.publish(BLOCKER, WRITER, 0L);
            gate.awaitClosedOnPipeline();
            publisher.publish(SLOW, WRITER, 1L);
            final long publishedAt = wallNanos();
            publisher.deadlineIn(TimeUnit.MILLISECONDS.toNanos(1_000)).publish(TYPE, WRITER, 2L);
            gate.open();
            awaitTrue(() -> deadlines.size() == 1, 5_000, deadlines::toString);

            final long after = (deadlines.get(0) - publishedAt) / 1_000_000;
            assertTrue(Math.abs(after - 1_000) < 50, "the deadline is " + after + " ms after its publish, not 1000");
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
