package io.chronofabric.engine.internal.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

import io.chronofabric.engine.api.RetryPolicy;
import io.chronofabric.engine.internal.clock.MonotonicClock;
import io.chronofabric.engine.internal.sequencing.TemporalCounters;
import io.chronofabric.journal.DeadLetterReason;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import io.chronofabric.engine.internal.event.MessageEvent;
import io.chronofabric.engine.internal.event.MessageView;
import io.chronofabric.engine.internal.event.PipelineCounters;
import io.chronofabric.engine.internal.event.Recovery;
import io.chronofabric.engine.internal.event.Subscriber;

/**
 * Invokes subscribers for the delivery stage, on its thread, and keeps their promises:
 * <ul>
 *     <li>deadline: past its monotonic deadline target a message is either delivered late (one deadline miss per
 *     (message, subscriber), lateness recorded) or, with the expire policy, dead-lettered as {@code expired};</li>
 *     <li>failure: a subscriber without a retry policy has the failure counted and logged; with one, the message is
 *     retried after a jittered backoff, never blocking the thread, until it succeeds or the policy is spent
 *     ({@code retries_exhausted}, {@code retry_timeout}); its later messages wait behind it, in order, up to the
 *     policy's queue limit ({@code retry_queue_full} beyond). Each scheduled retry is noted in the settlement log,
 *     so that after a crash the retry resumes with the attempts already made.</li>
 * </ul>
 * A message recovered after a crash is offered only to the subscribers it was not yet settled for. Whatever a
 * handler throws, {@link Error}s included (a stack overflow, an assertion), is that subscriber's failure: counted,
 * retried or dead-lettered as its policy says, never a message lost in silence or a dead pipeline thread.
 */
public final class SubscriberAttempts
{
    /** Outcome of one attempt: the subscriber is done with the message (handler returned, or failed unretried). */
    static final int DELIVERED = 0;
    /** Outcome of one attempt: the message is being retried for the subscriber, or waits behind a retry. */
    static final int PENDING = 1;
    /** Outcome of one attempt: the message was dead-lettered for the subscriber. */
    static final int DEAD_LETTERED = 2;

    private static final Logger LOG = LogManager.getLogger(SubscriberAttempts.class);
    private static final long LOG_FIRST = 10;
    private static final long LOG_EVERY = 10_000;
    /** Longest wait for a backoff at shutdown before looking again whether the close has run out of time. */
    private static final long STOP_CHECK_NANOS = 10_000_000L;

    private final PipelineCounters counters;
    private final MessageView view = new MessageView();
    private final TemporalCounters temporal;
    private final DeadLetterPath deadLetters;
    private final boolean expire;
    private final MonotonicClock clock;
    private final List<Subscriber> retrying = new ArrayList<>();
    private final SplittableRandom jitter;
    private SettleListener settled = SettleListener.NONE;
    private SettlementTracker tracker;
    private int[] lastOutcomes = new int[8];
    private int offeredInLastDelivery;
    private int deliveredInLastDelivery;
    private int handedInLastDelivery;
    /** Whether the last {@link #attempt} invoked the handler (false: dead-lettered before it, as expired). */
    private boolean lastAttemptHanded;

    /**
     * Told each time a subscriber finishes with a message it had left pending, then once after each run of retries:
     * every settlement of the run is recorded before any parked dependent goes on, so that the settlement log records
     * dead letters in the order they were journaled (what a restart relies on to count those it does not record).
     */
    interface SettleListener
    {
        /** Listens to nothing. */
        SettleListener NONE = new SettleListener()
        {
            @Override
            public void settled(final long id, final int subscriber, final boolean delivered, final boolean handed)
            {
            }

            @Override
            public void settledAll()
            {
            }
        };

        /**
         * Records a settlement; dispatches nothing.
         *
         * @param id         the message.
         * @param subscriber the subscriber's id.
         * @param delivered  true when delivered to it, false when dead-lettered for it.
         * @param handed     true when its handler saw the message (false: dead-lettered before any attempt reached it,
         *                   as expired).
         */
        void settled(long id, int subscriber, boolean delivered, boolean handed);

