package io.chronofabric.engine.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

import io.chronofabric.engine.RetryPolicy;
import io.chronofabric.engine.temporal.TemporalCounters;
import io.chronofabric.journal.DeadLetterReason;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Invokes subscribers for the delivery stage, on its thread, and keeps their promises:
 * <ul>
 *     <li>deadline: past its monotonic deadline target a message is either delivered late (one deadline miss per
 *     (message, subscriber), lateness recorded) or, with the expire policy, dead-lettered as {@code expired};</li>
 *     <li>failure: a subscriber without a retry policy has the failure counted and logged; with one, the message is
 *     retried after a jittered backoff, never blocking the thread, until it succeeds or the policy is spent
 *     ({@code retries_exhausted}, {@code retry_timeout}); its later messages wait behind it, in order, up to the
 *     policy's queue limit ({@code retry_queue_full} beyond).</li>
 * </ul>
 */
public final class SubscriberAttempts
{
    private static final Logger LOG = LogManager.getLogger(SubscriberAttempts.class);
    private static final long LOG_FIRST = 10;
    private static final long LOG_EVERY = 10_000;

    private final PipelineCounters counters;
    private final TemporalCounters temporal;
    private final DeadLetterPath deadLetters;
    private final boolean expire;
    private final List<Subscriber> retrying = new ArrayList<>();
    private final SplittableRandom jitter = new SplittableRandom();
    private LongConsumer settled = id -> { };
    private int expiredInLastDelivery;
    private int offeredInLastDelivery;

    /**
     * @param counters    the engine's counters.
     * @param temporal    the temporal health counters.
     * @param deadLetters the dead-letter path.
     * @param expire      true for the expire deadline policy, false to deliver late.
     */
    public SubscriberAttempts(final PipelineCounters counters, final TemporalCounters temporal,
        final DeadLetterPath deadLetters, final boolean expire)
    {
        this.counters = counters;
        this.temporal = temporal;
        this.deadLetters = deadLetters;
        this.expire = expire;
    }

    /** @param listener told the id each time a subscriber finishes with a message it had left pending. */
    void onSettled(final LongConsumer listener)
    {
        this.settled = listener;
    }

    /**
     * Offers a message to each of its routed subscribers.
     *
     * @param message the message.
     * @param causal  whether its dependencies were all delivered before it.
     * @return how many subscribers left it pending (retrying it, or queued behind a retry).
     */
    int deliver(final MessageEvent message, final boolean causal)
    {
        final long now = 0 == message.deadlineNanoTime() ? 0 : System.nanoTime();
        int pending = 0;
        expiredInLastDelivery = 0;
        offeredInLastDelivery = 0;
        for (final Subscriber subscriber : message.route())
        {
            if (!subscriber.isActive())
            {
                continue;
            }
            offeredInLastDelivery++;
            if (subscriber.isRetrying() || !subscriber.waiting().isEmpty())
            {
                if (subscriber.waiting().size() >= subscriber.retryPolicy().queueLimit())
                {
                    deadLetters.deadLetter(message, subscriber.id(), DeadLetterReason.RETRY_QUEUE_FULL, 0);
                }
                else
                {
                    subscriber.waiting().addLast(copyOf(message));
                    pending++;
                }
            }
            else if (attempt(subscriber, message, 1, now, causal))
            {
                pending++;
            }
        }
        return pending;
    }

    /** Runs due retries, reading the clock only when some subscriber is retrying. */
    void runDueRetriesIfAny()
    {
        if (!retrying.isEmpty())
        {
            runDueRetries(System.nanoTime());
        }
    }

    /** @return true when the last {@link #deliver} expired the message for every subscriber it was offered to. */
    boolean expiredForAll()
    {
        return 0 < offeredInLastDelivery && expiredInLastDelivery == offeredInLastDelivery;
    }

    /**
     * Runs the retries that are due, and the messages waiting behind those that finish.
     *
     * @param now the current {@link System#nanoTime()}.
     */
    void runDueRetries(final long now)
    {
        if (retrying.isEmpty())
        {
            return;
        }
        final List<Long> finished = new ArrayList<>();
        for (int i = 0; i < retrying.size(); )
        {
            final Subscriber subscriber = retrying.get(i);
            if (subscriber.isRetrying() && now < subscriber.nextAttemptNanos() && subscriber.isActive())
            {
                i++;
                continue;
            }
            if (subscriber.isRetrying())
            {
                final MessageEvent message = subscriber.retrying();
                if (retryAgain(subscriber, message, now))
                {
                    i++;
                    continue;
                }
                subscriber.retryDone();
                finished.add(message.id());
            }
            while (!subscriber.isRetrying() && !subscriber.waiting().isEmpty())
            {
                final MessageEvent next = subscriber.waiting().pollFirst();
                if (!subscriber.isActive() || !attempt(subscriber, next, 1, System.nanoTime(), true))
                {
                    finished.add(next.id());
                }
            }
            if (subscriber.isRetrying())
            {
                i++;
            }
            else
            {
                retrying.remove(i);
            }
        }
        // only now, with each subscriber's queue drained as far as it goes, may parked dependents be dispatched
        for (final Long id : finished)
        {
            settled.accept(id);
        }
    }

