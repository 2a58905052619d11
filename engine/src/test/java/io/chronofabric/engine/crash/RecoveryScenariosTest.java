package io.chronofabric.engine.crash;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.api.DeadLetter;
import io.chronofabric.engine.api.DeadlinePolicy;
import io.chronofabric.engine.api.EngineStats;
import io.chronofabric.engine.config.Profiles;
import io.chronofabric.engine.api.RetryPolicy;
import io.chronofabric.journal.DeadLetterReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.chronofabric.engine.crash.ScenarioVictim.DEPENDENT_TYPE;
import static io.chronofabric.engine.crash.ScenarioVictim.FAILURES_BEFORE_KILL;
import static io.chronofabric.engine.crash.ScenarioVictim.TYPE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recovery after SIGKILL at precise points: everything journaled and not settled (delivered or dead-lettered for
 * every subscriber) is delivered again, to the subscribers it was not settled for, and retries resume where they
 * were; after a clean close nothing is delivered again.
 */
class RecoveryScenariosTest
{
    @TempDir
    Path dir;

    @Test
    void shouldDeliverEveryMessageOfABatchReorderedByPriorityAfterAKillMidBatch() throws Exception
    {
        final Path journal = dir.resolve("journal");
        final Path log = dir.resolve("deliveries.log");
        killAt("priorities", journal, log);
        final List<Long> beforeKill = DeliveryLog.read(log, "D", 0);
        assertEquals(301, beforeKill.size(), "the kill came after id 1 and the 300 high-priority messages");
        assertTrue(beforeKill.stream().noneMatch(id -> id >= 2 && id <= 100), "2..100 were not delivered before: " +
            beforeKill);

        final List<Long> afterRestart = new ArrayList<>();
        final List<Boolean> redelivery = new ArrayList<>();
        final long recovered;
        try (ChronoFabric engine = ChronoFabric.start(dev(journal), e -> e.subscribe(TYPE, message ->
        {
            afterRestart.add(message.id());
            redelivery.add(message.isRedelivery());
        })))
        {
            recovered = engine.recoveredMessages();
        }
        assertEquals(afterRestart.size(), recovered, "every recovered message was delivered once: " + afterRestart);
        assertEquals(new TreeSet<>(afterRestart).size(), afterRestart.size(), "no duplicate within the restart");
        assertTrue(afterRestart.containsAll(LongStream.rangeClosed(2, 100).boxed().toList()),
            "the low-priority part of the batch is delivered after the restart: " + afterRestart);
        assertFalse(redelivery.contains(false), "each is marked as a redelivery");
        final Set<Long> union = new TreeSet<>(beforeKill);
        union.addAll(afterRestart);
        assertEquals(LongStream.rangeClosed(1, 400).boxed().collect(Collectors.toSet()), union,
            "every journaled message reached the subscriber");
        assertEquals(0, recoveredOnCleanStart(journal), "after the clean close nothing is delivered again");
    }

    @Test
    void shouldResumeARetryAndDeliverWhatQueuedBehindItAndItsDependentAfterAKill() throws Exception
    {
        final Path journal = dir.resolve("journal");
        killAt("retrying", journal, dir.resolve("deliveries.log"));
        assertEquals(FAILURES_BEFORE_KILL, DeliveryLog.read(dir.resolve("deliveries.log"), "F", 0).size());

        final List<Long> gateway = new ArrayList<>();
        final List<Long> dependents = new ArrayList<>();
        final List<String> deadLetters = new ArrayList<>();
        final long recovered;
        try (ChronoFabric engine = ChronoFabric.start(dev(journal), e ->
        {
            e.subscribe(TYPE, message -> gateway.add(message.id()), ScenarioVictim.PATIENT);
            e.subscribe(DEPENDENT_TYPE, message ->
            {
                assertEquals(List.of(1L), gateway.subList(0, Math.min(1, gateway.size())), "m1 settled before m2");
                dependents.add(message.id());
            });
            e.subscribeDeadLetters(dead -> deadLetters.add(describe(dead)));
        }))
        {
            recovered = engine.recoveredMessages();
        }
        assertEquals(52, recovered, "m1, m2 and the 50 messages queued behind m1");
        assertEquals(LongStream.concat(LongStream.of(1), LongStream.rangeClosed(3, 52)).boxed().toList(), gateway,
            "the retried message, then those queued behind it, in order");
        assertEquals(List.of(2L), dependents);
        assertEquals(List.of(), deadLetters);
        assertEquals(0, recoveredOnCleanStart(journal));
    }

