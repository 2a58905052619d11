package io.chronofabric.engine.crash;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.config.Profiles;
import io.chronofabric.engine.api.PayloadWriter;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.api.RetryPolicy;
import io.chronofabric.journal.DeadLetterReason;

/**
 * Run by {@link BoundedMemoryTest} in a small heap: a guaranteed subscriber fails one message for good, and a million
 * messages depend on it while it is retried. Prints the dead letters by reason once the engine closed.
 */
public final class SmallHeapVictim
{
    static final int MESSAGES = 1_000_000;
    private static final int TYPE = 1;
    private static final int DEPENDENT = 2;
    private static final PayloadWriter<Long> WRITER = (value, payload) -> payload.putLong(value);

    private SmallHeapVictim()
    {
    }

    /**
     * @param args the journal folder.
     */
    public static void main(final String[] args)
    {
        final Map<DeadLetterReason, Long> deadLetters = new EnumMap<>(DeadLetterReason.class);
        final long[] delivered = new long[1];
        try (ChronoFabric engine = ChronoFabric.start(Profiles.builder("dev").journalDir(Path.of(args[0]))))
        {
            engine.subscribe(TYPE, message ->
            {
                throw new IllegalStateException("down for good");
            }, new RetryPolicy(1_000_000, 10_000_000L, 10_000_000L, 3_000_000_000L, 100));
            engine.subscribe(DEPENDENT, message -> delivered[0]++);
            engine.subscribeDeadLetters(dead -> deadLetters.merge(dead.reason(), 1L, Long::sum));
            final Publisher publisher = engine.newPublisher(1);
            final long failing = publisher.publish(TYPE, WRITER, 0L);
            for (long i = 1; i < MESSAGES; i++)
            {
                publisher.dependsOn(failing).publish(DEPENDENT, WRITER, i);
            }
        }
        System.out.println("done delivered=" + delivered[0] + " " + deadLetters);
    }
}
