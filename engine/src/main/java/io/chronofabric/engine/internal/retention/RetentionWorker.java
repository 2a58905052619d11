package io.chronofabric.engine.internal.retention;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.chronofabric.journal.DeadLetterJournal;
import io.chronofabric.journal.JournalQueues;
import io.chronofabric.journal.SettlementLayout;
import io.chronofabric.journal.TraceLayout;
import io.chronofabric.journal.retention.CycleVerdict;
import io.chronofabric.journal.retention.JournalRetention;
import io.chronofabric.journal.retention.RetentionPlan;
import io.chronofabric.journal.retention.RetentionPolicy;
import net.openhft.chronicle.queue.ChronicleQueue;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import io.chronofabric.engine.config.EngineConfiguration;

/**
 * Applies {@code journal.retention.*} while the engine runs, on a thread of its own ({@code cf-retention}, never a
 * pipeline thread): every pass deletes the journal's oldest roll cycles that the limits want gone and whose messages
 * are all settled (see {@link JournalRetention}), the trace's and dead letters' cycles with them. When a limit wants
 * a cycle gone that still holds an unsettled message, the cycle stays and the worker says so: a WARN naming the
 * oldest unsettled id (again every {@value #REPEAT_EVERY} passes while it lasts, INFO when it clears) and the
 * {@link #blocked()} / {@link #oldestUnsettledId()} metrics. A cycle whose messages are all settled is also kept while
 * the engine's {@link RetentionHold} needs it (a node's peer that has not journaled it yet), and the worker says that
 * too, naming what holds it ({@link #held()}, {@link #heldReason()}), not as an unsettled message.
 *
 * <p>It works through queues of its own on the journal's folders, so the pipeline's appenders are never touched; the
 * newest cycle, which they write, is never deleted.
 */
public final class RetentionWorker implements AutoCloseable
{
    private static final Logger LOG = LogManager.getLogger(RetentionWorker.class);
    private static final int REPEAT_EVERY = 40;
    private static final long MIN_PERIOD_MILLIS = 100;
    private static final long MAX_PERIOD_MILLIS = 1_000;

    private final RetentionPolicy policy;
    private final LongSupplier watermark;
    private final Supplier<RetentionHold> hold;
    private final long dependencyWindow;
    private final Path journalDir;
    private final String rollCycle;
    private final long periodNanos;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long deletedCycles;
    private volatile long deletedMessages;
    private volatile long deletedBytes;
    private final Standing blocked = new Standing("blocked", "the cycles it wants gone are settled");
    private final Standing held = new Standing("held", "what kept settled cycles no longer needs them");
    private volatile long oldestUnsettledId;
    private String lastFailure;

