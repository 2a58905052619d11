package io.chronofabric.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.api.RetryPolicy;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.config.Profiles;
import io.chronofabric.engine.config.ThreadLayout;
import io.chronofabric.engine.config.WaitStrategyKind;
import io.chronofabric.journal.JournalInUseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A close whose drain runs out of time ({@code close.drain-timeout-ms}) halts the pipeline and leaves what it did not
 * finish unsettled, so the next start delivers it again; until the halted threads have stopped, no other engine may
 * have the journal folder. Found by black-box helpers: ending the subscriptions at close made the retries still
 * queued count as settled without being delivered or dead-lettered (a restart recovered none of them); and the halted
 * thread went on running retries to their end, writing the journal folder after close had released it to the next
 * engine.
 */
class CloseDrainTimeoutTest
{
    private static final int TYPE = 1;
    private static final int MESSAGES = 10;
    private static final String DRAIN_MILLIS = "1000";

    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void messagesACloseCouldNotFinishAreDeliveredAgainOnTheNextStart()
    {
        final ChronoFabric first = ChronoFabric.start(settings(), engine ->
            engine.subscribe(TYPE, message ->
            {
                throw new IllegalStateException("always");
            }, new RetryPolicy(1_000, TimeUnit.MILLISECONDS.toNanos(50), TimeUnit.MILLISECONDS.toNanos(100),
                TimeUnit.SECONDS.toNanos(5), 10_000)));
        publish(first);
        final long closing = System.nanoTime();
        first.close();
        final long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing);
        assertTrue(closeMillis < 10_000, "close keeps to close.drain-timeout-ms (twice, the drain and the threads' " +
            "stop): " + closeMillis + " ms");
        final long settled = first.settledWatermark();
        assertTrue(settled < MESSAGES, "the drain ran out of time before the last retry: settled up to " + settled);

