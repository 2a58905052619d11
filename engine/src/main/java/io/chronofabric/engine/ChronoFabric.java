package io.chronofabric.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.lmax.disruptor.RingBuffer;
import io.chronofabric.engine.clock.HybridClock;
import io.chronofabric.engine.pipeline.DeliveryStage;
import io.chronofabric.engine.pipeline.JournalStage;
import io.chronofabric.engine.pipeline.MessageEvent;
import io.chronofabric.engine.pipeline.Pipeline;
import io.chronofabric.engine.pipeline.PipelineCounters;
import io.chronofabric.engine.pipeline.Router;
import io.chronofabric.engine.pipeline.RoutingTable;
import io.chronofabric.engine.pipeline.StageGroup;
import io.chronofabric.engine.pipeline.Subscriber;
import io.chronofabric.engine.pipeline.TemporalSequencer;
import io.chronofabric.journal.JournalReader;
import io.chronofabric.journal.JournalWriter;
import io.chronofabric.journal.MessageRecord;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The engine an application embeds: publish typed messages, subscribe handlers by type; every message is stamped
 * with a hybrid logical clock, journaled to Chronicle Queue, sequenced, routed and delivered by one Disruptor
 * pipeline.
 *
 * <pre>{@code
 * try (ChronoFabric engine = ChronoFabric.start(EngineSettings.fromProfile("dev").journalDir(dir)))
 * {
 *     engine.subscribe(TICK, message -> book.apply(message.payload()));
 *     Publisher publisher = engine.newPublisher(FEED_SOURCE);     // one per publishing thread
 *     publisher.publish(TICK, TickWriter.INSTANCE, tick);         // zero-allocation path
 * }                                                               // close() drains, flushes and stops
 * }</pre>
 */
public final class ChronoFabric implements AutoCloseable
{
    private static final Logger LOG = LogManager.getLogger(ChronoFabric.class);
    private static final long DRAIN_TIMEOUT_MILLIS = 30_000;

    private final EngineContext context;
    private final HybridClock clock;
    private final PipelineCounters counters = new PipelineCounters();
    private final RoutingTable routes;
    private final Pipeline pipeline;
    private final RingBuffer<MessageEvent> ring;
    private final List<Publisher> publishers = new CopyOnWriteArrayList<>();
    private final PayloadWriter<Object>[] codecWriters;
    private final long idBase;
    private final long startNanos = System.nanoTime();
    private volatile boolean closed;

    private ChronoFabric(final EngineContext context)
    {
        context.validate();
        this.context = context;
        this.clock = new HybridClock(context.wallClock(), context.hlcMaxOffsetNanos(), context.hlcMaxLogical());
        this.routes = new RoutingTable(context.maxMessageTypes());
        this.codecWriters = codecWriters(context);
        this.idBase = resumeFromJournal(context, clock);

        final JournalWriter writer = new JournalWriter(context.journalDir(), context.rollCycle(),
            context.maxDependencies(), context.payloadCapacity());
        this.pipeline = new Pipeline(context, Pipeline.stages(
            new JournalStage(writer, clock, counters),
            new TemporalSequencer(counters),
            new Router(routes),
            new DeliveryStage(counters)));
        this.ring = pipeline.start();
        LOG.info("ChronoFabric started: profile={}, journal={}, ring={}, layout={}, wait={}, resuming after id {}",
            context.profile(), context.journalDir().toAbsolutePath(), context.ringSize(), context.threadLayout(),
            context.waitStrategy().label(), idBase);
    }

    /**
     * Starts an engine: creates the journal folder if needed, resumes ids and the clock above the last journaled
     * message, and starts the pipeline threads.
     *
     * @param context the validated settings.
     * @return the running engine; close it to drain and stop.
     */
    public static ChronoFabric start(final EngineContext context)
    {
        return new ChronoFabric(context);
    }

    /**
     * @param sourceId the id of the component publishing through it.
     * @return a new publisher, for use by one thread.
     */
    public Publisher newPublisher(final int sourceId)
    {
        final Publisher publisher = new Publisher(this, ring, sourceId, context.maxDependencies());
        publishers.add(publisher);
        return publisher;
    }

    /**
     * Subscribes a handler to a message type; it sees every message of that type published after this returns.
     *
     * @param type    the message type.
     * @param handler the handler, invoked on the delivery thread.
     * @return the subscription; close it to unsubscribe.
     */
    public Subscription subscribe(final int type, final MessageHandler handler)
    {
        checkType(type);
        final Subscriber subscriber = new Subscriber(type, handler, routes);
        routes.add(subscriber);
        return subscriber;
    }

