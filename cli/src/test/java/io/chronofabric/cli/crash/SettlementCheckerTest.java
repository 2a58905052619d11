package io.chronofabric.cli.crash;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.chronofabric.journal.DeadLetterJournal;
import io.chronofabric.journal.Durability;
import io.chronofabric.journal.DeadLetterReason;
import io.chronofabric.journal.JournalWriter;
import io.chronofabric.journal.MessageRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.cli.workload.TradingMessages.ORDER;
import static io.chronofabric.cli.workload.TradingMessages.SIGNAL;
import static io.chronofabric.cli.workload.TradingMessages.TICK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The harness checks itself: {@link SettlementChecker} passes a hand-written history that keeps every promise (a
 * duplicate across a crash included), and finds each kind of broken promise, under its own check, in a history that
 * differs from it by that one fault. Journal: tick 1, signal 2 on 1, order 3 on 2; tick 4, signal 5 on 4 (which the
 * audit dead-letters), order 6 on 5 (dead-lettered as a whole, as its dependency's cascade).
 */
class SettlementCheckerTest
{
    private static final long[][] JOURNAL = {{1, TICK, 0}, {2, SIGNAL, 1}, {3, ORDER, 2}, {4, TICK, 0},
        {5, SIGNAL, 4}, {6, ORDER, 5}};
    /** Index of the risk check, the gateway's fellow subscriber on orders. */
    private static final int RISK = 3;
    /** Incarnation 0 delivers up to tick 4 for subscriber 0 and dies; incarnation 1 delivers tick 4 again. */
    private static final int[][][] DELIVERIES = {
        {{0, 1}, {1, 1}, {2, 2}, {3, 3}, {4, 3}, {0, 4}},
        {{0, 4}, {1, 4}}};

    @TempDir
    Path dir;

    private final List<long[]> deadLetters = new ArrayList<>(List.of(
        new long[] {5, SIGNAL, CrashSubscribers.AUDIT + 1, DeadLetterReason.RETRIES_EXHAUSTED.ordinal()},
        new long[] {6, ORDER, DeadLetterJournal.WHOLE_MESSAGE, DeadLetterReason.DEPENDENCY_DEAD_LETTERED.ordinal()}));

    @Test
    void shouldPassAHistoryThatKeepsEveryPromise()
    {
        final SettlementReport report = check(DELIVERIES);
        assertTrue(report.violations().isEmpty(), report.violations()::toString);
        assertEquals(6, report.journaled());
        assertEquals(8, report.deliveries());
        assertEquals(1, report.crossCrashDuplicates(), "tick 4 for subscriber 0, again after the crash");
    }

    @Test
    void shouldFindADeliveryOfAnUnjournaledIdOrOfAnotherType()
    {
        final SettlementReport report = check(new int[][][] {DELIVERIES[0], {{0, 4}, {1, 4}, {0, 7}, {2, 1}}});
        assertEquals(2, report.violations().count(SettlementChecker.JOURNALED), report.violations()::toString);
        assertOnly(report, SettlementChecker.JOURNALED);
    }

    @Test
    void shouldFindAMessageNotSettledForOneSubscriber()
    {
        final SettlementReport report = check(new int[][][] {{{0, 1}, {1, 1}, {2, 2}, {3, 3}, {0, 4}}, {{1, 4}}});
        assertEquals(1, report.violations().count(SettlementChecker.SETTLED), report.violations()::toString);
        assertOnly(report, SettlementChecker.SETTLED);
    }

    @Test
    void shouldFindADependentDeliveredBeforeItsDependencyReachedEverySubscriber()
    {
        final SettlementReport report = check(new int[][][] {
            {{0, 1}, {2, 2}, {1, 1}, {3, 3}, {4, 3}, {0, 4}, {1, 4}}});
        assertEquals(1, report.violations().count(SettlementChecker.CAUSAL), report.violations()::toString);
        assertOnly(report, SettlementChecker.CAUSAL);
    }

    @Test
    void shouldFindADependentDeliveredAfterADependencyThatReachedNoSubscriber()
    {
        final SettlementReport report = check(new int[][][] {DELIVERIES[0], {{0, 4}, {1, 4}, {3, 6}}});
        assertEquals(1, report.violations().count(SettlementChecker.DEAD_DEPENDENCY), report.violations()::toString);
        assertOnly(report, SettlementChecker.DEAD_DEPENDENCY);
    }

    @Test
    void shouldFindADependentOfADeadMessageNotDeadLetteredAsAWhole()
    {
        final int timeout = DeadLetterReason.RETRY_TIMEOUT.ordinal();
        deadLetters.set(1, new long[] {6, ORDER, CrashSubscribers.GATEWAY + 1, timeout});
        deadLetters.add(new long[] {6, ORDER, RISK + 1, timeout});
        final SettlementReport report = check(DELIVERIES);
        assertEquals(1, report.violations().count(SettlementChecker.CASCADE), report.violations()::toString);
        assertOnly(report, SettlementChecker.CASCADE);
    }

    @Test
    void shouldFindADuplicateWithinOneIncarnation()
    {
        final SettlementReport report = check(new int[][][] {DELIVERIES[0], {{0, 4}, {1, 4}, {1, 4}}});
        assertEquals(1, report.violations().count(SettlementChecker.DUPLICATES), report.violations()::toString);
        assertOnly(report, SettlementChecker.DUPLICATES);
    }

    private static void assertOnly(final SettlementReport report, final String check)
    {
        final String[] lines = report.violations().toString().split("\n");
        for (final String line : lines)
        {
            assertTrue(line.startsWith("    ") || line.startsWith("(" + check + ")"), "only " + check + ": " +
                report.violations());
        }
    }

    private SettlementReport check(final int[][][] deliveries)
    {
        final Path journal = dir.resolve("journal");
        try (JournalWriter writer = new JournalWriter(journal, "FAST_DAILY", 8, 256))
        {
            final MessageRecord record = new MessageRecord(8, 256);
            for (final long[] message : JOURNAL)
            {
                record.clear();
                record.id(message[0]).type((int)message[1]).source(1).hlc(message[0], 0);
                record.dependencyCount(0 == message[2] ? 0 : 1);
                if (0 != message[2])
                {
                    record.dependency(0, message[2]);
                }
                writer.append(record);
            }
        }
        try (DeadLetterJournal letters = new DeadLetterJournal(journal, "FAST_DAILY", Durability.NONE))
        {
            for (final long[] letter : deadLetters)
            {
                letters.append(letter[0], (int)letter[1], (int)letter[2], DeadLetterReason.values()[(int)letter[3]], 1,
                    0);
            }
        }
        final List<Path> logs = new ArrayList<>();
        for (int incarnation = 0; incarnation < deliveries.length; incarnation++)
        {
            final Path file = dir.resolve("deliveries-" + incarnation + ".log");
            final DeliveryLog log = DeliveryLog.create(file, incarnation, 64);
            for (final int[] delivery : deliveries[incarnation])
            {
                log.append(delivery[0], delivery[1]);
            }
            logs.add(file);
        }
        return new SettlementChecker(CrashSubscribers.TYPES, 8, 256, new long[0]).check(journal, logs);
    }
}
