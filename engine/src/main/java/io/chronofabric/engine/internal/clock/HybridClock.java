package io.chronofabric.engine.internal.clock;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import io.chronofabric.engine.api.SystemWallClock;
import io.chronofabric.engine.api.WallClock;

/**
 * A hybrid logical clock (Kulkarni, Demirbas et al., "Logical Physical Clocks", 2014): a wall component {@code l}
 * in epoch nanoseconds, never behind the physical clock it reads, and a logical counter {@code c} that orders events
 * sharing the same {@code l}. Timestamps compare lexicographically on {@code (l, c)} and every one this clock returns
 * is strictly greater than the one before.
 *
 * <p>Rules, exactly as in the paper:
 * <pre>
 * send or local event:  l' = l; l = max(l', pt); c = (l == l') ? c + 1 : 0
 * receive (lm, cm):     l' = l; l = max(l', lm, pt)
 *                       c = l == l' == lm ? max(c, cm) + 1 : l == l' ? c + 1 : l == lm ? cm + 1 : 0
 * </pre>
 * So a receive of (10,31) at pt 11 gives (11,0). A receive whose {@code lm} is more than the maximum offset ahead of
 * {@code pt} is rejected, counted, and leaves the clock unchanged. When {@code c} would pass the configured maximum
 * the clock carries into the wall component ({@code l + 1ns, c = 0}), which keeps it strictly monotonic, and counts
 * the carry: the counter never wraps. A physical clock that steps backwards cannot move {@code l} back. Steps of the
 * physical clock are counted when over a tenth of the maximum offset: forward, measured against the monotonic clock
 * between two of its readings (plus up to that tenth again, 1% of the time between them, for drift); backward, on the
 * host's clock the same way, and on an application's clock (which may be frozen or simulated) as a reading below the
 * one before.
 *
 * <p>The host's clock ({@link SystemWallClock}) costs two clock reads a reading (its wall time is anchored to
 * {@code currentTimeMillis} and refined with {@code nanoTime}). So it is read at most once per {@link #ANCHOR_NANOS}
 * and carried forward on the monotonic reading the caller passes in ({@link #now(long)}), which the journal stage takes
 * anyway: a stamp costs no clock read of its own; steps are measured at each such reading, which is bracketed by two
 * monotonic readings (taken again when a preemption widened the bracket). Any other {@link WallClock} (a test's, or a
 * disciplined clock an application supplies) is read at every tick, since how it relates to the monotonic clock is not
 * known, and steps are measured between ticks.
 *
 * <p>Single-writer: one thread (the journal stage) ticks it. Counters, and the wall component through
 * {@link #stampedWall()}, may be read from any thread.
 */
public final class HybridClock
{
    /**
     * How long one reading of the host's wall clock serves, carried forward on the monotonic clock: NTP slews the
     * wall clock by at most 500 ppm, so the estimate strays from it by under a microsecond in that time.
     */
    public static final long ANCHOR_NANOS = 1_000_000L;
    /**
     * The drift allowed between two readings of the wall clock: 1% of the monotonic time between them (a VM's wall
     * clock was measured gaining 0.55% on its monotonic one), never more than the step threshold itself.
     */
    private static final int SLEW_DIVISOR = 100;
    /** A wall-clock reading bracketed by monotonic readings further apart than this was preempted: read again. */
    private static final long BRACKET_NANOS = 20_000;
    private static final int BRACKET_TRIES = 3;
    private static final VarHandle WALL;

