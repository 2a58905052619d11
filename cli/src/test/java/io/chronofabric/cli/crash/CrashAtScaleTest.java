package io.chronofabric.cli.crash;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chronofabric.cli.Main;
import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.config.Profiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Crash at scale: SIGKILLs a process running the full trading workload (priorities, dependencies, deadlines, a
 * guaranteed-delivery subscriber that fails transiently and permanently) at random points, {@code crash.kills} times
 * in a row (10 by default) on one journal, restarting it each time, then lets one last incarnation close cleanly.
 * It proves, with {@link SettlementChecker}, that every journaled message is settled for every subscriber, in causal
 * order, with nothing delivered that was not journaled and no duplicate within an incarnation; and that after the
 * clean close a fresh start has nothing left to redeliver (check e).
 *
 * <p>The 100-kill run: {@code mvn -B -pl cli -am verify -Dtest=CrashAtScaleTest -Dcrash.kills=100
 * -Dsurefire.failIfNoSpecifiedTests=false}. {@code -Dcrash.seed=N} reuses a failed run's seed (the kill points
 * still depend on timing); {@code -Dcrash.dir=PATH} keeps the journal and the delivery logs there (a fresh folder)
 * for a post-mortem with {@code chronofabric journal}.
 */
class CrashAtScaleTest
{
    /** Check e. */
    static final String NO_REDELIVERY = "e no redelivery";
    static final String OPERATOR_VIEW = "f journal verify and stats";

    private static final int KILLS = Integer.getInteger("crash.kills", 10);
    /** Paced at 50,000/s, 0.8 to 2.4 s of publishing: most kills land while it runs. */
    private static final int MIN_PACED_MESSAGES = 40_000;
    private static final int MORE_PACED_MESSAGES = 80_000;
    /** Unpaced, about as long on two cores. */
    private static final int MIN_UNPACED_MESSAGES = 100_000;
    private static final int MORE_UNPACED_MESSAGES = 250_000;
    private static final int MIN_KILL_DELAY_MS = 50;
    private static final int MORE_KILL_DELAY_MS = 1_450;

    @TempDir
    Path tempDir;

    private final long seed = Long.getLong("crash.seed", System.nanoTime());
    private final Random random = new Random(seed);
    private final List<Path> logs = new ArrayList<>();
    private final long[] lastIds = new long[KILLS + 1];
    private Path dir;
    private Path journal;
    private EngineConfiguration context;

    @Test
    void shouldSettleEveryJournaledMessageInCausalOrderAcrossRepeatedKills() throws Exception
    {
        final long began = System.nanoTime();
        dir = null == System.getProperty("crash.dir") ? tempDir :
            Files.createDirectories(Path.of(System.getProperty("crash.dir")));
        journal = dir.resolve("journal");
        context = Profiles.builder("dev").journalDir(journal).build();
        int killedRunning = 0;
        for (int incarnation = 0; incarnation < KILLS; incarnation++)
        {
            killedRunning += killWhileRunning(incarnation) ? 1 : 0;
        }
        runToCleanClose(KILLS);

        final SettlementReport report = new SettlementChecker(CrashSubscribers.TYPES, context.maxDependencies(),
            context.payloadCapacity(), lastIds).check(journal, logs);
        checkOperatorView(report.violations());
        final long redelivered = recoveredByFreshStart(context, dir.resolve("deliveries-probe.log"), KILLS + 1,
            report.journaled());
        if (0 != redelivered)
        {
            report.violations().add(NO_REDELIVERY, "after the last incarnation closed cleanly, a fresh start " +
                "recovered " + redelivered + " message(s) to deliver again");
        }

        final String summary = String.format("crash-at-scale: kills=%d (%d while running) journaled=%d " +
            "deliveries=%d cross-crash duplicates=%d dead letters=%s elapsed=%.1f s seed=%d", KILLS, killedRunning,
            report.journaled(), report.deliveries(), report.crossCrashDuplicates(), report.deadLettersByLabel(),
            (System.nanoTime() - began) / 1e9, seed);
        System.out.println(summary);
        assertTrue(report.violations().isEmpty(), () -> summary + "\n" + report.violations());
    }

