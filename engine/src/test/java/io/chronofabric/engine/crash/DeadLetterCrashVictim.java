package io.chronofabric.engine.crash;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.chronofabric.engine.api.PayloadWriter;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.api.RetryPolicy;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.config.Profiles;
import io.chronofabric.engine.config.ThreadLayout;
import io.chronofabric.engine.config.WaitStrategyKind;
import io.chronofabric.engine.internal.Engine;

/**
 * The process {@link DeadLetterCrashTest} kills while a dead letter is handed to the application: written to the
 * dead-letter journal, its settlement not yet persisted. {@code retries}: a guaranteed subscriber fails a message
 * until its retries are exhausted (dead-lettered for that subscriber; a second subscriber of the type takes it at
 * once). {@code whole}: a message depends on an id that was never journaled and is dead-lettered whole when its hold
 * times out.
 */
public final class DeadLetterCrashVictim
{
    static final int TYPE = 1;
    static final int ATTEMPTS = 3;
    static final PayloadWriter<Long> WRITER = (value, payload) -> payload.putLong(value);
    private static final PayloadWriter<Long> REJECTED = (value, payload) ->
    {
        throw new IllegalArgumentException("rejected on purpose");
    };

    private DeadLetterCrashVictim()
    {
    }

    static EngineConfiguration.Builder settings(final Path journal, final ThreadLayout layout)
    {
        return Profiles.builder("dev").journalDir(journal).threadLayout(layout)
            .waitStrategy(WaitStrategyKind.SLEEPING).holdTimeoutNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }

    static RetryPolicy failingPolicy()
    {
        return new RetryPolicy(ATTEMPTS, 1_000_000, 2_000_000, 5_000_000_000L, 64);
    }

    /**
     * @param args scenario ({@code retries} or {@code whole}), thread layout, journal folder.
     * @throws Exception on any failure (the test sees the child end without {@code kill-me}).
     */
    public static void main(final String[] args) throws Exception
    {
        final boolean whole = "whole".equals(args[0]);
        try (Engine engine = Engine.start(settings(Path.of(args[2]), ThreadLayout.parse(args[1]))))
        {
            engine.subscribe(TYPE, message ->
            {
                throw new IllegalStateException("fails for good: " + message.id());
            }, failingPolicy());
            engine.subscribe(TYPE, message -> { });
            engine.subscribeDeadLetters(dead -> Victim.killMe("dead letter " + dead.message().id() + " subscriber " +
                dead.subscriberId() + " " + dead.reason()));
            final Publisher publisher = engine.newPublisher(1);
            if (whole)
            {
                final long first = publisher.publish(TYPE + 1, WRITER, 0L);
                try
                {
                    publisher.publish(TYPE + 1, REJECTED, 0L);
                }
                catch (final IllegalArgumentException expected)
                {
                    // an id that never reaches the journal
                }
                publisher.dependsOn(first + 1).publish(TYPE + 1, WRITER, 1L);
            }
            else
            {
                publisher.publish(TYPE, WRITER, 1L);
            }
            LockSupport.park();
        }
    }
}
