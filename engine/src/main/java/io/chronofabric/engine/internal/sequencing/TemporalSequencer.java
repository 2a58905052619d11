package io.chronofabric.engine.internal.sequencing;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.stream.LongStream;

import com.lmax.disruptor.EventHandler;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.api.HoldOverflowPolicy;
import io.chronofabric.engine.internal.clock.HlcTimestamps;
import io.chronofabric.engine.internal.clock.MonotonicClock;
import io.chronofabric.engine.api.WallClock;
import io.chronofabric.journal.DeadLetterReason;
import io.chronofabric.journal.RecordFlags;
import io.chronofabric.journal.RecordLayout;
import io.chronofabric.engine.internal.event.BatchEndListener;
import io.chronofabric.engine.internal.event.MessageEvent;
import io.chronofabric.engine.internal.event.PipelineCounters;
import io.chronofabric.engine.internal.event.Recovery;
import io.chronofabric.engine.internal.event.ReleaseSink;

/**
 * Stage 2, temporal sequencer: decides when and in which order messages go on to routing and delivery.
 * <ul>
 *     <li>A message whose declared dependencies have all been released is ready. One whose unreleased dependencies
 *     are all to be released with the current window waits chained to one of them; otherwise it is held, indexed by
 *     what it misses. Either way it is released the moment the last of them is (chains and diamonds included).</li>
 *     <li>Ready messages are released in {@link ReadyQueue} order (priority, then earliest deadline, then id) once
 *     per window: the journal stage's batch, marked in the journal by {@link RecordFlags#BATCH_END}, or
 *     {@code sequencer.window} messages. Replaying the journal therefore reproduces the same windows, the same
 *     hold and release decisions and the same delivery order.</li>
 *     <li>A message held (waiting on an id that has not arrived, or on a message held in turn) longer than
 *     {@code hold.timeout-ms} of HLC time is dead-lettered with reason
 *     {@code dependency_timeout}, and so is everything that depends on it, transitively. Timeouts are checked
 *     when a window ends, after its release, against the HLC time of its last message (deterministic on replay),
 *     and against the wall clock when idle: a message is never timed out while what it waits for is in the window
 *     being sequenced, however long that window's HLC times span (a journal stall while publishers went on).</li>
 *     <li>A dependency may name a message of another node ({@link RecordLayout#remoteDependency}: its node and the
 *     id that node gave it). It is satisfied once this sequencer has released the message shipped from that node
 *     with that origin id ({@link RecordFlags#REMOTE}, same origin node and origin id), or passed it as settled in
 *     recovery, and dead once it dead-lettered it; nothing else satisfies it (the rule is exact: a later message of
 *     the same node does not stand in for it). Until then the dependent waits in the hold buffer under the same
 *     timeout, transitive dead-lettering and overflow rules as for local ids. Released and dead origin ids are kept
 *     per origin node in {@link OriginWindows}; an id older than its node's floor ({@link #originFloor}) or than its
 *     node's window counts as released. All of it follows journal order only, so a replay decides alike.</li>
 * </ul>
 * What it holds is copied out of the ring into entries of its own pool, so held messages never block the ring or
 * unrelated traffic. A message without dependencies, on the journal's thread, is released from its ring slot itself
 * ({@link #borrowRingSlots()}). Release order is delivery order downstream, so releasing a dependency before its
 * dependents is enough for delivery to see them in causal order.
 */
public final class TemporalSequencer implements EventHandler<MessageEvent>, BatchEndListener
{
    private final PipelineCounters counters;
    private final TemporalCounters temporal;
    private final WallClock wallClock;
    private final MonotonicClock monotonic;
    private final HoldBuffer hold;
    private final ReadyQueue ready;
    private final IdWindow released;
    /** Ids at or below the released floor that never arrive (refused before a restart), ascending; usually none. */
    private long[] neverJournaled = new long[0];
    private final IdWindow dead;
    private final OriginWindows origins;
    private final EntryPool pool;
    private final long holdTimeoutNanos;
    private final boolean deadLetterOldest;
    private final int window;
    private final long[] missing;
    private final ArrayDeque<MessageEvent> cascade = new ArrayDeque<>();
    private final Consumer<MessageEvent> toReady;
    private final MessageEvent[] windowEntries;
    private long windowFirstId = -1;
    private int windowSpan;
    private int windowParity = -1;
    private final Consumer<MessageEvent> toCascade;
    private ReleaseSink sink;
    private volatile boolean replaying;
    private boolean borrowsRingSlots;
    private int windowCount;
    private long lastWall;
    private long lastLogical = -1;
    private long lastArrivalNanos;
    private long lastAdmittedId;
    private boolean lastArrivalRecovered;

