package io.chronofabric.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import io.chronofabric.engine.api.PayloadWriter;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.config.ThreadLayout;
import io.chronofabric.engine.internal.Engine;
import io.chronofabric.journal.Durability;
import io.chronofabric.journal.JournalFiles;
import io.chronofabric.journal.JournalWriter;
import io.chronofabric.journal.MessageRecord;
import io.chronofabric.journal.RecordFlags;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.engine.EngineTestSupport.SEQUENCE_WRITER;
import static io.chronofabric.engine.EngineTestSupport.TYPE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Journal before delivery with one journal document per batch: every path that hands a message to a subscriber (or
 * dead-letters, or settles it) runs only after its document is committed. Where the sequencer runs on the journal's
 * thread, a message handed on while its id is above the acknowledged watermark (without the sync policy, exactly the
 * last committed id) would be one whose document is still open, and a crash then would leave it delivered and not
 * journaled. Each scenario runs in the fused layout, with the sequencer on the journal's thread and delivery apart,
 * and with the sequencer on a thread of its own.
 */
class BatchDocumentReleaseTest
{
    private static final PayloadWriter<Object> REJECTED = (data, payload) ->
    {
        throw new IllegalArgumentException("rejected on purpose: travels as an invalid slot");
    };

    @TempDir
    Path dir;

    /** One delivery (or dead letter) seen on the pipeline thread, with the watermarks at that moment. */
    private record Seen(long id, long acknowledged, long settled, long onDisk)
    {
    }

    private static EngineConfiguration.Builder context(final Path journal, final String layout)
    {
        return EngineTestSupport.context(journal).durability(Durability.NONE).threadLayout(ThreadLayout.parse(layout));
    }

