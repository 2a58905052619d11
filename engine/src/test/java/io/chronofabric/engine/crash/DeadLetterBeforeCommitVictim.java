package io.chronofabric.engine.crash;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.chronofabric.engine.api.PayloadWriter;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.config.Profiles;
import io.chronofabric.engine.config.ThreadLayout;
import io.chronofabric.engine.config.WaitStrategyKind;
import io.chronofabric.engine.internal.Engine;

/**
 * The process {@link DeadLetterBeforeCommitCrashTest} kills. {@code deadletter}: a message whose dependency is dead is
 * dead-lettered on admission, inside an open journal document; the kill comes in the next dead letter of that same
 * batch, once the first one's settlement was persisted. {@code publish}: an engine restarted on that journal
 * publishes one message and the kill comes while it is being delivered (journaled, acknowledged, not settled).
 */
public final class DeadLetterBeforeCommitVictim
{
    static final int TYPE = 1;
    static final PayloadWriter<Long> WRITER = (value, payload) -> payload.putLong(value);
    private static final PayloadWriter<Long> REJECTED = (value, payload) ->
    {
        throw new IllegalArgumentException("rejected on purpose");
    };

    private DeadLetterBeforeCommitVictim()
    {
    }

    static EngineConfiguration.Builder settings(final Path journal)
    {
        return Profiles.builder("dev").journalDir(journal).threadLayout(ThreadLayout.FUSED)
            .waitStrategy(WaitStrategyKind.SLEEPING).holdTimeoutNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }

    /**
     * @param args scenario ({@code deadletter} or {@code publish}), journal folder.
     * @throws Exception on any failure (the test sees the child end without {@code kill-me}).
     */
    public static void main(final String[] args) throws Exception
    {
        final Path journal = Path.of(args[1]);
        if ("deadletter".equals(args[0]))
        {
            deadLetter(journal);
        }
        else
        {
            publish(journal);
        }
    }

    private static void deadLetter(final Path journal) throws Exception
    {
        final AtomicLong killAt = new AtomicLong(Long.MAX_VALUE);
        try (Engine engine = Engine.start(settings(journal)))
        {
            engine.subscribe(TYPE, message -> { });
            engine.subscribeDeadLetters(dead ->
            {
                if (dead.message().id() == killAt.get())
                {
                    Victim.killMe("dead letter " + dead.message().id() + " acknowledged=" + engine.acknowledgedId() +
                        " settled=" + engine.settledWatermark());
                }
            });
            final Publisher publisher = engine.newPublisher(1);
            final long first = publisher.publish(TYPE, WRITER, 0L);
            try
            {
                publisher.publish(TYPE, REJECTED, 0L);
            }
            catch (final IllegalArgumentException expected)
            {
                // an id that never reaches the journal
            }
            final long dead = publisher.dependsOn(first + 1).publish(TYPE, WRITER, 1L);
            while (1 > engine.temporal().deadLettersTotal())
            {
                Thread.sleep(1);
            }
            // one batch [y1 -> dead, y2 -> dead, z]: a thread holds y1's slot while y2 and z are published behind it
            final CountDownLatch inWriter = new CountDownLatch(1);
            final CountDownLatch release = new CountDownLatch(1);
            final Publisher holderPublisher = engine.newPublisher(2);
            final Thread holder = new Thread(() -> holderPublisher.dependsOn(dead).publish(TYPE, (value, payload) ->
            {
                inWriter.countDown();
                try
                {
                    release.await();
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
                payload.putLong(value);
            }, 2L));
            holder.start();
            inWriter.await();
            final long y2 = publisher.dependsOn(dead).publish(TYPE, WRITER, 3L);
            killAt.set(y2);
            publisher.publish(TYPE, WRITER, 4L);
            release.countDown();
            LockSupport.park();
        }
    }

    private static void publish(final Path journal)
    {
        try (Engine engine = Engine.start(settings(journal)))
        {
            engine.subscribe(TYPE, message -> Victim.killMe("delivering " + message.id() + " acknowledged=" +
                engine.acknowledgedId()));
            engine.newPublisher(1).publish(TYPE, WRITER, 5L);
            LockSupport.park();
        }
    }
}