    /**
     * @param context   the engine's settings (hold, window, dependency tracking).
     * @param counters  the engine's counters.
     * @param temporal  the temporal health counters.
     * @param floorId   ids at or below it were settled before this engine started.
     */
    public TemporalSequencer(final EngineConfiguration context, final PipelineCounters counters,
        final TemporalCounters temporal, final long floorId)
    {
        this(counters, temporal, floorId, context.holdCapacity(), context.holdOverflow(), context.holdTimeoutNanos(),
            context.sequencerWindow(), context.dependencyWindow(), context.maxDependencies(),
            context.payloadCapacity(), context.wallClock(), MonotonicClock.SYSTEM);
    }

    /**
     * A sequencer from the individual settings it needs and its clocks, so that it can be built without an engine
     * context and driven through {@link #onEvent} and {@link #onTimeout} by a test.
     *
     * @param counters         the engine's counters.
     * @param temporal         the temporal health counters.
     * @param floorId          ids at or below it were settled before this engine started.
     * @param holdCapacity     most messages held at once ({@code hold.capacity}).
     * @param holdOverflow     what a full hold buffer does ({@code hold.overflow}).
     * @param holdTimeoutNanos longest a message is held for a dependency, in HLC time ({@code hold.timeout-ms}).
     * @param window           most messages per release window ({@code sequencer.window}).
     * @param dependencyWindow ids tracked for dependencies, a power of two ({@code dependencies.window}).
     * @param maxDependencies  most dependencies per message ({@code dependencies.max}).
     * @param payloadCapacity  largest payload in bytes ({@code payload.capacity}).
     * @param wallClock        the wall clock, for hold ages while idle.
     * @param monotonic        the monotonic clock, for stage timestamps and hold ages while idle.
     */
    public TemporalSequencer(final PipelineCounters counters, final TemporalCounters temporal, final long floorId,
        final int holdCapacity, final HoldOverflowPolicy holdOverflow, final long holdTimeoutNanos, final int window,
        final int dependencyWindow, final int maxDependencies, final int payloadCapacity, final WallClock wallClock,
        final MonotonicClock monotonic)
    {
        this.counters = counters;
        this.temporal = temporal;
        this.wallClock = wallClock;
        this.monotonic = monotonic;
        this.hold = new HoldBuffer(holdCapacity, maxDependencies);
        this.window = window;
        this.ready = new ReadyQueue(window + holdCapacity + 1);
        this.pool = new EntryPool(window + holdCapacity + 1, maxDependencies, payloadCapacity);
        this.released = new IdWindow(dependencyWindow, floorId);
        this.dead = new IdWindow(dependencyWindow, 0);
        this.origins = new OriginWindows(dependencyWindow);
        this.holdTimeoutNanos = holdTimeoutNanos;
        this.deadLetterOldest = HoldOverflowPolicy.DEAD_LETTER_OLDEST == holdOverflow;
        this.missing = new long[Math.max(1, maxDependencies)];
        this.toReady = this::makeReady;
        this.windowEntries = new MessageEvent[2 * window];
        this.toCascade = cascade::addLast;
        this.lastAdmittedId = floorId;
    }

    /**
     * Before the ring starts: a message at or below the settled floor was delivered to no subscriber before this
     * engine started, so its dependents, if any are recovered, are dead-lettered.
     *
     * @param id a dead message's id, in ascending order across calls.
     */
    public void deadBeforeStart(final long id)
    {
        dead.mark(id);
    }

    /**
     * Before the first message reaches the sequencer: ids at or below the settled floor that were never journaled
     * (their publish was refused after the id was taken). The floor counts everything below it as released; these
     * never arrive, so what depends on them waits until its hold times out, as it would have without a restart.
     * Each call adds to those named before.
     *
     * @param ids the ids, ascending.
     */
    public void neverJournaledBeforeStart(final long[] ids)
    {
        neverJournaled = LongStream.concat(Arrays.stream(neverJournaled), Arrays.stream(ids)).sorted().distinct()
            .toArray();
    }

