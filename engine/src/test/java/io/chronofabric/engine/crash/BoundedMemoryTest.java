package io.chronofabric.engine.crash;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
            assertEquals("done delivered=0 {DEPENDENCY_DEAD_LETTERED=10000, RETRY_TIMEOUT=1, DEPENDENT_QUEUE_FULL=" +
                (SmallHeapVictim.MESSAGES - 1 - 10_000) + "}", done);
            assertEquals(0, victim.awaitExit(60));
        }
    }
}