    @Test
    void shouldDeliverWhatQueuedBehindARetryToThatSubscriberOnlyWhenAnotherSubscriberHadItBeforeTheKill()
        throws Exception
    {
        final Path journal = dir.resolve("journal");
        final Path log = dir.resolve("deliveries.log");
        killAt("retrying-beside-plain", journal, log);
        assertEquals(LongStream.rangeClosed(1, 51).boxed().toList(), DeliveryLog.read(log, "D", 0),
            "the plain subscriber had every message before the kill");
        assertEquals(List.of(), DeliveryLog.read(log, "D", 1), "the guaranteed one had none: all queued behind m1");

        final List<Long> plain = new ArrayList<>();
        final List<Long> guaranteed = new ArrayList<>();
        final List<Boolean> redelivery = new ArrayList<>();
        final List<String> deadLetters = new ArrayList<>();
        final long recovered;
        try (ChronoFabric engine = ChronoFabric.start(dev(journal), e ->
        {
            e.subscribe(TYPE, message -> plain.add(message.id()));
            e.subscribe(TYPE, message ->
            {
                guaranteed.add(message.id());
                redelivery.add(message.isRedelivery());
            }, ScenarioVictim.PATIENT);
            e.subscribeDeadLetters(dead -> deadLetters.add(describe(dead)));
        }))
        {
            recovered = engine.recoveredMessages();
        }
        assertEquals(51, recovered);
        assertEquals(List.of(), plain, "settled for the plain subscriber before the kill: not delivered again");
        assertEquals(LongStream.rangeClosed(1, 51).boxed().toList(), guaranteed,
            "the retried message, then every message queued behind it, in order");
        assertTrue(redelivery.stream().allMatch(flag -> flag), "each flagged as a redelivery");
        assertEquals(List.of(), deadLetters);
        assertEquals(0, recoveredOnCleanStart(journal));
    }

    @Test
    void shouldResumeARetryWithItsAttemptCountAndDeadLetterTheDependentOfAMessageItExhausts() throws Exception
    {
        final Path journal = dir.resolve("journal");
        killAt("retrying", journal, dir.resolve("deliveries.log"));

        final int maxAttempts = FAILURES_BEFORE_KILL + 2;
        final List<Long> attemptsAtM1 = new ArrayList<>();
        final List<Long> gateway = new ArrayList<>();
        final List<Long> dependents = new ArrayList<>();
        final List<String> deadLetters = new ArrayList<>();
        try (ChronoFabric engine = ChronoFabric.start(dev(journal), e ->
        {
            e.subscribe(TYPE, message ->
            {
                if (1 == message.id())
                {
                    attemptsAtM1.add(message.id());
                    throw new IllegalStateException("venue still down");
                }
                gateway.add(message.id());
            }, new RetryPolicy(maxAttempts, 1_000_000L, 1_000_000L, 60_000_000_000L, 1_000));
            e.subscribe(DEPENDENT_TYPE, message -> dependents.add(message.id()));
            e.subscribeDeadLetters(dead -> deadLetters.add(describe(dead)));
        }))
        {
            assertEquals(52, engine.recoveredMessages());
        }
        assertEquals(2, attemptsAtM1.size(), "the retry resumed after the " + FAILURES_BEFORE_KILL +
            " attempts made before the kill");
        assertEquals(List.of("1 sub 1 retries_exhausted after " + maxAttempts, "2 sub -1 dependency_dead_lettered after 0"),
            deadLetters, "m1 was delivered to no subscriber, so its dependent is dead-lettered");
        assertEquals(List.of(), dependents);
        assertEquals(LongStream.rangeClosed(3, 52).boxed().toList(), gateway);
        assertEquals(0, recoveredOnCleanStart(journal));
    }

