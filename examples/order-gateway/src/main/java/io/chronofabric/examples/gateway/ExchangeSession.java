package io.chronofabric.examples.gateway;

import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in for an exchange connection: it takes orders, and every {@code busyEvery}-th attempt it is busy and
 * refuses (the engine retries). Called on the engine's delivery thread only.
 */
public final class ExchangeSession
{
    /** Thrown when the session cannot take an order right now. */
    public static final class BusyException extends Exception
    {
        private static final long serialVersionUID = 1L;

        BusyException(final long orderId)
        {
            super("exchange busy, order " + orderId + " not taken");
        }
    }

    /** An order as the exchange received it. */
    public record SentOrder(long orderId, long quoteId, int instrument, long quantity, long price)
    {
    }

    private final int busyEvery;
    private final List<SentOrder> sent = new ArrayList<>();
    private long attempts;

    /** @param busyEvery every this many attempts is refused; 0 for never. */
    public ExchangeSession(final int busyEvery)
    {
        this.busyEvery = busyEvery;
    }

    synchronized void send(final long orderId, final long quoteId, final int instrument, final long quantity, final long price)
        throws BusyException
    {
        if (0 != busyEvery && 0 == ++attempts % busyEvery)
        {
            throw new BusyException(orderId);
        }
        sent.add(new SentOrder(orderId, quoteId, instrument, quantity, price));
    }

    /** @return orders taken so far. */
    public synchronized int sent()
    {
        return sent.size();
    }

    /** @return a copy of the orders taken, in the order they were taken. */
    public synchronized List<SentOrder> orders()
    {
        return List.copyOf(sent);
    }
}
