package io.chronofabric.engine.crash;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.config.Profiles;
import io.chronofabric.engine.api.MessageHandler;
import io.chronofabric.engine.api.PayloadWriter;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.api.RetryPolicy;

/**
 * The process {@link RecoveryScenariosTest} kills at a precise point of a scenario: it prints {@code kill-me} and
 * blocks, and the test kills it with SIGKILL there.
 */
public final class ScenarioVictim
{
    static final int TYPE = 1;
    static final int DEPENDENT_TYPE = 2;
    static final PayloadWriter<Long> WRITER = (value, payload) -> payload.putLong(value);
    /** A retry policy whose backoff (at most 20 ms) makes several attempts before the kill. */
    static final RetryPolicy PATIENT = new RetryPolicy(1_000, 20_000_000L, 20_000_000L, 600_000_000_000L, 1_000);
    static final int FAILURES_BEFORE_KILL = 3;

    private ScenarioVictim()
    {
    }

    /**
     * @param args scenario ({@code priorities}, {@code retrying}, or {@code holding}: an engine that just runs),
     *             journal folder, delivery log.
     * @throws Exception on any failure (the test sees the child end without {@code kill-me}).
     */
    public static void main(final String[] args) throws Exception
    {
        final Path journal = Path.of(args[1]);
        try (DeliveryLog log = new DeliveryLog(Path.of(args[2])))
        {
            if ("priorities".equals(args[0]))
            {
                priorities(journal, log);
            }
            else if ("retrying-beside-plain".equals(args[0]))
            {
                retryingBesidePlain(journal, log);
            }
            else if ("deadlines".equals(args[0]))
            {
                deadlines(journal);
            }
            else if ("refused-dependency".equals(args[0]))
            {
                refusedDependency(journal);
            }
            else if ("holding".equals(args[0]))
            {
                try (ChronoFabric engine = ChronoFabric.start(Profiles.builder("dev").journalDir(journal)))
                {
                    killMe();
                }
            }
            else
            {
                retrying(journal, log);
            }
        }
    }

    /**
     * One journal batch: id 1, ids 2..100 at priority 0, ids 101..400 at priority 200. The handler blocks on id 1
     * until all are published, so the rest form one batch, released by priority: 101..400 first, then 2..100. The
     * kill comes after the 300 high-priority messages were delivered (and the latency trace flushed its 256-entry
     * buffer), before 2..100 were.
     */
    private static void priorities(final Path journal, final DeliveryLog log) throws Exception
    {
        final CountDownLatch firstInHandler = new CountDownLatch(1);
        final CountDownLatch allPublished = new CountDownLatch(1);
        final AtomicInteger delivered = new AtomicInteger();
        try (ChronoFabric engine = ChronoFabric.start(Profiles.builder("dev").journalDir(journal)))
        {
            engine.subscribe(TYPE, message ->
            {
                if (1 == message.id())
                {
                    firstInHandler.countDown();
                    await(allPublished);
                }
                log.delivered(0, message.id());
                if (301 == delivered.incrementAndGet())
                {
                    killMe();
                }
            });
            final Publisher publisher = engine.newPublisher(1);
            publisher.publish(TYPE, WRITER, 1L);
            firstInHandler.await();
            for (long i = 2; i <= 400; i++)
            {
                publisher.priority(i > 100 ? 200 : 0).publish(TYPE, WRITER, i);
            }
            allPublished.countDown();
            LockSupport.park();
        }
    }

    /**
     * A guaranteed subscriber (0) fails on m1 again and again; m2 depends on m1 and goes to subscriber 1; 50 more
     * messages of m1's type queue behind the retry. The kill comes as the subscriber's fourth attempt at m1 begins.
     */
    private static void retrying(final Path journal, final DeliveryLog log) throws Exception
    {
        try (ChronoFabric engine = ChronoFabric.start(Profiles.builder("dev").journalDir(journal)))
        {
            engine.subscribe(TYPE, failingOnM1UntilTheKill(0, log, () -> true), PATIENT);
            engine.subscribe(DEPENDENT_TYPE, message -> log.delivered(1, message.id()));
            final Publisher publisher = engine.newPublisher(1);
            final long m1 = publisher.publish(TYPE, WRITER, 1L);
            publisher.dependsOn(m1).publish(DEPENDENT_TYPE, WRITER, 2L);
            for (long i = 0; i < 50; i++)
            {
                publisher.publish(TYPE, WRITER, i);
            }
            LockSupport.park();
        }
    }

