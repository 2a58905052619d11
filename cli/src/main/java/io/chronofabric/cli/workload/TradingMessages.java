package io.chronofabric.cli.workload;

import io.chronofabric.engine.api.PayloadWriter;

/**
 * The trading workload's message types, sources and payload layouts. Each payload is written by a stateless
 * {@link PayloadWriter} constant from a reusable mutable holder, so generating the load allocates nothing.
 */
public final class TradingMessages
{
    /** Market-data tick: instrument, bid, ask, sizes, feed sequence. */
    public static final int TICK = 1;
    /** Strategy signal derived from a tick: instrument, side, strength, the tick's id. */
    public static final int SIGNAL = 2;
    /** Order derived from a signal: order id, instrument, side, price, quantity, the signal's id. */
    public static final int ORDER = 3;

    /** The market-data feed component. */
    public static final int FEED_SOURCE = 1;
    /** The strategy component. */
    public static final int STRATEGY_SOURCE = 2;
    /** The order-management component. */
    public static final int OMS_SOURCE = 3;
    /** types.max the workload needs: its types are 1 to {@link #ORDER}. */
    public static final int TYPES_NEEDED = ORDER + 1;
    /** payload.capacity the workload needs: its largest payload, a tick (4 + 8 + 8 + 4 + 4 + 8 bytes). */
    public static final int PAYLOAD_NEEDED = 36;
    /** dependencies.max the workload needs on one engine (a signal on its tick, an order on its signal). */
    public static final int DEPENDENCIES_NEEDED = 1;
    /** dependencies.max it needs on a node: a signal may also depend on a peer's tick. */
    public static final int DEPENDENCIES_NEEDED_ON_A_NODE = 2;

    /** Writes a {@link Tick}. */
    public static final PayloadWriter<Tick> TICK_WRITER = (tick, buffer) -> buffer
        .putInt(tick.instrument).putLong(tick.bid).putLong(tick.ask).putInt(tick.bidSize).putInt(tick.askSize)
        .putLong(tick.feedSequence);

    /** Writes a {@link Signal}. */
    public static final PayloadWriter<Signal> SIGNAL_WRITER = (signal, buffer) -> buffer
        .putInt(signal.instrument).put(signal.side).putInt(signal.strength).putLong(signal.tickId);

    /** Writes an {@link Order}. */
    public static final PayloadWriter<Order> ORDER_WRITER = (order, buffer) -> buffer
        .putLong(order.orderId).putInt(order.instrument).put(order.side).putLong(order.price).putInt(order.quantity)
        .putLong(order.signalId);

    private TradingMessages()
    {
    }

    /** A reusable tick holder. */
    public static final class Tick
    {
        int instrument;
        long bid;
        long ask;
        int bidSize;
        int askSize;
        long feedSequence;
    }

    /** A reusable signal holder. */
    public static final class Signal
    {
        int instrument;
        byte side;
        int strength;
        long tickId;
    }

    /** A reusable order holder. */
    public static final class Order
    {
        long orderId;
        int instrument;
        byte side;
        long price;
        int quantity;
        long signalId;
    }
}
