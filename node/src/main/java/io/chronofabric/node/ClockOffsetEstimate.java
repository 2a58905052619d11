package io.chronofabric.node;

/**
 * A peer's clock offset from NTP-style exchanges, with the error bound of each: half its round trip when it was made,
 * growing by {@link #DRIFT_PER_SECOND} of its age since, as two clocks may drift apart. The estimate is the exchange
 * whose bound is the tightest now, of all since the last clock step: on a loaded host a run of pings that wait seconds
 * in queues must not make a peer's clock, measured far ahead a moment ago, look possibly in range (each of them bounds
 * the offset only within seconds), while a newer exchange with a tighter bound replaces an older one. Every bound grows
 * at the same rate, so which of two exchanges is tighter never changes with time: keeping the tightest so far is
 * keeping the tightest now. An exchange whose bounds exclude the kept estimate's is a clock step (the true offset lies
 * within every exchange's bounds while clocks only drift): what came before it is dropped. An exchange whose raw round
 * trip is negative (a wall clock stepped during it) bounds nothing and is not taken. Not thread-safe: the node's thread
 * only.
 */
final class ClockOffsetEstimate
{
    /** How fast two hosts' clocks may drift apart: NTP's bound on a clock's frequency error, 500 ppm, each way. */
    static final double DRIFT_PER_SECOND = 2 * 500e-6;

    private boolean measured;
    private long offset;
    private long roundTrip;
    private long at;

    /**
     * One exchange: t1 sent here, t2 received there, t3 sent back there, t4 received here (wall clocks).
     *
     * @param nowNanos this node's monotonic clock when the answer arrived.
     * @return the exchange's round trip, nanoseconds; -1 when it is negative (a wall clock stepped during the exchange)
     *     and the exchange was not taken.
     */
    long sample(final long t1, final long t2, final long t3, final long t4, final long nowNanos)
    {
        final long exchangeRoundTrip = (t4 - t1) - (t3 - t2);
        if (exchangeRoundTrip < 0)
        {
            return -1;
        }
        final long exchangeOffset = ((t2 - t1) + (t3 - t4)) / 2;
        final long keptError = measured ? errorOf(roundTrip, at, nowNanos) : Long.MAX_VALUE;
        // bounds that do not meet: a clock was stepped between the two exchanges, and the kept one is stale
        final boolean stepped = measured && Math.abs(exchangeOffset - offset) > exchangeRoundTrip / 2 + keptError;
        if (stepped || exchangeRoundTrip / 2 <= keptError)
        {
            offset = exchangeOffset;
            roundTrip = exchangeRoundTrip;
            at = nowNanos;
        }
        measured = true;
        return exchangeRoundTrip;
    }

    /** Forgets every exchange: the peer is another process, perhaps on another host, whose clock is not yet known. */
    void reset()
    {
        measured = false;
        offset = 0;
    }

    /** @return true once one exchange was made. */
    boolean isMeasured()
    {
        return measured;
    }

    /** @return the peer's clock minus this node's, by the estimate; 0 before the first exchange. */
    long offsetNanos()
    {
        return offset;
    }

    /**
     * @param nowNanos this node's monotonic clock.
     * @return the estimate's error bound now; -1 before the first exchange.
     */
    long errorNanos(final long nowNanos)
    {
        return measured ? errorOf(roundTrip, at, nowNanos) : -1;
    }

    /**
     * @param nowNanos this node's monotonic clock.
     * @return how far ahead of this node's clock the peer's is at least (offset minus the error bound);
     *     Long.MIN_VALUE before the first exchange.
     */
    long aheadAtLeastNanos(final long nowNanos)
    {
        return measured ? offset - errorOf(roundTrip, at, nowNanos) : Long.MIN_VALUE;
    }

    private static long errorOf(final long roundTrip, final long at, final long nowNanos)
    {
        return roundTrip / 2 + (long)(DRIFT_PER_SECOND * Math.max(0, nowNanos - at));
    }
}