        /** Every settlement of the run is recorded: what waited for them may go on. */
        void settledAll();
    }

    private record Settlement(long id, int subscriber, boolean delivered, boolean handed)
    {
    }

    /**
     * @param counters    the engine's counters.
     * @param temporal    the temporal health counters.
     * @param deadLetters the dead-letter path.
     * @param expire      true for the expire deadline policy, false to deliver late.
     */
    public SubscriberAttempts(final PipelineCounters counters, final TemporalCounters temporal,
        final DeadLetterPath deadLetters, final boolean expire)
    {
        this(counters, temporal, deadLetters, expire, MonotonicClock.SYSTEM, new SplittableRandom());
    }

    /**
     * @param counters    the engine's counters.
     * @param temporal    the temporal health counters.
     * @param deadLetters the dead-letter path.
     * @param expire      true for the expire deadline policy, false to deliver late.
     * @param clock       the monotonic clock deadlines and backoffs are measured on, and waited on at shutdown.
     * @param jitter      where the backoffs' jitter comes from.
     */
    public SubscriberAttempts(final PipelineCounters counters, final TemporalCounters temporal,
        final DeadLetterPath deadLetters, final boolean expire, final MonotonicClock clock,
        final SplittableRandom jitter)
    {
        this.counters = counters;
        this.temporal = temporal;
        this.deadLetters = deadLetters;
        this.expire = expire;
        this.clock = clock;
        this.jitter = jitter;
    }

    /**
     * @param listener told each time a subscriber finishes with a message it had left pending.
     * @param tracker  where retries are noted, and what recovery knew of each subscriber's progress.
     */
    void bind(final SettleListener listener, final SettlementTracker tracker)
    {
        this.settled = listener;
        this.tracker = tracker;
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
        final boolean deadline = 0 != message.deadlineNanoTime();
        final Subscriber[] route = message.route();
        if (lastOutcomes.length < route.length)
        {
            lastOutcomes = new int[route.length];
        }
        final boolean recovered = Recovery.UNSETTLED == message.recovery() && tracker.recovered().hasPerSubscriberState();
        int pending = 0;
        offeredInLastDelivery = 0;
        deliveredInLastDelivery = 0;
        handedInLastDelivery = 0;
        for (int i = 0; i < route.length; i++)
        {
            final Subscriber subscriber = route[i];
            final Boolean before = recovered ? tracker.recovered().settledFor(message.id(), subscriber.id()) : null;
            final int outcome;
            if (!subscriber.isActive())
            {
                lastOutcomes[i] = -1;
                continue;
            }
            else if (null != before)
            {
                outcome = before ? DELIVERED : DEAD_LETTERED;
            }
            else if (subscriber.isRetrying() || !subscriber.waiting().isEmpty())
            {
                outcome = queueBehindRetry(subscriber, message);
            }
            else
            {
                // each subscriber's delivery is judged against the deadline when it begins, after the handlers before
                outcome = attempt(subscriber, message, firstAttempt(message, subscriber),
                    deadline ? clock.nanoTime() : 0, causal);
                if (lastAttemptHanded)
                {
                    handedInLastDelivery++;
                }
            }
            lastOutcomes[i] = outcome;
            offeredInLastDelivery++;
            if (PENDING == outcome)
            {
                pending++;
            }
            else if (DELIVERED == outcome)
            {
                deliveredInLastDelivery++;
            }
        }
        if (0 < pending)
        {
            notePartialSettlements(message, route);
        }
        return pending;
    }

    /** Some subscribers are still pending: note those already done, so that a crash does not offer it them again. */
    private void notePartialSettlements(final MessageEvent message, final Subscriber[] route)
    {
        for (int i = 0; i < route.length; i++)
        {
            if (DELIVERED == lastOutcomes[i] || DEAD_LETTERED == lastOutcomes[i])
            {
                tracker.partial(message.id(), route[i].id(), DELIVERED == lastOutcomes[i]);
            }
        }
    }

