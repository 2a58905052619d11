package io.chronofabric.examples.gateway;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.chronofabric.engine.api.EngineStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrderGatewayTest
{
    private static final int QUOTES = 20_000;
    private static final int ORDERS = QUOTES / 4;

    @TempDir
    Path dir;

    @Test
    void everyOrderReachesTheExchangeOnceAfterItsQuoteDespiteABusySession() throws Exception
    {
        final ExchangeSession session = new ExchangeSession(7);
        final EngineStats stats;
        try (OrderGateway gateway = new OrderGateway(dir.resolve("journal"), session))
        {
            final long last = gateway.trade(QUOTES, 8);
            assertTrue(gateway.awaitSettled(last, 30_000), "everything settles");
            stats = gateway.stats();
            assertEquals(0, gateway.deadLetters(), "three attempts always get past a session busy every 7th");
        }
        final List<ExchangeSession.SentOrder> orders = session.orders();
        assertEquals(ORDERS, orders.size());
        final Set<Long> ids = new HashSet<>();
        for (final ExchangeSession.SentOrder order : orders)
        {
            assertTrue(ids.add(order.orderId()), "order " + order.orderId() + " sent twice");
            assertTrue(order.quoteId() < order.orderId(), "an order depends on an earlier quote");
        }
        assertEquals(QUOTES + ORDERS, stats.published());
        assertEquals(0, stats.dropped());
        assertTrue(stats.temporal().retries() > 0, "the busy session was retried");
    }

    @Test
    void anOrderTheSessionNeverTakesIsDeadLetteredNotLost() throws Exception
    {
        final ExchangeSession alwaysBusy = new ExchangeSession(1);
        try (OrderGateway gateway = new OrderGateway(dir.resolve("journal"), alwaysBusy))
        {
            final long last = gateway.trade(40, 4);
            assertTrue(gateway.awaitSettled(last, 30_000), "everything settles");
            assertEquals(10, gateway.deadLetters());
        }
        assertEquals(0, alwaysBusy.sent());
    }

    @Test
    void aSecondGatewayOnTheSameJournalIsRefused()
    {
        try (OrderGateway first = new OrderGateway(dir.resolve("journal"), new ExchangeSession(0)))
        {
            assertThrows(RuntimeException.class, () -> new OrderGateway(dir.resolve("journal"),
                new ExchangeSession(0)).close());
        }
    }
}