    /**
     * Before the first message reaches the sequencer: the messages {@code node} shipped here with origin ids at or
     * below {@code originId} were settled before this engine started (recovery does not feed them again), so a
     * dependency on one of them is satisfied, unless {@link #originDeadBeforeStart} names it dead.
     *
     * @param node     the origin node, 1..65535.
     * @param originId the highest origin id of that node known settled, or any lower one.
     */
    public void originFloor(final int node, final long originId)
    {
        origins.floor(requireOriginNode(node), originId);
    }

    /**
     * Before the first message reaches the sequencer: the message {@code node} shipped here as {@code originId} was
     * dead (delivered to none of its subscribers) before this engine started, so its dependents, if any arrive or are
     * recovered, are dead-lettered. After {@link #originFloor} for that node.
     *
     * @param node     the origin node, 1..65535.
     * @param originId the id it gave the message.
     */
    public void originDeadBeforeStart(final int node, final long originId)
    {
        origins.markDead(requireOriginNode(node), originId);
    }

    private static int requireOriginNode(final int node)
    {
        if (node < 1 || node > 0xFFFF)
        {
            throw new IllegalArgumentException("origin node " + node + " must be in [1, 65535]");
        }
        return node;
    }

    /**
     * @param sink where released messages go; set once by the pipeline wiring before the ring starts.
     */
    public void releaseTo(final ReleaseSink sink)
    {
        this.sink = sink;
    }

    /**
     * Set by the wiring when this sequencer runs on the journal stage's thread, so that every window ends with the
     * thread's batch: at the journal's batch end ({@link RecordFlags#BATCH_END}), at {@code sequencer.window}, or at
     * {@link #onBatchEndWithoutMessage()}. A ring slot is not reused before its batch ends, so a live message without
     * dependencies (ready at once, released in its own window) need not be copied out of the ring: the sequencer orders
     * and releases the slot itself. Held messages, recovered ones and a replay's (whose windows follow the journal,
     * not the thread's batches) are still copied.
     */
    public void borrowRingSlots()
    {
        borrowsRingSlots = true;
    }

    /** The thread's batch ended on a slot without a message: a window holding borrowed ring slots ends with it. */
    @Override
    public void onBatchEndWithoutMessage()
    {
        if (borrowsRingSlots && 0 < ready.size())
        {
            endWindow(lastWall);
            publishHoldState();
        }
    }

    @Override
    public void onEvent(final MessageEvent event, final long sequence, final boolean endOfBatch)
    {
        try
        {
            sequence(event);
        }
        catch (final RuntimeException | Error ex)
        {
            releaseWindowOnFailure(ex);
            throw ex;
        }
    }

    private void sequence(final MessageEvent event)
    {
        final long wall = event.record().hlcWall();
        if (HlcTimestamps.compare(wall, event.record().hlcLogical(), lastWall, lastLogical) <= 0)
        {
            counters.orderViolations().increment();
        }
        final long windowEndWall = lastWall;
        lastWall = wall;
        lastLogical = event.record().hlcLogical();
        lastArrivalNanos = event.journaledNanos();
        lastArrivalRecovered = Recovery.NONE != event.recovery();
        final int parity = event.record().flags() & RecordFlags.BATCH_PARITY;
        if (parity != windowParity && 0 < ready.size())
        {
            // a new journal batch began although the last one showed no end (it ended on a rejected publish)
            endWindow(windowEndWall);
        }
        windowParity = parity;
        if (Recovery.SETTLED == event.recovery() || Recovery.SETTLED_DEAD == event.recovery())
        {
            passSettled(event);
        }
        else
        {
            admit(event);
        }
        if (0 != (event.record().flags() & RecordFlags.BATCH_END) || ++windowCount >= window)
        {
            endWindow(wall);
        }
        publishHoldState();
    }

    /**
     * Marks this sequencer as fed from a journal by a replay: its windows then end only where the journal says
     * (batch ends, parity changes, the window size), never on an idle tick, which would depend on how fast the
     * replay feeds it; and holds time out on the journal's time (the replayed records' HLC times, extrapolated when
     * idle), never on today's clock.
     */
    public void replaying()
    {
        replaying = true;
    }

