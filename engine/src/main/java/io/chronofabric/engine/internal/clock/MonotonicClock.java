package io.chronofabric.engine.internal.clock;

import java.util.concurrent.locks.LockSupport;

/**
 * The monotonic clock the pipeline stages read ({@link System#nanoTime()} in an engine): stage timestamps, deadline
 * checks, retry backoffs and hold ages while idle. A stage is given one so that a test can drive it on its own thread
 * with time that moves only when told to, as Aeron's conductor tests do.
 */
public interface MonotonicClock
{
    /** {@link System#nanoTime()} and {@link LockSupport#parkNanos(long)}. */
    MonotonicClock SYSTEM = new MonotonicClock()
    {
        @Override
        public long nanoTime()
        {
            return System.nanoTime();
        }

        @Override
        public void parkNanos(final long nanos)
        {
            LockSupport.parkNanos(nanos);
        }
    };

    /** @return the current monotonic time in nanoseconds, comparable only with other readings of this clock. */
    long nanoTime();

    /**
     * Waits about this long, for a stage that must wait out a backoff (retries finishing at shutdown).
     *
     * @param nanos how long.
     */
    void parkNanos(long nanos);
}
