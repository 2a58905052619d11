package io.chronofabric.cli.workload;

import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import java.util.function.LongPredicate;
import java.util.function.LongSupplier;

import io.chronofabric.engine.api.PayloadWriter;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.journal.RecordLayout;

import static io.chronofabric.cli.workload.TradingMessages.*;

/**
 * Generates the built-in trading-style load from one thread: market-data ticks; every fifth tick a strategy signal
 * that depends on it; every second signal an order that depends on the signal, with a tighter deadline and a higher
 * priority. Deterministic for a seed. Paced at a fixed offered rate, each message carries its intended send time, so
 * latency is measured without coordinated omission; at {@code max} rate it publishes as fast as the ring accepts.
 * On a node of a deployment every fourth signal also depends on the latest tick received from a peer (a cross-node
 * dependency).
 */
public final class TradingWorkload
{
    /** Instruments quoted by the feed. */
    public static final int INSTRUMENTS = 64;
    private static final long SIGNAL_DEADLINE_NANOS = 1_000_000;
    private static final long ORDER_DEADLINE_NANOS = 250_000;
    private static final int ORDER_PRIORITY = 200;
    private static final int SIGNAL_PRIORITY = 100;
    private static final long PROGRESS_EVERY_MASK = 1024 - 1;
    /** A paced run is told of progress at least this often too: at a low rate 1024 messages take minutes. */
    private static final long PROGRESS_EVERY_NANOS = 20_000_000L;
    private static final long SPIN_BELOW_NANOS = 50_000;
    /**
     * Hosts with fewer cores park the paced publisher instead of spinning for the last microseconds: a publisher
     * spinning between sends on a 2-core host takes the core the pipeline needs. Messages that fall due during a park
     * go out together when it ends, each still stamped with its intended time, so latency stays honest.
     */
    private static final int CORES_TO_SPIN = 4;
    private static final boolean SPIN = Runtime.getRuntime().availableProcessors() >= CORES_TO_SPIN;

    private final Publisher feed;
    private final Publisher strategy;
    private final Publisher oms;
    private final SplittableRandom random;
    private final Tick tick = new Tick();
    private final Signal signal = new Signal();
    private final Order order = new Order();
    private final long[] lastPrice = new long[INSTRUMENTS];
    private final LongSupplier latestRemoteTick;
    private long signals;
    private long crossNodeDependencies;
    private long lastId;
    /** Intended send time of the message being published; 0 (unpaced) means "now". */
    private long intended;

    /**
     * @param newPublisher the engine's {@code newPublisher}: gives a publisher for a source id.
     * @param seed         the random seed; the same seed gives the same messages.
     */
    public TradingWorkload(final IntFunction<Publisher> newPublisher, final long seed)
    {
        this(newPublisher, seed, () -> 0);
    }

    /**
     * @param newPublisher     the engine's {@code newPublisher}: gives a publisher for a source id.
     * @param seed             the random seed; the same seed gives the same messages.
     * @param latestRemoteTick the latest tick received from a peer, as a cross-node dependency id
     *                         ({@link RecordLayout#remoteDependency}), 0 while none.
     */
    public TradingWorkload(final IntFunction<Publisher> newPublisher, final long seed,
        final LongSupplier latestRemoteTick)
    {
        this.latestRemoteTick = latestRemoteTick;
        this.feed = newPublisher.apply(FEED_SOURCE);
        this.strategy = newPublisher.apply(STRATEGY_SOURCE);
        this.oms = newPublisher.apply(OMS_SOURCE);
        this.random = new SplittableRandom(seed);
        for (int i = 0; i < INSTRUMENTS; i++)
        {
            lastPrice[i] = 100_000 + i * 1_000L;
        }
    }

    /**
     * Publishes {@code messages} messages, or fewer when {@code progress} says stop.
     *
     * @param messages   how many to publish.
     * @param ratePerSec offered rate in messages per second, or 0 for as fast as possible.
     * @param progress   told the count published so far, every 1024 messages, at least every 20 ms of a paced run,
     *                   and at the end; false stops publishing
     *                   (what the run needs cannot happen any more: its node stopped).
     * @return the id of the last message published.
     */
    public long publish(final long messages, final double ratePerSec, final LongPredicate progress)
    {
        return publish(messages, ratePerSec, progress, () -> true);
    }