    @Override
    public void onTimeout(final long sequence)
    {
        // HLC time now: the last HLC time seen plus the monotonic time since; live, the wall clock if it is later
        // (a replay, and recovery until its last message, run on the journal's time: a message recovered after a
        // restart was not waiting while the process was down)
        final long sinceLastArrival = lastWall + (monotonic.nanoTime() - lastArrivalNanos);
        // the window ends before holds are timed out: what waits only on messages in it is released with it
        if (0 < ready.size() && !replaying)
        {
            releaseReady();
        }
        expireHeld(replaying || lastArrivalRecovered ? sinceLastArrival :
            Math.max(wallClock.epochNanos(), sinceLastArrival));
        publishHoldState();
        sink.idle();
    }

    @Override
    public void onStart()
    {
        sink.start();
    }

    /**
     * Releases whatever is ready, so that a closing engine delivers everything it can. Nothing is published after
     * close and the ingress ring has drained, so a message still held waits for an id that will never arrive: it is
     * dead-lettered ({@code engine_closed}), with its dependents, and nothing journaled is left unsettled.
     */
    @Override
    public void onShutdown()
    {
        releaseReady();
        MessageEvent held;
        while (null != (held = hold.pollOldest()))
        {
            deadLetter(held, DeadLetterReason.ENGINE_CLOSED);
        }
        publishHoldState();
        sink.close();
    }

    /**
     * A message recovery found settled passes straight on (no window, no hold), so that what depends on it is told
     * it was released, or that it is dead.
     */
    private void passSettled(final MessageEvent event)
    {
        final MessageEvent entry = pool.acquire();
        entry.copyFrom(event);
        entry.previousId(lastAdmittedId);
        lastAdmittedId = entry.id();
        final boolean settledDead = Recovery.SETTLED_DEAD == entry.recovery();
        if (settledDead)
        {
            dead.mark(entry.id());
        }
        else
        {
            released.mark(entry.id());
        }
        entry.sequencedNanos(monotonic.nanoTime());
        sink.release(entry);
        // a local id can only be named by later messages; an origin id can be named by one recovered before it
        final long remoteKey = RecordLayout.crossNodeName(entry.record());
        pool.release(entry);
        if (0 != remoteKey)
        {
            if (settledDead)
            {
                origins.markDead(RecordLayout.remoteDependencyNode(remoteKey),
                    RecordLayout.remoteDependencyOriginId(remoteKey));
                hold.onDead(remoteKey, toCascade);
                if (!cascade.isEmpty())
                {
                    drainCascade();
                }
            }
            else
            {
                origins.markReleased(RecordLayout.remoteDependencyNode(remoteKey),
                    RecordLayout.remoteDependencyOriginId(remoteKey));
                hold.onReleased(remoteKey, toReady);
            }
        }
    }

    private boolean isReleased(final long dependency)
    {
        if (RecordLayout.isRemoteDependency(dependency))
        {
            return origins.isReleased(dependency);
        }
        return released.isMarked(dependency) && (0 == neverJournaled.length || dependency > released.floor() ||
            Arrays.binarySearch(neverJournaled, dependency) < 0);
    }

    private boolean isDead(final long dependency)
    {
        return RecordLayout.isRemoteDependency(dependency) ? origins.isDead(dependency) :
            !dead.isTooOld(dependency) && dead.isMarked(dependency);
    }