    private int queueBehindRetry(final Subscriber subscriber, final MessageEvent message)
    {
        if (subscriber.waiting().size() >= subscriber.retryPolicy().queueLimit())
        {
            deadLetters.deadLetter(message, subscriber.id(), DeadLetterReason.RETRY_QUEUE_FULL, 0);
            return DEAD_LETTERED;
        }
        subscriber.waiting().addLast(copyOf(message));
        return PENDING;
    }

    /** @return the number of the first attempt at a message: after a crash, one more than the attempts already made. */
    private int firstAttempt(final MessageEvent message, final Subscriber subscriber)
    {
        return Recovery.UNSETTLED == message.recovery() ? 1 + tracker.recovered().attemptsMade(message.id(), subscriber.id()) : 1;
    }

    /** Runs due retries, reading the clock only when some subscriber is retrying. */
    void runDueRetriesIfAny()
    {
        if (!retrying.isEmpty())
        {
            runDueRetries(clock.nanoTime());
        }
    }

    /** @return subscribers the last {@link #deliver} offered the message to (settled before a crash included). */
    int offeredInLastDelivery()
    {
        return offeredInLastDelivery;
    }

    /**
     * @return subscribers whose handler the last {@link #deliver} invoked (not those it queued behind a retry, nor
     *     those it settled from before a crash).
     */
    int handedInLastDelivery()
    {
        return handedInLastDelivery;
    }

    /** @return subscribers the last {@link #deliver} delivered the message to (before a crash included). */
    int deliveredInLastDelivery()
    {
        return deliveredInLastDelivery;
    }

