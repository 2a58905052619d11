package io.chronofabric.cli.crash;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;

import io.chronofabric.cli.workload.TradingWorkload;
import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.api.Message;
import io.chronofabric.engine.api.MessageHandler;
import io.chronofabric.engine.api.RetryPolicy;
import io.chronofabric.engine.api.Subscription;

import static io.chronofabric.cli.workload.TradingMessages.ORDER;
import static io.chronofabric.cli.workload.TradingMessages.SIGNAL;
import static io.chronofabric.cli.workload.TradingMessages.TICK;

/**
 * The trading workload's five subscribers as the crash victim runs them, mirroring
 * {@link io.chronofabric.cli.workload.TradingSubscribers}: a book builder and a price average on ticks, a signal audit,
 * a risk check and an execution gateway on orders. Two are guaranteed-delivery subscribers with failures decided by
 * message id alone (the same in every incarnation): the audit fails the first attempt for about one signal in ten and
 * every attempt for about one in two hundred (those are dead-lettered, and so must be their orders); the gateway fails
 * the first attempt for about one order in fifty. Each handler appends (subscriber index, id) to the delivery log as
 * the last thing before it returns normally, so the log holds exactly the deliveries that succeeded.
 *
 * <p>Subscribing them in {@link #subscribeAll} order gives subscriber index {@code i} the engine subscriber id
 * {@code i + 1}; that is checked, because the dead letters name engine ids and the delivery log names indexes.
 */
public final class CrashSubscribers
{
    /** Message type of each subscriber, by index: book, average, audit, risk, gateway. */
    static final int[] TYPES = {TICK, TICK, SIGNAL, ORDER, ORDER};
    /** Index of the signal audit. */
    static final int AUDIT = 2;
    /** Index of the execution gateway. */
    static final int GATEWAY = 4;

    private static final RetryPolicy AUDIT_RETRIES = new RetryPolicy(3, 20_000, 200_000, 100_000_000L, 10_000);
    private static final RetryPolicy GATEWAY_RETRIES = new RetryPolicy(3, 20_000, 1_000_000, 1_000_000_000L, 10_000);
    private static final long AUDIT_SALT = 0x5EED_A0D1L;
    private static final long GATEWAY_SALT = 0x5EED_6A7EL;

    private final DeliveryLog log;
    private final long[] bestBid = new long[TradingWorkload.INSTRUMENTS];
    private final long[] averageMid = new long[TradingWorkload.INSTRUMENTS];
    private final long[] netPosition = new long[TradingWorkload.INSTRUMENTS];
    private final Set<Long> auditFailedOnce = new HashSet<>();
    private final Set<Long> gatewayFailedOnce = new HashSet<>();
    private long checksum = 17;

    /** @param log where completed deliveries are recorded. */
    public CrashSubscribers(final DeliveryLog log)
    {
        this.log = log;
    }

    /**
     * Subscribes the five handlers in index order.
     *
     * @param engine the engine, inside {@code ChronoFabric.start(context, subscribeFirst)}.
     * @throws IllegalStateException when subscriber index {@code i} did not get engine id {@code i + 1}.
     */
    public void subscribeAll(final ChronoFabric engine)
    {
        subscribe(engine, 0, this::buildBook, null);
        subscribe(engine, 1, this::averagePrice, null);
        subscribe(engine, AUDIT, this::auditSignal, AUDIT_RETRIES);
        subscribe(engine, 3, this::checkRisk, null);
        subscribe(engine, GATEWAY, this::execute, GATEWAY_RETRIES);
    }

    private void subscribe(final ChronoFabric engine, final int index, final MessageHandler handler,
        final RetryPolicy retries)
    {
        final Subscription subscription = engine.subscribe(TYPES[index], message ->
        {
            handler.onMessage(message);
            log.append(index, message.id());
        }, retries);
        final int id = subscription.id();
        if (index + 1 != id)
        {
            throw new IllegalStateException("subscriber index " + index + " got engine subscriber id " + id +
                ", expected " + (index + 1) + ": dead letters could not be matched to the delivery log");
        }
    }

    private static boolean auditRejectsForGood(final long signalId)
    {
        return 0 == bucket(signalId, AUDIT_SALT, 200);
    }

    private static boolean auditFailsFirstAttempt(final long signalId)
    {
        return bucket(signalId, AUDIT_SALT, 200) < 20;
    }

    private static boolean gatewayFailsFirstAttempt(final long orderId)
    {
        return 0 == bucket(orderId, GATEWAY_SALT, 50);
    }

    private static int bucket(final long id, final long salt, final int buckets)
    {
        final long hash = (id ^ salt) * 0x9E3779B97F4A7C15L;
        return (int)Long.remainderUnsigned(hash >>> 17, buckets);
    }

    private void buildBook(final Message message)
    {
        final ByteBuffer payload = message.payload();
        bestBid[payload.getInt(0)] = payload.getLong(4);
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
        final long id = message.id();
        if (auditRejectsForGood(id))
        {
            throw new IllegalStateException("audit store refuses signal " + id);
        }
        if (auditFailsFirstAttempt(id) && auditFailedOnce.add(id))
        {
            throw new IllegalStateException("audit store busy for signal " + id);
        }
        auditFailedOnce.remove(id);
        checksum = checksum * 31 + message.payload().get(4);
    }

    private void checkRisk(final Message message)
    {
        final ByteBuffer payload = message.payload();
        final int instrument = payload.getInt(8);
        netPosition[instrument] += payload.get(12) > 0 ? payload.getInt(21) : -payload.getInt(21);
    }

    private void execute(final Message message)
    {
        final long id = message.id();
        if (gatewayFailsFirstAttempt(id) && gatewayFailedOnce.add(id))
        {
            throw new IllegalStateException("venue link busy for order " + id);
        }
        gatewayFailedOnce.remove(id);
        checksum = checksum * 1_000_003 + message.payload().getLong(0);
    }

    /** @return an order-sensitive checksum of what the audit and gateway accepted (keeps their work observable). */
    long checksum()
    {
        return checksum + bestBid[0] + averageMid[0] + netPosition[0];
    }
}