    private void admit(final MessageEvent event)
    {
        final boolean borrow = borrowsRingSlots && !replaying && 0 == event.dependencyCount() &&
            Recovery.NONE == event.recovery() && !event.isFromJournal();
        final MessageEvent entry = borrow ? event : pool.acquire();
        if (!borrow)
        {
            entry.copyFrom(event);
        }
        entry.previousId(lastAdmittedId);
        lastAdmittedId = entry.id();
        entry.awaitingRelease(false);
        entry.firstWaiter(null);
        entry.nextWaiter(null);
        rememberInWindow(entry);
        int unreleased = 0;
        boolean outsideWindow = false;
        MessageEvent waitingDependency = null;
        boolean dependsOnDead = false;
        for (int i = 0, n = entry.dependencyCount(); i < n; i++)
        {
            final long dependency = entry.dependency(i);
            if (isDead(dependency))
            {
                dependsOnDead = true;
            }
            else if (!isReleased(dependency))
            {
                missing[unreleased++] = dependency;
                // a cross-node dependency always waits in the hold buffer, never chained in the window
                final MessageEvent inWindow = RecordLayout.isRemoteDependency(dependency) ? null :
                    releasedWithWindow(dependency);
                outsideWindow |= null == inWindow;
                waitingDependency = null == waitingDependency ? inWindow : waitingDependency;
            }
        }
        if (0 < unreleased)
        {
            temporal.heldTotal().increment();
        }
        if (dependsOnDead)
        {
            deadLetter(entry, DeadLetterReason.DEPENDENCY_DEAD_LETTERED);
        }
        else if (0 == unreleased)
        {
            makeReady(entry);
        }
        else if (!outsideWindow)
        {
            waitFor(waitingDependency, entry);
        }
        else if (!hold.isFull() || (deadLetterOldest && makeRoom()))
        {
            hold.hold(entry, missing, unreleased, entry.record().hlcWall());
        }
        else
        {
            deadLetter(entry, DeadLetterReason.HOLD_OVERFLOW);
        }
    }

    /**
     * Every unreleased dependency of {@code dependent} is to be released with this window (ready, or chained in
     * turn): chain it to one of them (no allocation); when that one is released it is looked at again. It is not
     * held: a window's HLC times may span more than the hold timeout (a journal stall while publishers went on), and
     * what waits only on messages that arrived must not time out.
     */
    private static void waitFor(final MessageEvent dependency, final MessageEvent dependent)
    {
        dependent.awaitingRelease(true);
        dependent.nextWaiter(dependency.firstWaiter());
        dependency.firstWaiter(dependent);
    }

    /** A message was released: the dependents chained to it either wait for another dependency or become ready. */
    private void releaseWaiters(final MessageEvent releasedMessage)
    {
        MessageEvent waiter = releasedMessage.firstWaiter();
        releasedMessage.firstWaiter(null);
        while (null != waiter)
        {
            final MessageEvent next = waiter.nextWaiter();
            waiter.nextWaiter(null);
            MessageEvent stillWaiting = null;
            for (int i = 0, n = waiter.dependencyCount(); i < n && null == stillWaiting; i++)
            {
                if (!isReleased(waiter.dependency(i)))
                {
                    stillWaiting = releasedWithWindow(waiter.dependency(i));
                }
            }
            if (null == stillWaiting)
            {
                makeReady(waiter);
            }
            else
            {
                waitFor(stillWaiting, waiter);
            }
            waiter = next;
        }
    }

    private void makeReady(final MessageEvent entry)
    {
        entry.awaitingRelease(true);
        ready.add(entry);
    }

    /** Indexes a newly admitted message by id for the rest of the window; ids within a window are nearly dense. */
    private void rememberInWindow(final MessageEvent entry)
    {
        if (0 > windowFirstId)
        {
            windowFirstId = entry.id();
        }
        final long offset = entry.id() - windowFirstId;
        if (0 <= offset && offset < windowEntries.length)
        {
            windowEntries[(int)offset] = entry;
            windowSpan = Math.max(windowSpan, (int)offset + 1);
        }
    }

    /** @return the message with this id if it is to be released with the current window, else null. */
    private MessageEvent releasedWithWindow(final long id)
    {
        final long offset = id - windowFirstId;
        if (0 > windowFirstId || 0 > offset || offset >= windowSpan)
        {
            return null;
        }
        final MessageEvent candidate = windowEntries[(int)offset];
        return null != candidate && id == candidate.id() && candidate.isAwaitingRelease() ? candidate : null;
    }

    private boolean makeRoom()
    {
        final MessageEvent oldest = hold.pollOldest();
        if (null != oldest)
        {
            deadLetter(oldest, DeadLetterReason.HOLD_OVERFLOW);
        }
        return !hold.isFull();
    }