    /**
     * Publishes one message from a thread of its own whose payload writer waits until {@code release} opens: its ring
     * slot is claimed but not published, so the pipeline cannot pass it, and whatever is published behind it meanwhile
     * reaches the journal stage in the same Disruptor batch.
     */
    private static Thread holdSlot(final Publisher publisher, final Consumer<Publisher> options,
        final CountDownLatch inWriter, final CountDownLatch release, final AtomicReference<Long> id)
    {
        final Thread thread = new Thread(() ->
        {
            options.accept(publisher);
            id.set(publisher.publish(TYPE, (data, payload) ->
            {
                inWriter.countDown();
                try
                {
                    release.await(10, TimeUnit.SECONDS);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
                payload.putInt(9).putLong(0);
            }, null));
        }, "slot-holder");
        thread.start();
        return thread;
    }

    private static void rejectOne(final Publisher publisher)
    {
        try
        {
            publisher.publish(TYPE, REJECTED, null);
            fail("the writer throws");
        }
        catch (final IllegalArgumentException expected)
        {
            // the slot (and its id) travels on as an invalid slot
        }
    }

    /**
     * A message whose dependency is already dead is dead-lettered by the sequencer the moment it is admitted
     * (drainCascade releases it at once, not at the window's end). With one document per batch its document is still
     * open: the dead-letter subscriber is handed a message the journal does not hold, and the settlement log is
     * written with a watermark above the last journaled id. A SIGKILL there leaves a dead letter and a settled
     * watermark for an id the journal never had, and that the next engine gives to a new message.
     */
    @ParameterizedTest(name = "layout {0}")
    @ValueSource(strings = {"journal+sequencer+router+delivery", "journal+sequencer|router+delivery",
        "journal|sequencer+router+delivery"})
    void aMessageDeadLetteredOnArrivalIsHandedOnOnlyOnceItsDocumentIsCommitted(final String layout) throws Exception
    {
        final EngineConfiguration context = context(dir, layout).holdTimeoutNanos(TimeUnit.MILLISECONDS.toNanos(50)).build();
        final List<Seen> deadLetters = new CopyOnWriteArrayList<>();
        try (Engine engine = EngineTestSupport.startRunning(context))
        {
            engine.subscribe(TYPE, message -> { });
            engine.subscribeDeadLetters(dead ->
            {
                final long id = dead.message().id();
                final long acknowledged = engine.acknowledgedId();
                final long onDisk = id > acknowledged ? JournalFiles.countRecords(context.journalDir()) : -1;
                deadLetters.add(new Seen(id, acknowledged, engine.settledWatermark(), onDisk));
            });
            final Publisher publisher = engine.newPublisher(1);
            final long first = publisher.publish(TYPE, SEQUENCE_WRITER, new long[] {1, 0});
            rejectOne(publisher);
            final long never = first + 1;
            // held for an id that never comes: dead-lettered (dependency_timeout) once hold.timeout passes
            final long dead = publisher.dependsOn(never).publish(TYPE, SEQUENCE_WRITER, new long[] {1, 1});
            EngineTestSupport.awaitTrue(() -> 1 == engine.temporal().deadLettersTotal(), 10_000,
                () -> "message " + dead + " timed out in the hold buffer");

            // one batch: [y1 -> dead, y2 -> dead, z]
            final CountDownLatch inWriter = new CountDownLatch(1);
            final CountDownLatch release = new CountDownLatch(1);
            final AtomicReference<Long> y1 = new AtomicReference<>();
            final Thread holder = holdSlot(engine.newPublisher(2), p -> p.dependsOn(dead), inWriter, release, y1);
            assertTrue(inWriter.await(10, TimeUnit.SECONDS));
            final long y2 = publisher.dependsOn(dead).publish(TYPE, SEQUENCE_WRITER, new long[] {1, 2});
            final long z = publisher.publish(TYPE, SEQUENCE_WRITER, new long[] {1, 3});
            release.countDown();
            holder.join(10_000);
            EngineTestSupport.awaitTrue(() -> 3 == deadLetters.size() && engine.acknowledgedId() >= z, 10_000,
                () -> "dead letters " + deadLetters);

            assertEquals(List.of(dead, y1.get(), y2), deadLetters.stream().map(Seen::id).toList());
            for (final Seen seen : deadLetters)
            {
                assertTrue(seen.id() <= seen.acknowledged(), () -> "dead letter of message " + seen.id() +
                    " handed to the dead-letter subscriber while the acknowledged (committed) id was " +
                    seen.acknowledged() + "; the journal on disk then held " + seen.onDisk() +
                    " records, not this one (all seen: " + deadLetters + ")");
                assertTrue(seen.settled() <= seen.acknowledged(), () -> "settled watermark " + seen.settled() +
                    " persisted above the last journaled id " + seen.acknowledged() + " (all seen: " + deadLetters +
                    ")");
            }
        }
    }

    /**
     * The journal stage and the sequencer count a window's messages apart. A batch that ends on a rejected publish
     * (an invalid slot) resets the journal's count (onBatchEndWithoutMessage), but the sequencer resets its count only
     * when it releases something: with nothing ready (the batch's message was held) its count carries on into the next
     * batch, so it ends that window, and releases, before the journal stage commits the document.
     */
    @ParameterizedTest(name = "layout {0}")
    @ValueSource(strings = {"journal+sequencer+router+delivery", "journal+sequencer|router+delivery",
        "journal|sequencer+router+delivery"})
    void afterABatchEndingOnARejectedPublishNothingIsReleasedBeforeItsDocumentIsCommitted(final String layout) throws Exception
    {
        final EngineConfiguration context = context(dir, layout).sequencerWindow(2)
            .holdTimeoutNanos(TimeUnit.SECONDS.toNanos(60)).build();
        final List<Seen> delivered = new CopyOnWriteArrayList<>();
        try (Engine engine = EngineTestSupport.startRunning(context))
        {
            engine.subscribe(TYPE, message ->
            {
                final long acknowledged = engine.acknowledgedId();
                final long onDisk = message.id() > acknowledged ? JournalFiles.countRecords(context.journalDir()) : -1;
                delivered.add(new Seen(message.id(), acknowledged, engine.settledWatermark(), onDisk));
            });
            final Publisher publisher = engine.newPublisher(1);
            final long first = publisher.publish(TYPE, SEQUENCE_WRITER, new long[] {1, 0});
            rejectOne(publisher);
            final long never = first + 1;
            EngineTestSupport.awaitTrue(() -> 1 == delivered.size(), 10_000, () -> "first delivery");

            // one batch: [held (waits for an id that never comes), rejected publish]
            CountDownLatch inWriter = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            final AtomicReference<Long> held = new AtomicReference<>();
            Thread holder = holdSlot(engine.newPublisher(2), p -> p.dependsOn(never), inWriter, release, held);
            assertTrue(inWriter.await(10, TimeUnit.SECONDS));
            rejectOne(publisher);
            release.countDown();
            holder.join(10_000);
            EngineTestSupport.awaitTrue(() -> 1 == engine.temporal().held(), 10_000, () -> "one held");
            Thread.sleep(50);

            // next batch: [n1 .. n5], window 2
            inWriter = new CountDownLatch(1);
            release = new CountDownLatch(1);
            final AtomicReference<Long> n1 = new AtomicReference<>();
            holder = holdSlot(engine.newPublisher(3), p -> { }, inWriter, release, n1);
            assertTrue(inWriter.await(10, TimeUnit.SECONDS));
            for (int i = 2; i <= 5; i++)
            {
                publisher.publish(TYPE, SEQUENCE_WRITER, new long[] {1, i});
            }
            release.countDown();
            holder.join(10_000);
            EngineTestSupport.awaitTrue(() -> 6 == delivered.size(), 10_000, () -> "delivered " + delivered);

            for (final Seen seen : delivered)
            {
                assertTrue(seen.id() <= seen.acknowledged(), () -> "message " + seen.id() + " delivered while the " +
                    "acknowledged (committed) id was " + seen.acknowledged() + "; the journal on disk then held " +
                    seen.onDisk() + " records, not this one (all: " + delivered + ")");
            }
        }
    }

    /**
     * Recovery feeds the unsettled tail through the ring and forces BATCH_END on its last record, where the sequencer
     * ends its window; the journal stage does not count from there but from its Disruptor batch's start. When the
     * first new publishes share a Disruptor batch with the tail of the recovered records, the sequencer ends its
     * window {@code sequencer.window} messages after the last recovered record, past the journal stage's commit
     * point: it releases messages of a document still open.
     */
    @ParameterizedTest(name = "layout {0}")
    @ValueSource(strings = {"journal+sequencer+router+delivery", "journal+sequencer|router+delivery",
        "journal|sequencer+router+delivery"})
    void newPublishesSharingABatchWithTheRecoveredTailAreReleasedOnlyOnceTheirDocumentIsCommitted(final String layout) throws Exception
    {
        final int recovered = 3_000;
        final int live = 400;
        for (int round = 0; round < 20; round++)
        {
            final Path journal = dir.resolve("round-" + round);
            Files.createDirectories(journal);
            final EngineConfiguration context = context(journal, layout).sequencerWindow(4).build();
            writeUnsettled(context, recovered);
            final List<Seen> early = new CopyOnWriteArrayList<>();
            final long[] newDelivered = new long[1];
            try (Engine engine = Engine.start(context, starting -> starting.subscribe(TYPE, message ->
            {
                if (message.id() <= recovered)
                {
                    // a little work per recovered message, so that the ring still holds recovered ones when the
                    // first new publishes arrive (they then share a Disruptor batch)
                    final long until = System.nanoTime() + 5_000;
                    while (System.nanoTime() < until)
                    {
                        Thread.onSpinWait();
                    }
                }
                else
                {
                    newDelivered[0]++;
                    final long acknowledged = starting.acknowledgedId();
                    if (message.id() > acknowledged && early.isEmpty())
                    {
                        early.add(new Seen(message.id(), acknowledged, starting.settledWatermark(),
                            JournalFiles.countRecords(context.journalDir())));
                    }
                }
            })))
            {
                final Publisher publisher = engine.newPublisher(1);
                for (int i = 0; i < live; i++)
                {
                    publisher.publish(TYPE, SEQUENCE_WRITER, new long[] {1, i});
                }
                EngineTestSupport.awaitTrue(() -> live == newDelivered[0], 20_000,
                    () -> "new messages delivered: " + newDelivered[0]);
            }
            if (!early.isEmpty())
            {
                final Seen seen = early.get(0);
                fail("round " + round + ": message " + seen.id() + " (published after a restart that recovered " +
                    recovered + " unsettled messages) was delivered while the acknowledged (committed) id was " +
                    seen.acknowledged() + "; the journal on disk then held " + seen.onDisk() + " records");
            }
        }
    }

    /** A journal of {@code count} records, one per document, each the end of its batch, with no settlement log. */
    private static void writeUnsettled(final EngineConfiguration context, final int count)
    {
        final MessageRecord record = new MessageRecord(context.maxDependencies(), context.payloadCapacity());
        final long wall = System.currentTimeMillis() * 1_000_000L - 10_000_000_000L;
        try (JournalWriter writer = new JournalWriter(context.journalDir(), context.rollCycle(), Durability.NONE,
            context.journalBlockSize(), context.maxDependencies(), context.payloadCapacity()))
        {
            for (int i = 1; i <= count; i++)
            {
                record.clear();
                record.id(i).type(TYPE).source(1).originNode(context.nodeId()).originId(i).hlc(wall + i, 0)
                    .flags(RecordFlags.BATCH_END | (0 == (i & 1) ? RecordFlags.BATCH_PARITY : 0));
                record.payloadLength(0);
                writer.append(record);
            }
        }
    }
}