    static
    {
        try
        {
            WALL = MethodHandles.lookup().findVarHandle(HybridClock.class, "wall", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final WallClock wallClock;
    private final long maxOffsetNanos;
    private final long jumpThresholdNanos;
    private final long maxLogical;
    private final boolean anchored;

    private long wall;
    private long logical;
    private volatile long offsetRejections;
    private volatile long backwardJumps;
    private volatile long logicalOverflows;
    private volatile long forwardJumps;
    private long sampledWall;
    private long sampledMonotonic;
    private boolean sampled;

    /**
     * @param wallClock      the physical clock.
     * @param maxOffsetNanos how far ahead of the physical clock a received timestamp may be; must be positive.
     * @param maxLogical     the largest logical value before carrying into the wall component; at least 1.
     */
    public HybridClock(final WallClock wallClock, final long maxOffsetNanos, final long maxLogical)
    {
        if (maxOffsetNanos <= 0)
        {
            throw new IllegalArgumentException("maxOffsetNanos=" + maxOffsetNanos + " must be > 0");
        }
        if (maxLogical < 1 || maxLogical > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("maxLogical=" + maxLogical + " must be in [1, " + Integer.MAX_VALUE + "]");
        }
        this.wallClock = wallClock;
        this.maxOffsetNanos = maxOffsetNanos;
        this.jumpThresholdNanos = Math.max(1, maxOffsetNanos / 10);
        this.maxLogical = maxLogical;
        this.anchored = SystemWallClock.INSTANCE == wallClock;
    }

    /**
     * Send or local event rule: advances the clock; read the new timestamp with {@link #wall()} and {@link #logical()}.
     */
    public void now()
    {
        now(System.nanoTime());
    }

    /**
     * Send or local event rule, as {@link #now()}, with the physical time taken from a monotonic reading the caller
     * has just made (see the class comment).
     *
     * @param monotonicNanos a {@link System#nanoTime()} reading taken just now; not before an earlier one passed in.
     */
    public void now(final long monotonicNanos)
    {
        final long pt = readPhysical(monotonicNanos);
        if (pt > wall)
        {
            setWall(pt);
            logical = 0;
        }
        else
        {
            setLogical(logical + 1);
        }
    }

    /**
     * Receive rule for a timestamp stamped by another node; on success the clock is above both its old value and
     * the remote one.
     *
     * @param remoteWall    the remote wall component, epoch nanoseconds.
     * @param remoteLogical the remote logical component.
     * @return true when applied; false when rejected because it is more than the maximum offset ahead of the
     *     physical clock, in which case the clock is unchanged.
     */
    public boolean receive(final long remoteWall, final long remoteLogical)
    {
        return receive(remoteWall, remoteLogical, System.nanoTime());
    }

    /**
     * Receive rule, as {@link #receive(long, long)}, with the physical time taken from a monotonic reading the caller
     * has just made.
     *
     * @param remoteWall     the remote wall component, epoch nanoseconds.
     * @param remoteLogical  the remote logical component.
     * @param monotonicNanos a {@link System#nanoTime()} reading taken just now; not before an earlier one passed in.
     * @return true when applied; false when rejected (the clock is unchanged).
     */
    public boolean receive(final long remoteWall, final long remoteLogical, final long monotonicNanos)
    {
        final long pt = readPhysical(monotonicNanos);
        if (remoteWall - pt > maxOffsetNanos)
        {
            offsetRejections++;
            return false;
        }
        final long previousWall = wall;
        final long newWall = Math.max(previousWall, Math.max(remoteWall, pt));
        final long newLogical;
        if (newWall == previousWall && newWall == remoteWall)
        {
            newLogical = Math.max(logical, remoteLogical) + 1;
        }
        else if (newWall == previousWall)
        {
            newLogical = logical + 1;
        }
        else if (newWall == remoteWall)
        {
            newLogical = remoteLogical + 1;
        }
        else
        {
            newLogical = 0;
        }
        setWall(newWall);
        setLogical(newLogical);
        return true;
    }

    /**
     * Sets the clock to a timestamp read back from the journal, so that every later timestamp is above it: the
     * restart rule. A clock already above it is left as is.
     *
     * @param lastWall    the last journaled wall component.
     * @param lastLogical the last journaled logical component.
     */
    public void resumeAbove(final long lastWall, final long lastLogical)
    {
        if (lastWall > wall || (lastWall == wall && lastLogical > logical))
        {
            setWall(lastWall);
            logical = lastLogical;
        }
    }

    /** Counts a step of the wall clock since the last reading, measured against the monotonic clock; keeps this one. */
    private void sample(final long wallNow, final long monotonicNanos, final long uncertainty)
    {
        if (sampled)
        {
            final long elapsed = Math.max(0, monotonicNanos - sampledMonotonic);
            final long step = (wallNow - sampledWall) - elapsed;
            final long drift = Math.min(elapsed / SLEW_DIVISOR, jumpThresholdNanos);
            final long allowed = jumpThresholdNanos + drift + uncertainty;
            if (step > allowed)
            {
                forwardJumps++;
            }
            else if (anchored ? step < -allowed : sampledWall - wallNow > jumpThresholdNanos)
            {
                // an application's clock may be frozen or simulated while real time passes: for it, a step back is
                // a reading below the one before
                backwardJumps++;
            }
        }
        sampledWall = wallNow;
        sampledMonotonic = monotonicNanos;
        sampled = true;
    }

    /**
     * @return true when stamps take their physical time from the monotonic reading passed in (the host's clock, see
     *     the class comment); false when the wall clock is read at every stamp, so that a reading passed in must be
     *     as fresh as that read.
     */
    public boolean carriesHostClock()
    {
        return anchored;
    }

    /** @return forward steps of the wall clock detected. */
    public long forwardJumps()
    {
        return forwardJumps;
    }

    /** @return the wall component of the last timestamp, epoch nanoseconds. */
    public long wall()
    {
        return wall;
    }

    /**
     * The wall component of the last timestamp, for a thread other than the one that ticks the clock (a metrics
     * scrape): an opaque read of the value every tick already stores opaquely, so it is never torn and never a
     * stale value the compiler kept, and reading it costs the ticking thread nothing.
     *
     * @return the wall component of the last timestamp, epoch nanoseconds; 0 before the first.
     */
    public long stampedWall()
    {
        return (long)WALL.getOpaque(this);
    }

    /** @return the logical component of the last timestamp. */
    public int logical()
    {
        return (int)logical;
    }

    /** @return receives rejected for being too far ahead of the physical clock. */
    public long offsetRejections()
    {
        return offsetRejections;
    }

    /** @return backward steps of the physical clock larger than a tenth of the maximum offset. */
    public long backwardJumps()
    {
        return backwardJumps;
    }

    /** @return times the logical counter reached its maximum and carried into the wall component. */
    public long logicalOverflows()
    {
        return logicalOverflows;
    }

    /** @return the configured maximum offset in nanoseconds. */
    public long maxOffsetNanos()
    {
        return maxOffsetNanos;
    }

    private void setLogical(final long newLogical)
    {
        if (newLogical > maxLogical)
        {
            setWall(wall + 1);
            logical = 0;
            logicalOverflows++;
        }
        else
        {
            logical = newLogical;
        }
    }

    /**
     * Every write of the wall component is opaque: on x86 and ARM the same single store as a plain write, but atomic
     * for a long and visible to {@link #stampedWall()} on another thread.
     */
    private void setWall(final long newWall)
    {
        WALL.setOpaque(this, newWall);
    }

    private long readPhysical(final long monotonicNanos)
    {
        if (anchored)
        {
            return carriedForward(monotonicNanos);
        }
        final long pt = wallClock.epochNanos();
        sample(pt, monotonicNanos, 0);
        return pt;
    }

    /**
     * The host's wall time at {@code monotonicNanos}: its last reading carried forward (or back) by the monotonic
     * difference. A stale reading is replaced by one paired with a fresh monotonic reading, not the caller's, which
     * may be older (handlers may have run since it was taken): pairing a later wall time with it would stamp the
     * future and count the delay as a forward step.
     */
    private long carriedForward(final long monotonicNanos)
    {
        if (hostReadingStale(monotonicNanos))
        {
            readHostClock();
        }
        return sampledWall + (monotonicNanos - sampledMonotonic);
    }

    /**
     * Reads the host's wall clock between two monotonic readings, paired with their midpoint; again if preempted, and
     * the narrowest bracket is kept (half its width is the pairing's uncertainty, allowed for in the step check).
     */
    private void readHostClock()
    {
        long bestWall = 0;
        long bestMidpoint = 0;
        long bestWidth = Long.MAX_VALUE;
        for (int tries = 0; tries < BRACKET_TRIES && bestWidth > BRACKET_NANOS; tries++)
        {
            final long before = System.nanoTime();
            final long wallNow = wallClock.epochNanos();
            final long width = System.nanoTime() - before;
            if (width < bestWidth)
            {
                bestWidth = width;
                bestWall = wallNow;
                bestMidpoint = before + width / 2;
            }
        }
        sample(bestWall, bestMidpoint, bestWidth / 2);
    }

    /**
     * Between stamps (the journal stage's idle ticks): reads the host's wall clock once its last reading is older than
     * {@link #ANCHOR_NANOS}, so that its steps are measured over short spans and counted while no message flows. An
     * application's clock is read only at stamps.
     *
     * @param monotonicNanos a {@link System#nanoTime()} reading taken just now.
     */
    public void idle(final long monotonicNanos)
    {
        if (anchored && hostReadingStale(monotonicNanos))
        {
            readHostClock();
        }
    }

    /** @return true when the host's wall clock was not read yet, or its reading is older than the anchor period. */
    private boolean hostReadingStale(final long monotonicNanos)
    {
        return !sampled || monotonicNanos - sampledMonotonic >= ANCHOR_NANOS;
    }
}