    /**
     * Releases the window in ready order. A release that throws (a full disk under the dead letters, the trace or the
     * settlement log) does not stop the others: the whole window is released before the failure goes on to the
     * pipeline's exception handler, because a window must not outlive its batch (see {@link #borrowRingSlots()});
     * the failed message's dependents stay where they wait, as it did not settle.
     */
    private void releaseReady()
    {
        // one clock read per window: its messages are released together, one after another
        final long releasedAt = 0 < ready.size() ? monotonic.nanoTime() : 0;
        Throwable failure = null;
        try
        {
            MessageEvent next;
            while (null != (next = ready.poll()))
            {
                next.awaitingRelease(false);
                released.mark(next.id());
                final long remoteKey = RecordLayout.crossNodeName(next.record());
                if (0 != remoteKey)
                {
                    origins.markReleased(next.record().originNode(), next.record().originId());
                }
                next.sequencedNanos(releasedAt);
                try
                {
                    sink.release(next);
                }
                catch (final RuntimeException | Error ex)
                {
                    failure = firstOf(failure, ex);
                    returnHoldReservation(next);
                    continue;
                }
                returnHoldReservation(next);
                releaseWaiters(next);
                hold.onReleased(next.id(), toReady);
                if (0 != remoteKey)
                {
                    hold.onReleased(remoteKey, toReady);
                }
                pool.release(next);
            }
            sink.endOfRelease();
        }
        finally
        {
            windowCount = 0;
            Arrays.fill(windowEntries, 0, windowSpan, null);
            windowSpan = 0;
            windowFirstId = -1;
        }
        if (failure instanceof RuntimeException)
        {
            throw (RuntimeException)failure;
        }
        if (null != failure)
        {
            throw (Error)failure;
        }
    }

    /**
     * Ends the window: releases it, then times out what is still held against {@code wall}, the HLC time of its last
     * message. After the release, what waited only on messages of the window has gone with them.
     */
    private void endWindow(final long wall)
    {
        releaseReady();
        expireHeld(wall);
    }

    private static Throwable firstOf(final Throwable first, final Throwable next)
    {
        if (null == first)
        {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    /**
     * A failure is leaving {@link #onEvent} before the window ended: a window holding borrowed ring slots is released
     * now, since the pipeline moves past this batch when it handles the failure and publishers may reuse its slots.
     */
    private void releaseWindowOnFailure(final Throwable failure)
    {
        if (borrowsRingSlots && 0 < ready.size())
        {
            try
            {
                releaseReady();
            }
            catch (final RuntimeException | Error more)
            {
                failure.addSuppressed(more);
            }
        }
    }

    private void expireHeld(final long nowWall)
    {
        MessageEvent timedOut;
        while (null != (timedOut = hold.pollTimedOut(nowWall, holdTimeoutNanos)))
        {
            deadLetter(timedOut, DeadLetterReason.DEPENDENCY_TIMEOUT);
        }
    }

    /** Dead-letters a message and, transitively, every held message depending on it. */
    private void deadLetter(final MessageEvent first, final DeadLetterReason reason)
    {
        first.deadLetterReason(reason);
        cascade.addLast(first);
        drainCascade();
    }

    /** Dead-letters what the cascade holds and, transitively, every held message depending on it. */
    private void drainCascade()
    {
        MessageEvent next;
        while (null != (next = cascade.pollFirst()))
        {
            if (null == next.deadLetterReason())
            {
                next.deadLetterReason(DeadLetterReason.DEPENDENCY_DEAD_LETTERED);
            }
            dead.mark(next.id());
            final long remoteKey = RecordLayout.crossNodeName(next.record());
            if (0 != remoteKey)
            {
                origins.markDead(next.record().originNode(), next.record().originId());
            }
            next.sequencedNanos(monotonic.nanoTime());
            sink.release(next);
            returnHoldReservation(next);
            hold.onDead(next.id(), toCascade);
            if (0 != remoteKey)
            {
                hold.onDead(remoteKey, toCascade);
            }
            pool.release(next);
        }
        sink.endOfRelease();
    }

    private void returnHoldReservation(final MessageEvent leaving)
    {
        if (leaving.isHoldReserved())
        {
            leaving.holdReserved(false);
            temporal.releaseHoldReservation();
        }
    }

    private void publishHoldState()
    {
        temporal.holdState(hold.size(), hold.oldestSinceWall(), hold.isFull());
    }
}