    /** What the operator sees after the clean close: {@code journal verify} passes, {@code journal stats} 0 unsettled. */
    private void checkOperatorView(final Violations violations) throws Exception
    {
        final StringWriter verify = new StringWriter();
        final int verified = Main.execute(new PrintWriter(verify), new PrintWriter(new StringWriter()), "journal", "verify",
            journal.toString());
        if (0 != verified)
        {
            violations.add(OPERATOR_VIEW, "journal verify exited " + verified + ":\n" + verify);
        }
        final StringWriter stats = new StringWriter();
        Main.execute(new PrintWriter(stats), new PrintWriter(new StringWriter()), "journal", "stats", journal.toString(),
            "--json");
        final JsonNode json = new ObjectMapper().readTree(stats.toString());
        if (0 != json.get("unsettled").asLong() || json.get("settled_watermark").asLong() != json.get("last_id").asLong())
        {
            violations.add(OPERATOR_VIEW, "journal stats after the clean close: unsettled " + json.get("unsettled") +
                ", settled watermark " + json.get("settled_watermark") + ", last id " + json.get("last_id"));
        }
    }

    /** @return true when the victim was still running when the SIGKILL was sent. */
    private boolean killWhileRunning(final int incarnation) throws InterruptedException
    {
        final VictimProcess victim = start(incarnation);
        final long delay = MIN_KILL_DELAY_MS + random.nextInt(MORE_KILL_DELAY_MS + 1);
        Thread.sleep(delay);
        if (!victim.isAlive() && 0 != victim.exitValue())
        {
            fail("incarnation " + incarnation + " failed with exit code " + victim.exitValue() +
                " before it was killed; seed " + seed + "\n" + victim.output());
        }
        final boolean running = victim.kill();
        lastIds[incarnation] = CrashVictim.lastJournaledId(context);
        System.out.println("incarnation " + incarnation + ": " + (running ? "killed" : "had exited") + " after " +
            delay + " ms" + (victim.closedCleanly() ? ", after its clean close" : "") + ", journal up to id " +
            lastIds[incarnation]);
        return running;
    }

    private void runToCleanClose(final int incarnation) throws InterruptedException
    {
        final VictimProcess victim = start(incarnation);
        final int exit = victim.awaitExit(120);
        assertTrue(0 == exit && victim.closedCleanly(), "the last incarnation closes cleanly (exit " + exit +
            "); seed " + seed + "\n" + victim.output());
        lastIds[incarnation] = CrashVictim.lastJournaledId(context);
    }

    private VictimProcess start(final int incarnation) throws InterruptedException
    {
        logs.add(dir.resolve("deliveries-" + incarnation + ".log"));
        final long victimSeed = random.nextLong();
        final long messages = 0 == CrashVictim.rate(victimSeed) ?
            MIN_UNPACED_MESSAGES + random.nextInt(MORE_UNPACED_MESSAGES + 1) :
            MIN_PACED_MESSAGES + random.nextInt(MORE_PACED_MESSAGES + 1);
        final VictimProcess victim = VictimProcess.start(journal, logs.get(incarnation), incarnation, victimSeed,
            messages);
        final String started = victim.awaitStarted(60);
        if (null == started)
        {
            victim.kill();
        }
        assertNotNull(started, () -> "incarnation " + incarnation + " did not start; seed " + seed + "\n" +
            victim.output());
        System.out.println(started);
        return victim;
    }

    /**
     * Check e: starts an engine in this JVM on the journal, with the same subscribers in the same order, and closes
     * it at once.
     *
     * @return how many messages it recovered to deliver again; 0 when the clean close left everything settled.
     */
    private static long recoveredByFreshStart(final EngineConfiguration context, final Path log, final int incarnation,
        final long journaled)
    {
        final CrashSubscribers subscribers = new CrashSubscribers(DeliveryLog.create(log, incarnation,
            2 * journaled + 4_096));
        try (ChronoFabric engine = ChronoFabric.start(context, subscribers::subscribeAll))
        {
            return engine.recoveredMessages();
        }
    }
}