    /**
     * Subscribes to decoded objects of a type through its registered codec (the convenient path; decoding
     * allocates as the codec does).
     *
     * @param type     the message type.
     * @param handler  receives each decoded message.
     * @param <T>      the message class.
     * @return the subscription; close it to unsubscribe.
     */
    @SuppressWarnings("unchecked")
    public <T> Subscription subscribeObjects(final int type, final Consumer<T> handler)
    {
        final MessageCodec<T> codec = (MessageCodec<T>)requireCodec(type);
        return subscribe(type, message -> handler.accept(codec.decode(message.payload())));
    }

    /**
     * @return a snapshot of the counters and latencies.
     */
    public EngineStats stats()
    {
        long published = 0;
        long backpressure = 0;
        long rejected = 0;
        for (final Publisher publisher : publishers)
        {
            published += publisher.published();
            backpressure += publisher.backpressureEvents();
            rejected += publisher.rejected();
        }
        final long elapsed = System.nanoTime() - startNanos;
        final long delivered = counters.delivered().get();
        final Map<Stage, LatencySummary> stages = new EnumMap<>(Stage.class);
        for (final Stage stage : Stage.values())
        {
            stages.put(stage, LatencySummary.of(counters.stage(stage).cumulative()));
        }
        return new EngineStats(context.profile(), published, delivered, counters.dropped().get(), rejected,
            backpressure, counters.handlerFailures().get(), counters.unrouted().get(), routes.activeSubscriptions(),
            counters.orderViolations().get(), clock.offsetRejections(), elapsed,
            delivered / Math.max(1e-9, elapsed / 1e9), LatencySummary.of(counters.endToEnd().cumulative()), stages);
    }

    /** @return the settings this engine runs with. */
    public EngineContext context()
    {
        return context;
    }

    /** @return the pipeline's thread groups: names and CPUs. */
    public List<StageGroup> threads()
    {
        return pipeline.groups();
    }

    /** @return ring slots free right now. */
    public long remainingCapacity()
    {
        return pipeline.remainingCapacity();
    }

    /**
     * Stops accepting publishes, waits until every accepted message is journaled and delivered, closes the journal
     * and stops every pipeline thread. Publishers still running get {@link IllegalStateException}.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (!pipeline.drainAndStop(DRAIN_TIMEOUT_MILLIS))
        {
            LOG.error("pipeline did not drain within {} ms; threads halted with messages in flight (all journaled " +
                "messages remain in the journal)", DRAIN_TIMEOUT_MILLIS);
        }
        LOG.info("ChronoFabric closed: {}", stats());
    }

    void checkAccepting(final int type)
    {
        if (closed)
        {
            throw new IllegalStateException("engine is closed");
        }
        final RuntimeException journalFailure = counters.journalFailure();
        if (null != journalFailure)
        {
            throw new IllegalStateException("engine refuses publishes: the journal failed (" + journalFailure + ")");
        }
        checkType(type);
    }

    long idOf(final long sequence)
    {
        return idBase + sequence + 1;
    }

    PayloadWriter<Object> codecWriter(final int type)
    {
        checkType(type);
        final PayloadWriter<Object> writer = codecWriters[type];
        if (null == writer)
        {
            throw new IllegalArgumentException("no codec registered for message type " + type);
        }
        return writer;
    }

    private MessageCodec<?> requireCodec(final int type)
    {
        checkType(type);
        final MessageCodec<?> codec = context.codecFor(type);
        if (null == codec)
        {
            throw new IllegalArgumentException("no codec registered for message type " + type);
        }
        return codec;
    }

    private void checkType(final int type)
    {
        if (type < 0 || type >= context.maxMessageTypes())
        {
            throw new IllegalArgumentException("message type " + type + " is outside [0, " +
                (context.maxMessageTypes() - 1) + "] (types.max=" + context.maxMessageTypes() + ")");
        }
    }

    @SuppressWarnings("unchecked")
    private static PayloadWriter<Object>[] codecWriters(final EngineContext context)
    {
        final PayloadWriter<Object>[] writers = new PayloadWriter[context.maxMessageTypes()];
        for (int type = 0; type < writers.length; type++)
        {
            final MessageCodec<Object> codec = (MessageCodec<Object>)context.codecFor(type);
            if (null != codec)
            {
                writers[type] = (Object message, ByteBuffer payload) -> codec.encode(message, payload);
            }
        }
        return writers;
    }

    private static long resumeFromJournal(final EngineContext context, final HybridClock clock)
    {
        final Path dir = context.journalDir();
        try
        {
            Files.createDirectories(dir);
            try (Stream<Path> files = Files.list(dir))
            {
                if (files.noneMatch(file -> file.getFileName().toString().endsWith(".cq4")))
                {
                    return 0;
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot open journal folder " + dir, ex);
        }
        final MessageRecord last = new MessageRecord(context.maxDependencies(), context.payloadCapacity());
        if (!JournalReader.readLast(dir, last))
        {
            return 0;
        }
        clock.resumeAbove(last.hlcWall(), last.hlcLogical());
        return last.id();
    }
}