    /**
     * Publishes {@code messages} messages, or fewer when {@code progress} or {@code mayPublish} says stop.
     *
     * @param messages   how many to publish.
     * @param ratePerSec offered rate in messages per second, or 0 for as fast as possible.
     * @param progress   as in {@link #publish(long, double, LongPredicate)}.
     * @param mayPublish asked before each message, when it is due; it may wait (a node's publishers paused for a
     *                   lagging peer), and false stops publishing at once, before that message.
     * @return the id of the last message published.
     */
    public long publish(final long messages, final double ratePerSec, final LongPredicate progress,
        final BooleanSupplier mayPublish)
    {
        final double periodNanos = ratePerSec > 0 ? 1e9 / ratePerSec : 0;
        final long start = System.nanoTime();
        long lastTickId = 0;
        long lastSignalId = 0;
        long ticksSinceSignal = 0;
        boolean orderDue = false;
        intended = 0;
        long nextProgress = start + PROGRESS_EVERY_NANOS;
        for (long i = 0; i < messages; i++)
        {
            if (periodNanos > 0)
            {
                intended = start + (long)(i * periodNanos);
                // the wait is cut at each progress interval: at a low rate a stop is seen within one, not after the
                // next message
                while (intended - nextProgress >= 0)
                {
                    awaitUntil(nextProgress);
                    if (!progress.test(i))
                    {
                        return lastId;
                    }
                    nextProgress = Math.max(nextProgress, System.nanoTime()) + PROGRESS_EVERY_NANOS;
                }
                awaitUntil(intended);
            }
            if (!mayPublish.getAsBoolean())
            {
                return lastId;
            }
            if (0 != lastSignalId && orderDue)
            {
                orderDue = false;
                lastSignalId = publishOrder(lastSignalId, i);
            }
            else if (0 != lastTickId && 5 <= ticksSinceSignal)
            {
                ticksSinceSignal = 0;
                lastSignalId = publishSignal(lastTickId);
                orderDue = random.nextBoolean();
            }
            else
            {
                ticksSinceSignal++;
                lastTickId = publishTick(i);
            }
            if (0 == (i & PROGRESS_EVERY_MASK) && !progress.test(i + 1))
            {
                return lastId;
            }
        }
        progress.test(messages);
        return lastId;
    }

    /** @return signals published with a dependency on a tick of another node. */
    public long crossNodeDependencies()
    {
        return crossNodeDependencies;
    }

    private long publishTick(final long feedSequence)
    {
        final int instrument = random.nextInt(INSTRUMENTS);
        final long mid = lastPrice[instrument] += random.nextInt(-5, 6);
        tick.instrument = instrument;
        tick.bid = mid - 1;
        tick.ask = mid + 1;
        tick.bidSize = 100 * (1 + random.nextInt(10));
        tick.askSize = 100 * (1 + random.nextInt(10));
        tick.feedSequence = feedSequence;
        return lastId = feed.sentAt(intended).publish(TICK, TICK_WRITER, tick);
    }

    private long publishSignal(final long tickId)
    {
        signal.instrument = tick.instrument;
        signal.side = (byte)(random.nextBoolean() ? 1 : -1);
        signal.strength = random.nextInt(100);
        signal.tickId = tickId;
        strategy.sentAt(intended).priority(SIGNAL_PRIORITY).deadlineIn(SIGNAL_DEADLINE_NANOS).dependsOn(tickId);
        final long remoteTick = 0 == (signals++ & 3) ? latestRemoteTick.getAsLong() : 0;
        if (0 != remoteTick)
        {
            strategy.dependsOn(RecordLayout.remoteDependencyNode(remoteTick),
                RecordLayout.remoteDependencyOriginId(remoteTick));
            crossNodeDependencies++;
        }
        return publishUnlessRefused(strategy, SIGNAL, SIGNAL_WRITER, signal);
    }

    /**
     * A message with dependencies is refused whole when the hold buffer is full under {@code hold.overflow=reject-new}
     * ({@code publish} throws, and the publisher's {@code rejected()} counts it, as the run's report does): the
     * workload goes on without it, as a strategy would drop a signal it could not send.
     *
     * @return the id published, or 0 when refused (a signal refused has no order).
     */
    private <A> long publishUnlessRefused(final Publisher publisher, final int type, final PayloadWriter<A> writer,
        final A data)
    {
        final long refusedBefore = publisher.rejected();
        try
        {
            return lastId = publisher.publish(type, writer, data);
        }
        catch (final IllegalStateException ex)
        {
            if (publisher.rejected() == refusedBefore)
            {
                throw ex; // closed or failed: not a refusal of this message
            }
            return 0;
        }
    }

    private long publishOrder(final long signalId, final long orderId)
    {
        order.orderId = orderId;
        order.instrument = signal.instrument;
        order.side = signal.side;
        order.price = lastPrice[signal.instrument];
        order.quantity = 1 + random.nextInt(100);
        order.signalId = signalId;
        publishUnlessRefused(oms.sentAt(intended).priority(ORDER_PRIORITY).deadlineIn(ORDER_DEADLINE_NANOS)
            .dependsOn(signalId), ORDER, ORDER_WRITER, order);
        return signalId;
    }

    private static void awaitUntil(final long deadline)
    {
        long remaining;
        while ((remaining = deadline - System.nanoTime()) > 0)
        {
            if (!SPIN)
            {
                LockSupport.parkNanos(remaining);
            }
            else if (remaining > SPIN_BELOW_NANOS)
            {
                LockSupport.parkNanos(remaining - SPIN_BELOW_NANOS);
            }
            else
            {
                Thread.onSpinWait();
            }
        }
    }
}