    /**
     * Starts the worker when a retention limit is set; otherwise it does nothing.
     *
     * @param context   the engine's settings.
     * @param watermark reads the live settled watermark.
     * @param hold      reads what else keeps settled messages from being deleted.
     */
    public RetentionWorker(final EngineConfiguration context, final LongSupplier watermark,
        final Supplier<RetentionHold> hold)
    {
        this.policy = context.retentionPolicy();
        this.watermark = watermark;
        this.hold = hold;
        this.journalDir = context.journalDir();
        this.rollCycle = context.rollCycle();
        this.dependencyWindow = context.dependencyWindow();
        // a pass a quarter cycle: a TEST_SECONDLY journal is pruned within its age limit, a daily one checked each second
        this.periodNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(MIN_PERIOD_MILLIS, Math.min(MAX_PERIOD_MILLIS,
            JournalQueues.rollCycle(rollCycle).lengthInMillis() / 4)));
        this.thread = new Thread(this::run, "cf-retention");
        thread.setDaemon(true);
        if (!policy.isOff())
        {
            LOG.info("journal retention on: {}; cycles holding unsettled messages are kept", policy);
            thread.start();
        }
    }

    private void run()
    {
        final List<ChronicleQueue> queues = new ArrayList<>();
        try
        {
            final ChronicleQueue journal = JournalQueues.openForWrite(journalDir, rollCycle);
            queues.add(journal);
            final ChronicleQueue settlements = JournalQueues.openForWrite(SettlementLayout.settlementDir(journalDir),
                rollCycle);
            queues.add(settlements);
            for (final Path follower : List.of(TraceLayout.traceDir(journalDir), journalDir.resolve(DeadLetterJournal.FOLDER)))
            {
                if (Files.isDirectory(follower))
                {
                    queues.add(JournalQueues.openForWrite(follower, rollCycle));
                }
            }
            while (running)
            {
                LockSupport.parkNanos(periodNanos);
                if (running)
                {
                    pass(journal, queues.subList(2, queues.size()), settlements);
                }
            }
        }
        finally
        {
            queues.forEach(ChronicleQueue::close);
        }
    }

    private void pass(final ChronicleQueue journal, final List<ChronicleQueue> followers,
        final ChronicleQueue settlements)
    {
        try
        {
            final long settled = watermark.getAsLong();
            final RetentionHold holding = hold.get();
            final RetentionPlan plan = JournalRetention.plan(journal, policy,
                Math.min(settled, holding.deletableThrough()), System.currentTimeMillis());
            final JournalRetention.Pruned pruned = JournalRetention.apply(plan, journal, followers, settlements,
                settled - dependencyWindow);
            if (0 < pruned.cycles())
            {
                deletedCycles += pruned.cycles();
                deletedMessages += pruned.messages();
                deletedBytes += pruned.bytes();
                LOG.info("journal retention deleted {} cycle(s), {} message(s), {} bytes ({} file(s) with the trace " +
                    "and dead letters); the journal now starts at cycle {}", pruned.cycles(), pruned.messages(),
                    pruned.bytes(), pruned.files().size(), plan.firstKeptCycle());
            }
            report(plan.blocked(), settled, holding);
            lastFailure = null;
        }
        catch (final RuntimeException ex)
        {
            // a pass that fails (a file another process holds, a roll under way) is retried at the next one
            if (!String.valueOf(ex.getMessage()).equals(lastFailure))
            {
                lastFailure = String.valueOf(ex.getMessage());
                LOG.error("journal retention pass failed; retried every pass", ex);
            }
        }
    }

    private void report(final CycleVerdict kept, final long settled, final RetentionHold holding)
    {
        if (null != kept && kept.lastId() > settled)
        {
            oldestUnsettledId = settled + 1;
            blocked.stands(RetentionPlan.unsettledReason(kept, settled));
        }
        else
        {
            blocked.clears();
            oldestUnsettledId = 0;
        }
        if (null != kept && kept.lastId() <= settled)
        {
            held.stands("retention keeps cycle " + kept.cycle() + " (" + kept.file().getFileName() + ", " +
                kept.reason() + ") though every message in it is settled (last id " + kept.lastId() +
                ", settled watermark " + settled + "): " + holding.reason());
        }
        else
        {
            held.clears();
        }
    }

    /** @return the limits applied ({@link RetentionPolicy#OFF} when retention is off). */
    public RetentionPolicy policy()
    {
        return policy;
    }

    /** @return journal cycles deleted since the engine started. */
    public long deletedCycles()
    {
        return deletedCycles;
    }

    /** @return journal messages deleted since the engine started. */
    public long deletedMessages()
    {
        return deletedMessages;
    }

    /** @return disk space freed since the engine started, trace and dead letters included. */
    public long deletedBytes()
    {
        return deletedBytes;
    }

    /** @return true while a cycle the limits want gone is kept because it holds an unsettled message. */
    public boolean blocked()
    {
        return null != blocked.reason;
    }

    /** @return while {@link #blocked()}, the oldest unsettled message id; 0 otherwise. */
    public long oldestUnsettledId()
    {
        return oldestUnsettledId;
    }

    /** @return while {@link #blocked()}, why (the cycle, the limit, the id); null otherwise. */
    public String blockedReason()
    {
        return blocked.reason;
    }

    /**
     * @return true while a cycle the limits want gone, whose messages are all settled, is kept for the engine's
     *     {@link RetentionHold} (a node's peer that has not journaled it yet).
     */
    public boolean held()
    {
        return null != held.reason;
    }

    /** @return while {@link #held()}, why (the cycle, the limit, what holds it); null otherwise. */
    public String heldReason()
    {
        return held.reason;
    }

    /** Stops the thread and waits for it (a pass under way finishes first). */
    @Override
    public void close()
    {
        running = false;
        LockSupport.unpark(thread);
        if (thread.isAlive())
        {
            try
            {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * A condition retention reports while it lasts: a WARN at once and again every {@value #REPEAT_EVERY} passes, an
     * INFO when it clears. One volatile reason, so that a reader never sees it standing without its reason.
     */
    private static final class Standing
    {
        private final String name;
        private final String cleared;
        private volatile String reason;
        private long passes;

        Standing(final String name, final String cleared)
        {
            this.name = name;
            this.cleared = cleared;
        }

        void stands(final String why)
        {
            reason = why;
            if (0 == passes++ % REPEAT_EVERY)
            {
                LOG.warn("journal retention {}: {}", name, why);
            }
        }

        void clears()
        {
            if (null != reason)
            {
                reason = null;
                passes = 0;
                LOG.info("journal retention no longer {}: {}", name, cleared);
            }
        }
    }
}