    /**
     * On shutdown: runs the pending retries to their end (success or dead letter), waiting out their backoffs. The
     * retry policies' overall timeouts bound how long this takes.
     */
    void finishRetries()
    {
        while (!retrying.isEmpty())
        {
            long next = Long.MAX_VALUE;
            for (final Subscriber subscriber : retrying)
            {
                next = Math.min(next, subscriber.isRetrying() ? subscriber.nextAttemptNanos() : System.nanoTime());
            }
            final long wait = next - System.nanoTime();
            if (wait > 0)
            {
                LockSupport.parkNanos(wait);
            }
            runDueRetries(System.nanoTime());
        }
    }

    private boolean retryAgain(final Subscriber subscriber, final MessageEvent message, final long now)
    {
        if (!subscriber.isActive())
        {
            return false;
        }
        final RetryPolicy policy = subscriber.retryPolicy();
        if (now - subscriber.firstAttemptNanos() >= policy.overallTimeoutNanos())
        {
            deadLetters.deadLetter(message, subscriber.id(), DeadLetterReason.RETRY_TIMEOUT, subscriber.attempt() - 1);
            return false;
        }
        return attempt(subscriber, message, subscriber.attempt(), subscriber.firstAttemptNanos(), true);
    }

    /**
     * @param firstNanos when the first attempt was made; for a first attempt, the time delivery of this message
     *     began (0 when the message has no deadline: the clock is then read only if the handler fails).
     * @return true when the message is now being retried for this subscriber.
     */
    private boolean attempt(final Subscriber subscriber, final MessageEvent message, final int attemptNumber,
        final long firstNanos, final boolean causal)
    {
        final long deadline = message.deadlineNanoTime();
        final long now = 1 == attemptNumber && 0 != firstNanos ? firstNanos : (0 == deadline ? 0 : System.nanoTime());
        long late = 0;
        if (0 != deadline && now > deadline)
        {
            if (expire)
            {
                deadLetters.deadLetter(message, subscriber.id(), DeadLetterReason.EXPIRED, attemptNumber - 1);
                expiredInLastDelivery++;
                return false;
            }
            late = now - deadline;
        }
        try
        {
            subscriber.handler().onMessage(message);
            temporal.delivery(late, causal);
            return false;
        }
        catch (final VirtualMachineError error)
        {
            throw error;
        }
        catch (final Throwable failure)
        {
            final long failedAt = System.nanoTime();
            return failed(subscriber, message, attemptNumber, 0 == firstNanos ? failedAt : firstNanos, failedAt, failure);
        }
    }

    private boolean failed(final Subscriber subscriber, final MessageEvent message, final int attemptNumber,
        final long firstNanos, final long now, final Throwable failure)
    {
        counters.handlerFailures().increment();
        subscriber.failures().increment();
        final long failures = subscriber.failures().get();
        if (1 == failures)
        {
            LOG.warn("subscriber {} (type {}) failed on message {}, attempt {} (its first failure; later ones are " +
                "logged without stack trace)", subscriber.id(), subscriber.type(), message.id(), attemptNumber, failure);
        }
        else if (failures <= LOG_FIRST || 0 == failures % LOG_EVERY)
        {
            LOG.warn("subscriber {} (type {}) failed on message {}, attempt {} (failure {} of this subscriber): {}",
                subscriber.id(), subscriber.type(), message.id(), attemptNumber, failures, failure.toString());
        }
        final RetryPolicy policy = subscriber.retryPolicy();
        if (null == policy)
        {
            return false;
        }
        if (attemptNumber >= policy.maxAttempts())
        {
            deadLetters.deadLetter(message, subscriber.id(), DeadLetterReason.RETRIES_EXHAUSTED, attemptNumber);
            return false;
        }
        if (now - firstNanos >= policy.overallTimeoutNanos())
        {
            deadLetters.deadLetter(message, subscriber.id(), DeadLetterReason.RETRY_TIMEOUT, attemptNumber);
            return false;
        }
        temporal.retries().increment();
        final MessageEvent owned = message == subscriber.retrying() ? message : copyOf(message);
        final long at = Math.min(now + policy.backoffNanos(attemptNumber, jitter), firstNanos + policy.overallTimeoutNanos());
        subscriber.retry(owned, attemptNumber + 1, firstNanos, at);
        if (!retrying.contains(subscriber))
        {
            retrying.add(subscriber);
        }
        return true;
    }

    /**
     * @param message a message valid only for the moment.
     * @return a copy the caller owns.
     */
    static MessageEvent copyOf(final MessageEvent message)
    {
        final MessageEvent copy = new MessageEvent(message.record().dependencyCapacity(),
            message.record().payloadCapacity());
        copy.copyFrom(message);
        return copy;
    }
}
