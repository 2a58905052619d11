package io.chronofabric.engine.crash;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Memory stays bounded however long a retry lasts: a million dependents of a message a guaranteed subscriber keeps
 * failing run through a 64 MiB heap; those beyond {@code dependents.queue-limit} are dead-lettered at once, the rest
 * when their dependency is.
 */
class BoundedMemoryTest
{
    @TempDir
    Path dir;

    @Test
    void shouldDeadLetterDependentsBeyondTheQueueLimitAndFinishInASmallHeap() throws Exception
    {
        try (Victim victim = Victim.start(SmallHeapVictim.class, List.of("-Xmx64m"), dir.resolve("journal").toString()))
        {
            // unbounded, the child thrashes in its full heap for ever: the wait for its answer is bounded
            final String done = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> victim.awaitLine("done"));
            // the first message fails until its 3 s retry timeout; the 10,000 dependents queued behind it are then
            // dead-lettered with it, the ones beyond the queue limit were refused at once (dependent_queue_full), and
            // the ones published after the timeout follow a dead dependency: where that line falls depends on how
            // fast this host publishes, the whole does not
            final java.util.regex.Matcher counts = java.util.regex.Pattern.compile("done delivered=0 " +
                "\\{DEPENDENCY_DEAD_LETTERED=(\\d+), RETRY_TIMEOUT=1, DEPENDENT_QUEUE_FULL=(\\d+)}").matcher(done);
            assertTrue(counts.matches(), done);
            final long followedTheDead = Long.parseLong(counts.group(1));
            final long refusedAtTheLimit = Long.parseLong(counts.group(2));
            assertEquals(SmallHeapVictim.MESSAGES - 1, followedTheDead + refusedAtTheLimit, done);
            assertTrue(followedTheDead >= 10_000 && refusedAtTheLimit > 0, done);
            assertEquals(0, victim.awaitExit(60));
        }
    }
}
