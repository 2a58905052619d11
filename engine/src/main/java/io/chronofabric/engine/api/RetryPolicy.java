package io.chronofabric.engine.api;

import java.util.SplittableRandom;

/**
 * Guaranteed delivery for one subscriber: a handler that throws is retried with exponential backoff and full jitter
 * ({@code random(0, min(maxBackoff, baseBackoff * 2^(attempt-1)))}), until it succeeds, {@code maxAttempts} attempts
 * were made, or {@code overallTimeout} passed since the first attempt; then the message goes to the dead-letter path
 * for that subscriber. While it retries, the subscriber's later messages wait behind it (its order is preserved, at
 * most {@code queueLimit} of them); other subscribers are not held up.
 *
 * @param maxAttempts         attempts in all, the first included; at least 1.
 * @param baseBackoffNanos    backoff before the second attempt, before jitter.
 * @param maxBackoffNanos     cap on the backoff.
 * @param overallTimeoutNanos time from the first attempt after which no further attempt is made.
 * @param queueLimit          most messages waiting behind a retrying message; beyond it they are dead-lettered.
 */
public record RetryPolicy(int maxAttempts, long baseBackoffNanos, long maxBackoffNanos, long overallTimeoutNanos,
    int queueLimit)
{
    /**
     * Validates the policy.
     */
    public RetryPolicy
    {
        if (maxAttempts < 1)
        {
            throw new IllegalArgumentException("maxAttempts=" + maxAttempts + " must be >= 1");
        }
        if (baseBackoffNanos < 0 || maxBackoffNanos < baseBackoffNanos)
        {
            throw new IllegalArgumentException("backoff must satisfy 0 <= base (" + baseBackoffNanos + ") <= max (" +
                maxBackoffNanos + ")");
        }
        if (overallTimeoutNanos <= 0 || queueLimit < 1)
        {
            throw new IllegalArgumentException("overallTimeoutNanos (" + overallTimeoutNanos + ") and queueLimit (" +
                queueLimit + ") must be positive");
        }
    }

    /**
     * @param maxAttempts attempts in all.
     * @return a policy with 1 ms base backoff, 100 ms cap, 5 s overall timeout, 10,000 queued messages.
     */
    public static RetryPolicy attempts(final int maxAttempts)
    {
        return new RetryPolicy(maxAttempts, 1_000_000L, 100_000_000L, 5_000_000_000L, 10_000);
    }

    /**
     * @param attempt the attempt that just failed, 1 for the first.
     * @param random  the jitter source.
     * @return nanoseconds to wait before the next attempt.
     */
    public long backoffNanos(final int attempt, final SplittableRandom random)
    {
        final long ceiling = Math.min(maxBackoffNanos, baseBackoffNanos << Math.min(attempt - 1, 30));
        return ceiling <= 0 ? 0 : random.nextLong(ceiling + 1);
    }
}