    /**
     * Two subscribers of one type: a plain one (0) takes m1 and the 50 messages after it at once; a guaranteed one (1)
     * fails on m1 again and again, so the 50 queue behind its retry. The kill comes as its fourth attempt at m1 begins,
     * or a later one once subscriber 0 has taken all 51: every message is settled for subscriber 0 and pending for
     * subscriber 1.
     */
    private static void retryingBesidePlain(final Path journal, final DeliveryLog log) throws Exception
    {
        try (ChronoFabric engine = ChronoFabric.start(Profiles.builder("dev").journalDir(journal)))
        {
            final AtomicInteger plainDelivered = new AtomicInteger();
            engine.subscribe(TYPE, message ->
            {
                log.delivered(0, message.id());
                plainDelivered.incrementAndGet();
            });
            // on a loaded machine three retries (60 ms) can come before the 51 publishes: the kill waits for them
            engine.subscribe(TYPE, failingOnM1UntilTheKill(1, log, () -> 51 == plainDelivered.get()), PATIENT);
            final Publisher publisher = engine.newPublisher(1);
            for (long i = 0; i <= 50; i++)
            {
                publisher.publish(TYPE, WRITER, i);
            }
            LockSupport.park();
        }
    }

    /**
     * A handler that fails on m1 (id 1) again and again, and asks for the kill as its attempt after
     * {@value #FAILURES_BEFORE_KILL} failures begins, or the first one after that to find {@code readyToDie} true;
     * it takes every other message.
     */
    private static MessageHandler failingOnM1UntilTheKill(final int subscriber, final DeliveryLog log,
        final BooleanSupplier readyToDie)
    {
        final AtomicInteger attempts = new AtomicInteger();
        return message ->
        {
            if (1 == message.id())
            {
                if (FAILURES_BEFORE_KILL <= attempts.getAndIncrement() && readyToDie.getAsBoolean())
                {
                    killMe();
                }
                log.failed(subscriber, message.id());
                throw new IllegalStateException("venue down");
            }
            log.delivered(subscriber, message.id());
        };
    }

    /**
     * Ids 1 and 3 are refused (their writers throw after the ids were taken), ids 2 and 4 delivered and settled; id 5
     * depends on id 1 (before the journal's first record) and id 6 on id 3 (a gap inside it); both are held (for a
     * minute, the hold timeout here) when the kill comes.
     */
    private static void refusedDependency(final Path journal) throws Exception
    {
        final AtomicInteger delivered = new AtomicInteger();
        try (ChronoFabric engine = ChronoFabric.start(Profiles.builder("dev").journalDir(journal)
            .holdTimeoutNanos(60_000_000_000L), e -> e.subscribe(TYPE, message -> delivered.incrementAndGet())))
        {
            final Publisher publisher = engine.newPublisher(1);
            refuse(publisher);
            publisher.publish(TYPE, WRITER, 2L);
            refuse(publisher);
            final long fourth = publisher.publish(TYPE, WRITER, 4L);
            while (delivered.get() < 2 || engine.settledWatermark() < fourth)
            {
                Thread.sleep(1); // settled: the watermark passed the refused ids too
            }
            publisher.dependsOn(1).publish(TYPE, WRITER, 5L);
            final long sixth = publisher.dependsOn(3).publish(TYPE, WRITER, 6L);
            engine.awaitAcknowledged(sixth);
            killMe();
        }
    }

    /**
     * Id 1 blocks its handler; ids 2 (a 1 ms deadline) and 3 (a one-hour deadline) are journaled behind it (the
     * journal has a thread of its own) and unsettled when the kill comes.
     */
    private static void deadlines(final Path journal) throws Exception
    {
        try (ChronoFabric engine = ChronoFabric.start(Profiles.builder("dev").journalDir(journal)
            .set("thread.layout", "journal|sequencer+router+delivery"), e -> e.subscribe(TYPE, message ->
            {
                if (1 == message.id())
                {
                    LockSupport.park();
                }
            })))
        {
            final Publisher publisher = engine.newPublisher(1);
            publisher.publish(TYPE, WRITER, 1L);
            publisher.deadlineIn(1_000_000L).publish(TYPE, WRITER, 2L);
            final long third = publisher.deadlineIn(3_600_000_000_000L).publish(TYPE, WRITER, 3L);
            engine.awaitAcknowledged(third);
            killMe();
        }
    }

    private static void refuse(final Publisher publisher)
    {
        try
        {
            publisher.publish(TYPE, (value, payload) ->
            {
                throw new IllegalStateException("refused after taking its id");
            }, 0L);
        }
        catch (final IllegalStateException expected)
        {
            // the id is taken and never journaled
        }
    }

    private static void killMe()
    {
        System.out.println("kill-me");
        System.out.flush();
        while (true)
        {
            LockSupport.park();
        }
    }

    private static void await(final CountDownLatch latch)
    {
        try
        {
            latch.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