    /**
     * A message held on an id whose publish was refused (never journaled) when the process died: after the restart it
     * is held as before, and dead-lettered when its hold times out, never delivered without its dependency. The
     * settled watermark has passed the refused id (no journaled message below it is unsettled), which must not make
     * the id count as released.
     */
    @Test
    void shouldHoldARecoveredMessageOnARefusedIdAndDeadLetterItWhenItsHoldTimesOut() throws Exception
    {
        final Path journal = dir.resolve("journal");
        killAt("refused-dependency", journal, dir.resolve("deliveries.log"));

        final List<Long> delivered = java.util.Collections.synchronizedList(new ArrayList<>());
        final List<String> deadLetters = java.util.Collections.synchronizedList(new ArrayList<>());
        try (ChronoFabric engine = ChronoFabric.start(dev(journal).holdTimeoutNanos(300_000_000L), e ->
        {
            e.subscribe(TYPE, message -> delivered.add(message.id()));
            e.subscribeDeadLetters(dead -> deadLetters.add(describe(dead)));
        }))
        {
            assertEquals(2, engine.recoveredMessages(), "messages 5 and 6, held when the process died");
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while (deadLetters.size() < 2 && System.nanoTime() < deadline)
            {
                Thread.sleep(20);
            }
        }
        assertEquals(List.of(), delivered, "messages 5 and 6 depend on messages 1 and 3, which were never journaled");
        assertEquals(List.of("5 sub -1 dependency_timeout after 0", "6 sub -1 dependency_timeout after 0"),
            deadLetters.stream().sorted().toList());
        assertEquals(0, recoveredOnCleanStart(journal));
    }

    /**
     * A recovered message's deadline is judged as any other's, against the wall-clock deadline its record holds (the
     * monotonic target fixed at publish does not outlive the process): past it, {@code expire} dead-letters it and
     * {@code deliver-late} counts the miss; one still ahead is delivered on time. Before, every recovered message
     * was delivered as if it had no deadline: a stale order sent after a crash under {@code expire}.
     */
    @ParameterizedTest
    @EnumSource(DeadlinePolicy.class)
    void shouldJudgeARecoveredMessagesDeadlineAsAnyOthers(final DeadlinePolicy policy) throws Exception
    {
        final Path journal = dir.resolve("journal");
        killAt("deadlines", journal, dir.resolve("deliveries.log"));

        final List<Long> delivered = java.util.Collections.synchronizedList(new ArrayList<>());
        final List<String> deadLetters = java.util.Collections.synchronizedList(new ArrayList<>());
        final EngineStats stats;
        try (ChronoFabric engine = ChronoFabric.start(dev(journal).deadlinePolicy(policy), e ->
        {
            e.subscribe(TYPE, message -> delivered.add(message.id()));
            e.subscribeDeadLetters(dead -> deadLetters.add(describe(dead)));
        }))
        {
            assertEquals(3, engine.recoveredMessages());
            engine.close();
            stats = engine.stats();
        }
        if (DeadlinePolicy.EXPIRE == policy)
        {
            assertEquals(List.of(1L, 3L), delivered.stream().sorted().toList());
            assertEquals(List.of("2 sub 1 expired after 0"), deadLetters);
            assertEquals(0, stats.temporal().deadlineMisses());
        }
        else
        {
            assertEquals(List.of(1L, 2L, 3L), delivered.stream().sorted().toList());
            assertEquals(List.of(), deadLetters);
            assertEquals(1, stats.temporal().deadlineMisses(), "message 2's, not message 3's");
        }
    }

    private static String describe(final DeadLetter dead)
    {
        return dead.message().id() + " sub " + dead.subscriberId() + " " + dead.reason().label() + " after " +
            dead.attempts();
    }

    private static void killAt(final String scenario, final Path journal, final Path log) throws Exception
    {
        try (Victim victim = Victim.start(ScenarioVictim.class, scenario, journal.toString(), log.toString()))
        {
            victim.awaitLine("kill-me");
            victim.kill();
        }
    }

    /** Starts an engine on a copy (in the test's folder, deleted with it), so that the journal itself is untouched. */
    private long recoveredOnCleanStart(final Path journal) throws IOException
    {
        final Path copy = Files.createTempDirectory(dir, "clean-start");
        try (Stream<Path> files = Files.walk(journal))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                Files.copy(file, copy.resolve(journal.relativize(file).toString()),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        try (ChronoFabric engine = ChronoFabric.start(dev(copy), e -> e.subscribe(TYPE, message -> { })))
        {
            return engine.recoveredMessages();
        }
    }

    private static io.chronofabric.engine.config.EngineConfiguration.Builder dev(final Path journal)
    {
        return Profiles.builder("dev").journalDir(journal);
    }
}