        final List<Long> delivered = new CopyOnWriteArrayList<>();
        final long recovered;
        try (ChronoFabric second = ChronoFabric.start(settings(), engine ->
            engine.subscribe(TYPE, message -> delivered.add(message.id()))))
        {
            recovered = second.recoveredMessages();
        }
        assertEquals(MESSAGES - settled, recovered, "what the first close did not finish is delivered again, " +
            "and nothing more: the halted thread stopped without running the retries to their end");
        assertEquals(recovered, delivered.size(), delivered::toString);
        assertEquals(MESSAGES, delivered.get(delivered.size() - 1), "the last one among them");
    }

    @Test
    @Timeout(60)
    void aHandlerThatDoesNotReturnKeepsTheJournalFolderFromTheNextEngineUntilItDoes() throws Exception
    {
        final CountDownLatch handlerEntered = new CountDownLatch(1);
        final CountDownLatch handlerMayReturn = new CountDownLatch(1);
        final AtomicInteger calls = new AtomicInteger();
        final List<Long> delivered = new CopyOnWriteArrayList<>();
        final ChronoFabric first = ChronoFabric.start(settings(), engine -> engine.subscribe(TYPE, message ->
        {
            calls.incrementAndGet();
            handlerEntered.countDown();
            handlerMayReturn.await();
            delivered.add(message.id());
        }));
        publish(first);
        assertTrue(handlerEntered.await(10, TimeUnit.SECONDS));
        final List<String> errors;
        try (CapturedLog log = new CapturedLog("Engine"))
        {
            first.close();
            errors = log.lines();
        }
        assertTrue(errors.stream().anyMatch(line -> line.contains("close.drain-timeout-ms") &&
            line.contains("stay unsettled for the next start")), errors::toString);

        final JournalInUseException refused = assertThrows(JournalInUseException.class,
            () -> ChronoFabric.start(settings()).close(), "a halted thread still in a handler will write the folder");
        assertTrue(refused.getMessage().contains(String.valueOf(ProcessHandle.current().pid())), refused::getMessage);

        handlerMayReturn.countDown();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true)
        {
            try (ChronoFabric second = ChronoFabric.start(settings(), engine ->
                engine.subscribe(TYPE, message -> delivered.add(message.id()))))
            {
                break;
            }
            catch (final JournalInUseException stillHeld)
            {
                assertTrue(System.nanoTime() < deadline, "the folder is released once the handler returned");
                Thread.sleep(20);
            }
        }
        assertEquals(1, calls.get(), "once the handler in hand returned, the halted thread handed nothing more " +
            "to the application after close() had returned");
        // the next engine delivers the rest of what was journaled (acknowledged): each message once; what the halted
        // thread had not journaled was never acknowledged (the close's ERROR line names it)
        delivered.sort(null);
        assertEquals(LongStream.rangeClosed(1, first.acknowledgedId()).boxed().toList(), delivered);
    }

    @Test
    @Timeout(60)
    void messagesAcceptedBehindAHandlerThatDoesNotReturnAreReportedAsNotAcknowledged() throws Exception
    {
        final CountDownLatch handlerEntered = new CountDownLatch(1);
        final CountDownLatch handlerMayReturn = new CountDownLatch(1);
        final ChronoFabric first = ChronoFabric.start(settings(), engine -> engine.subscribe(TYPE, message ->
        {
            handlerEntered.countDown();
            handlerMayReturn.await();
        }));
        final Publisher publisher = first.newPublisher(1);
        final long blocked = publisher.publish(TYPE, (value, payload) -> payload.putLong(value), 0L);
        assertTrue(handlerEntered.await(10, TimeUnit.SECONDS));
        long last = blocked;
        for (long i = 1; i <= MESSAGES; i++)
        {
            last = publisher.publish(TYPE, (value, payload) -> payload.putLong(value), i);
        }
        final List<String> errors;
        try (CapturedLog log = new CapturedLog("Engine"))
        {
            first.close();
            errors = log.lines();
        }
        handlerMayReturn.countDown();
        final String expected = "ids " + (blocked + 1) + " to " + last + ") were not acknowledged";
        assertTrue(errors.stream().anyMatch(line -> line.contains(expected)), () -> expected + " in " + errors);
        assertEquals(blocked, first.acknowledgedId());
    }

    /**
     * With the release ring between the sequencer and delivery (a layout of the throughput and low-latency profiles),
     * a handler that blocks lets the release ring fill and the sequencer wait for a slot there, and its shutdown has
     * held messages to release too; the halt must free it once the handler returns, or the folder stays locked for
     * the life of the process (an adversarial review's finding).
     */
    @Test
    @Timeout(60)
    void aHandlerThatBlocksBehindAFullReleaseRingFreesTheFolderOnceItReturns() throws Exception
    {
        final CountDownLatch handlerEntered = new CountDownLatch(1);
        final CountDownLatch handlerMayReturn = new CountDownLatch(1);
        final EngineConfiguration.Builder split = settings().threadLayout(ThreadLayout.PER_STAGE)
            .waitStrategy(WaitStrategyKind.SLEEPING).ringSize(64).set("hold.timeout-ms", "60000");
        final ChronoFabric first = ChronoFabric.start(split, engine -> engine.subscribe(TYPE, message ->
        {
            handlerEntered.countDown();
            handlerMayReturn.await();
        }));
        final Publisher publisher = first.newPublisher(1);
        for (long i = 0; i < 8; i++)
        {
            // held for another node's message that never comes: the sequencer's shutdown releases them (engine_closed)
            publisher.dependsOn(9, 1 + i).publish(TYPE, (value, payload) -> payload.putLong(value), i);
        }
        publisher.publish(TYPE, (value, payload) -> payload.putLong(value), 0L);
        assertTrue(handlerEntered.await(10, TimeUnit.SECONDS));
        int accepted = 0;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < deadline)
        {
            // both rings fill: the release ring's 64 slots behind the handler, then the ingress ring's
            if (publisher.tryPublish(TYPE, (value, payload) -> payload.putLong(value), 1L) > 0)
            {
                accepted++;
            }
            else
            {
                Thread.sleep(1);
            }
        }
        assertTrue(accepted >= 64, "filled the release ring (its 64 slots, one of them the blocked message's): " +
            accepted);
        first.close();
        handlerMayReturn.countDown();
        final long freed = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true)
        {
            try (ChronoFabric second = ChronoFabric.start(split))
            {
                break;
            }
            catch (final JournalInUseException stillHeld)
            {
                assertTrue(System.nanoTime() < freed, "the folder is released once the handler returned");
                Thread.sleep(20);
            }
        }
    }

    private EngineConfiguration.Builder settings()
    {
        return Profiles.builder("dev").journalDir(dir).set("close.drain-timeout-ms", DRAIN_MILLIS);
    }

    private static void publish(final ChronoFabric engine)
    {
        final Publisher publisher = engine.newPublisher(1);
        for (long i = 1; i <= MESSAGES; i++)
        {
            publisher.publish(TYPE, (value, payload) -> payload.putLong(value), i);
        }
    }
}
