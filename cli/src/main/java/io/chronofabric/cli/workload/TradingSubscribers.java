package io.chronofabric.cli.workload;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import io.chronofabric.engine.internal.Engine;
import io.chronofabric.engine.api.Message;
import io.chronofabric.engine.api.RetryPolicy;
import io.chronofabric.engine.api.Subscription;
import io.chronofabric.journal.RecordLayout;

import static io.chronofabric.cli.workload.TradingMessages.ORDER;
import static io.chronofabric.cli.workload.TradingMessages.SIGNAL;
import static io.chronofabric.cli.workload.TradingMessages.TICK;

/**
 * The workload's subscribers, doing small real work per message without allocating: a book builder and a
 * price-average strategy on ticks, a signal audit, a risk check and an execution gateway on orders. The same
 * subscribers serve {@code run} and journal replay, so their checksums show that both saw the same messages.
 */
public final class TradingSubscribers implements AutoCloseable
{
    /** Three attempts, 20 µs base backoff, 1 ms cap, 1 s overall, 10,000 orders queued behind a retry at most. */
    private static final RetryPolicy GATEWAY_RETRIES = new RetryPolicy(3, 20_000, 1_000_000, 1_000_000_000L, 10_000);

    private final long[] bestBid;
    private final long[] bestAsk;
    private final long[] averageMid;
    private final long[] netPosition;
    private final List<Subscription> subscriptions = new ArrayList<>();
    private long ticks;
    private long signals;
    private long orders;
    private long riskRejections;
    // one per subscriber that mixes: each subscriber sees its messages in an order replay reproduces, but how its
    // deliveries interleave with another's does not repeat (a retried order is delivered again after a backoff)
    private long bookChecksum = 17;
    private long signalChecksum = 17;
    private long gatewayChecksum = 17;
    private long lastRejectedOrder = -1;
    private int localNode;
    private volatile long latestRemoteTick;

    /**
     * @param engine      the engine to subscribe to.
     * @param instruments the number of instruments in the workload.
     */
    public TradingSubscribers(final Engine engine, final int instruments)
    {
        this(instruments);
        subscribeTo(engine);
    }

    /**
     * Subscribers not yet subscribed: pass {@link #subscribeTo} to {@link ChronoFabric#start(
     * io.chronofabric.engine.config.EngineConfiguration, java.util.function.Consumer)} so that they also receive the
     * messages recovered after a crash.
     *
     * @param instruments the number of instruments in the workload.
     */
    public TradingSubscribers(final int instruments)
    {
        bestBid = new long[instruments];
        bestAsk = new long[instruments];
        averageMid = new long[instruments];
        netPosition = new long[instruments];
    }

    /**
     * Subscribes the five subscribers, always in the same order, so that they get the same subscriber ids in every
     * run on a journal (recovery settles messages per subscriber id).
     *
     * @param engine the engine to subscribe to.
     */
    public void subscribeTo(final Engine engine)
    {
        subscriptions.add(engine.subscribe(TICK, this::buildBook));
        subscriptions.add(engine.subscribe(TICK, this::averagePrice));
        subscriptions.add(engine.subscribe(SIGNAL, this::auditSignal));
        subscriptions.add(engine.subscribe(ORDER, this::checkRisk));
        subscriptions.add(engine.subscribe(ORDER, this::execute, GATEWAY_RETRIES));
    }

    private void buildBook(final Message message)
    {
        final ByteBuffer payload = message.payload();
        final int instrument = payload.getInt(0);
        bestBid[instrument] = payload.getLong(4);
        bestAsk[instrument] = payload.getLong(12);
        if (0 != localNode && message.originNode() != localNode)
        {
            latestRemoteTick = RecordLayout.remoteDependency(message.originNode(), message.originId());
        }
        ticks++;
        bookChecksum = mix(bookChecksum, message.id());
    }

    private void averagePrice(final Message message)
    {
        final ByteBuffer payload = message.payload();
        final int instrument = payload.getInt(0);
        final long mid = (payload.getLong(4) + payload.getLong(12)) >> 1;
        averageMid[instrument] = 0 == averageMid[instrument] ? mid : (averageMid[instrument] * 7 + mid) >> 3;
    }

    private void auditSignal(final Message message)
    {
        signals++;
        signalChecksum = mix(signalChecksum, message.id() * 31 + message.payload().get(4));
    }

    private void checkRisk(final Message message)
    {
        final ByteBuffer payload = message.payload();
        final int instrument = payload.getInt(8);
        final long signedQuantity = payload.get(12) > 0 ? payload.getInt(21) : -payload.getInt(21);
        if (Math.abs(netPosition[instrument] + signedQuantity) > 10_000)
        {
            riskRejections++;
            return;
        }
        netPosition[instrument] += signedQuantity;
    }

    /**
     * The execution gateway is the guaranteed-delivery subscriber: its venue link rejects about one order in 500 the
     * first time (deterministically, by order id), and the retry policy sends it again after a jittered backoff.
     */
    private void execute(final Message message)
    {
        final long orderId = message.payload().getLong(0);
        if (0 == orderId % 500 && lastRejectedOrder != orderId)
        {
            lastRejectedOrder = orderId;
            throw new IllegalStateException("venue link busy for order " + orderId);
        }
        orders++;
        gatewayChecksum = mix(gatewayChecksum, orderId);
    }

    private static long mix(final long checksum, final long value)
    {
        return checksum * 1_000_003 + value;
    }

    /**
     * On a node of a deployment: remember the latest tick from another node, for the workload's cross-node
     * dependencies.
     *
     * @param localNode this node's id.
     * @return this.
     */
    public TradingSubscribers onNode(final int localNode)
    {
        this.localNode = localNode;
        return this;
    }

    /** @return the latest tick delivered from another node as a cross-node dependency id, 0 while none. */
    public long latestRemoteTick()
    {
        return latestRemoteTick;
    }

    /** @return ticks the book builder applied. */
    public long ticks()
    {
        return ticks;
    }

    /** @return signals audited. */
    public long signals()
    {
        return signals;
    }

    /** @return orders executed. */
    public long orders()
    {
        return orders;
    }

    /** @return orders the risk check refused for breaching the position limit. */
    public long riskRejections()
    {
        return riskRejections;
    }

    /** @return a checksum of what the subscribers saw, sensitive to the order in which each saw its messages. */
    public long checksum()
    {
        return mix(mix(bookChecksum, signalChecksum), gatewayChecksum);
    }

    @Override
    public void close()
    {
        subscriptions.forEach(Subscription::close);
    }
}