    /**
     * Runs the retries that are due, and the messages waiting behind those that finish.
     *
     * @param now the current time on the stage's {@link MonotonicClock}.
     */
    void runDueRetries(final long now)
    {
        if (retrying.isEmpty())
        {
            return;
        }
        final List<Settlement> finished = new ArrayList<>();
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
                final int outcome = retryAgain(subscriber, message, now);
                if (PENDING == outcome)
                {
                    i++;
                    continue;
                }
                subscriber.retryDone();
                finished.add(new Settlement(message.id(), subscriber.id(), DELIVERED == outcome, true));
            }
            while (!subscriber.isRetrying() && !subscriber.waiting().isEmpty())
            {
                final MessageEvent next = subscriber.waiting().pollFirst();
                final boolean active = subscriber.isActive();
                final int outcome = active ?
                    attempt(subscriber, next, firstAttempt(next, subscriber), clock.nanoTime(), true) : DELIVERED;
                if (PENDING != outcome)
                {
                    finished.add(new Settlement(next.id(), subscriber.id(), DELIVERED == outcome,
                        active && lastAttemptHanded));
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
        // only now, with each subscriber's queue drained as far as it goes and every settlement recorded, may parked
        // dependents be dispatched
        for (final Settlement settlement : finished)
        {
            settled.settled(settlement.id(), settlement.subscriber(), settlement.delivered(), settlement.handed());
        }
        if (!finished.isEmpty())
        {
            settled.settledAll();
        }
    }

    /**
     * On shutdown: runs the pending retries to their end (success or dead letter), waiting out their backoffs. The
     * retry policies' overall timeouts bound how long this takes, and the close's drain timeout: once it says stop,
     * what is left stays unsettled for the next start.
     *
     * @param stop true once the close has run out of time.
     */
    void finishRetries(final BooleanSupplier stop)
    {
        while (!retrying.isEmpty() && !stop.getAsBoolean())
        {
            long next = Long.MAX_VALUE;
            for (final Subscriber subscriber : retrying)
            {
                next = Math.min(next, subscriber.isRetrying() ? subscriber.nextAttemptNanos() : clock.nanoTime());
            }
            final long wait = next - clock.nanoTime();
            if (wait > 0)
            {
                clock.parkNanos(Math.min(wait, STOP_CHECK_NANOS));
                continue;
            }
            runDueRetries(clock.nanoTime());
        }
    }

    private int retryAgain(final Subscriber subscriber, final MessageEvent message, final long now)
    {
        if (!subscriber.isActive())
        {
            return DELIVERED;
        }
        final RetryPolicy policy = subscriber.retryPolicy();
        if (now - subscriber.firstAttemptNanos() >= policy.overallTimeoutNanos())
        {
            deadLetters.deadLetter(message, subscriber.id(), DeadLetterReason.RETRY_TIMEOUT, subscriber.attempt() - 1);
            return DEAD_LETTERED;
        }
        // counted when made: a retry due at the overall timeout is not made, and is not a retry
        temporal.retries().increment();
        return attempt(subscriber, message, subscriber.attempt(), subscriber.firstAttemptNanos(), true);
    }

    /**
     * @param firstNanos when the first attempt was made; for a first attempt, the time delivery of this message
     *     began (0 when the message has no deadline: the clock is then read only if the handler fails).
     * @return {@link #DELIVERED}, {@link #PENDING} (now being retried) or {@link #DEAD_LETTERED}.
     */
    private int attempt(final Subscriber subscriber, final MessageEvent message, final int attemptNumber,
        final long firstNanos, final boolean causal)
    {
        final long deadline = message.deadlineNanoTime();
        final long now = 0 != firstNanos && subscriber.retrying() != message ? firstNanos :
            (0 == deadline ? 0 : clock.nanoTime());
        long late = 0;
        lastAttemptHanded = false;
        if (0 != deadline && now > deadline)
        {
            if (expire)
            {
                deadLetters.deadLetter(message, subscriber.id(), DeadLetterReason.EXPIRED, attemptNumber - 1);
                return DEAD_LETTERED;
            }
            late = now - deadline;
        }
        lastAttemptHanded = true;
        try
        {
            subscriber.handler().onMessage(view.wrap(message));
            temporal.delivery(late, causal);
            return DELIVERED;
        }
        catch (final Throwable failure)
        {
            final long failedAt = clock.nanoTime();
            return failed(subscriber, message, attemptNumber, 0 == firstNanos ? failedAt : firstNanos, failedAt, failure);
        }
    }

    private int failed(final Subscriber subscriber, final MessageEvent message, final int attemptNumber,
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
                subscriber.id(), subscriber.type(), message.id(), attemptNumber, failures, describe(failure));
        }
        final RetryPolicy policy = subscriber.retryPolicy();
        if (null == policy)
        {
            return DELIVERED;
        }
        if (attemptNumber >= policy.maxAttempts())
        {
            deadLetters.deadLetter(message, subscriber.id(), DeadLetterReason.RETRIES_EXHAUSTED, attemptNumber);
            return DEAD_LETTERED;
        }
        if (now - firstNanos >= policy.overallTimeoutNanos())
        {
            deadLetters.deadLetter(message, subscriber.id(), DeadLetterReason.RETRY_TIMEOUT, attemptNumber);
            return DEAD_LETTERED;
        }
        final MessageEvent owned = message == subscriber.retrying() ? message : copyOf(message);
        final long at = Math.min(now + policy.backoffNanos(attemptNumber, jitter), firstNanos + policy.overallTimeoutNanos());
        subscriber.retry(owned, attemptNumber + 1, firstNanos, at);
        tracker.retrying(message.id(), subscriber.id(), attemptNumber);
        if (!retrying.contains(subscriber))
        {
            retrying.add(subscriber);
        }
        return PENDING;
    }

    /**
     * @param failure what a handler threw.
     * @return its {@code toString()}, or its class when even that throws: a handler's failure stays the subscriber's.
     */
    static String describe(final Throwable failure)
    {
        try
        {
            return failure.toString();
        }
        catch (final Throwable undescribable)
        {
            return failure.getClass().getName() + " (its toString() threw " + undescribable.getClass().getName() + ")";
        }
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
