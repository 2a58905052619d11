package io.chronofabric.examples.gateway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.api.DeadLetter;
import io.chronofabric.engine.api.EngineStats;
import io.chronofabric.engine.api.Message;
import io.chronofabric.engine.api.PayloadWriter;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.api.RetryPolicy;
import io.chronofabric.engine.config.EngineConfiguration;

/**
 * A small order gateway embedding ChronoFabric. A price feed publishes quotes; for every fourth quote a strategy
 * publishes an order that depends on it (delivered only after the quote), with a high priority and a deadline. Orders
 * go to an exchange session with guaranteed delivery: the session is sometimes busy and throws, and the engine retries
 * it; an order it still cannot take is dead-lettered, and the gateway's dead-letter handler records it.
 */
public final class OrderGateway implements AutoCloseable
{
    /** Message type of a quote: instrument (int), price in ticks (long). */
    public static final int QUOTE = 1;
    /** Message type of an order: instrument (int), quantity (long), limit price in ticks (long). */
    public static final int ORDER = 2;
    /** Orders go ahead of quotes when both are ready. */
    public static final int ORDER_PRIORITY = 200;
    /** An order is worth sending for this long after the strategy decides. */
    public static final long ORDER_DEADLINE_NANOS = 5_000_000;

    private static final PayloadWriter<long[]> QUOTE_WRITER =
        (quote, payload) -> payload.putInt((int)quote[0]).putLong(quote[1]);
    private static final PayloadWriter<long[]> ORDER_WRITER =
        (order, payload) -> payload.putInt((int)order[0]).putLong(order[1]).putLong(order[2]);

    private final ChronoFabric engine;
    private final ExchangeSession session;
    private final AtomicLong lastQuotePrice = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private final Publisher feed;
    private final Publisher strategy;
    private final long[] quote = new long[2];
    private final long[] order = new long[3];

    /**
     * Starts the engine on a journal folder and subscribes the gateway's handlers.
     *
     * @param journal the journal folder (created if absent; a second gateway on it is refused).
     * @param session the exchange session orders are sent to.
     */
    public OrderGateway(final Path journal, final ExchangeSession session)
    {
        this.session = session;
        final EngineConfiguration settings = EngineConfiguration.builder().journalDir(journal).payloadCapacity(64).build();
        this.engine = ChronoFabric.start(settings, started ->
        {
            started.subscribe(QUOTE, this::onQuote);
            started.subscribe(ORDER, this::onOrder, RetryPolicy.attempts(3));
            started.subscribeDeadLetters(this::onDeadLetter);
        });
        this.feed = engine.newPublisher(1);
        this.strategy = engine.newPublisher(2);
    }

    /**
     * Publishes {@code quotes} quotes over {@code instruments} instruments, and an order after every fourth quote,
     * depending on it.
     *
     * @param quotes      how many quotes.
     * @param instruments how many instruments.
     * @return the id of the last message published.
     */
    public long trade(final int quotes, final int instruments)
    {
        long last = 0;
        for (int i = 0; i < quotes; i++)
        {
            quote[0] = i % instruments;
            quote[1] = 10_000 + (i % 100);
            final long quoteId = feed.publish(QUOTE, QUOTE_WRITER, quote);
            last = quoteId;
            if (3 == i % 4)
            {
                order[0] = quote[0];
                order[1] = 100;
                order[2] = quote[1];
                last = strategy.dependsOn(quoteId).priority(ORDER_PRIORITY).deadlineIn(ORDER_DEADLINE_NANOS)
                    .publish(ORDER, ORDER_WRITER, order);
            }
        }
        return last;
    }

    /**
     * Waits until every message up to {@code id} is settled: delivered or dead-lettered for every subscriber.
     *
     * @param id            a published message id.
     * @param timeoutMillis how long to wait at most.
     * @return true when settled in time.
     * @throws InterruptedException when interrupted.
     */
    public boolean awaitSettled(final long id, final long timeoutMillis) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + timeoutMillis;
        while (engine.settledWatermark() < id)
        {
            if (System.currentTimeMillis() > deadline)
            {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }

    /** @return the engine's counters and latencies. */
    public EngineStats stats()
    {
        return engine.stats();
    }

    /** @return orders the gateway dead-lettered. */
    public long deadLetters()
    {
        return deadLetters.get();
    }

    private void onQuote(final Message message)
    {
        lastQuotePrice.set(message.payload().getLong(4));
    }

    private void onOrder(final Message message) throws ExchangeSession.BusyException
    {
        // causal delivery: the quote an order depends on was delivered first
        final long price = message.payload().getLong(12);
        session.send(message.id(), message.dependency(0), message.payload().getInt(0), message.payload().getLong(4),
            price);
    }

    private void onDeadLetter(final DeadLetter deadLetter)
    {
        deadLetters.incrementAndGet();
        System.out.printf("dead letter: order %d, %s after %d attempt(s)%n", deadLetter.message().id(),
            deadLetter.reason(), deadLetter.attempts());
    }

    @Override
    public void close()
    {
        engine.close();
    }

    /**
     * Runs the gateway on a fresh journal and prints its stats.
     *
     * @param args optional: the number of quotes (default 100,000).
     * @throws Exception when it fails.
     */
    public static void main(final String[] args) throws Exception
    {
        final int quotes = 0 == args.length ? 100_000 : Integer.parseInt(args[0]);
        final Path journal = Files.createTempDirectory("order-gateway").resolve("journal");
        final ExchangeSession session = new ExchangeSession(50);
        try (OrderGateway gateway = new OrderGateway(journal, session))
        {
            final long last = gateway.trade(quotes, 16);
            if (!gateway.awaitSettled(last, 30_000))
            {
                throw new IllegalStateException("messages not settled within 30 s");
            }
            final EngineStats stats = gateway.stats();
            System.out.printf("published %d, delivered %d, orders sent %d, dead letters %d, retries %d%n",
                stats.published(), stats.delivered(), session.sent(), gateway.deadLetters(),
                stats.temporal().retries());
            System.out.printf("publish-to-deliver latency: p50 %.1f us, p99 %.1f us, max %.1f us%n",
                stats.endToEnd().p50() / 1e3, stats.endToEnd().p99() / 1e3, stats.endToEnd().max() / 1e3);
            System.out.printf("journal: %s%n", journal);
        }
    }
}
