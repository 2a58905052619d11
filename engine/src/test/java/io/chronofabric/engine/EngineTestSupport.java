package io.chronofabric.engine;

import io.chronofabric.engine.internal.Engine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import io.chronofabric.journal.JournalFiles;
import io.chronofabric.journal.JournalReader;
import io.chronofabric.journal.MessageRecord;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import io.chronofabric.engine.api.PayloadWriter;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.config.WaitStrategyKind;

/**
 * Shared set-up for the engine tests: a context fit for a 2-core machine (a wait strategy that never busy-spins),
 * stateless payload writers, journal reading, pipeline-thread lookup and temporary-folder removal.
 */
public final class EngineTestSupport
{
    /** The message type the tests publish. */
    public static final int TYPE = 7;
    /** Writes {@code data[0]} as an int (a publisher number) then {@code data[1]} as a long (its sequence number). */
    public static final PayloadWriter<long[]> SEQUENCE_WRITER = (data, payload) -> payload.putInt((int)data[0]).putLong(data[1]);
    /** Writes the whole array. */
    static final PayloadWriter<byte[]> BYTES_WRITER = (data, payload) -> payload.put(data);

    private EngineTestSupport()
    {
    }

    static EngineConfiguration.Builder context(final Path journalDir)
    {
        return EngineConfiguration.builder()
            .profile("test")
            .journalDir(journalDir)
            .waitStrategy(WaitStrategyKind.SLEEPING)
            .ringSize(1024)
            .payloadCapacity(64);
    }

    /**
     * Starts an engine and makes sure each of its pipeline threads runs (has taken its stage name, which its
     * {@code onStart} does once the Disruptor processor is running) before the test goes on.
     *
     * <p>Why: in the first engine commit, {@link ChronoFabric#close()} drained through {@code Disruptor.shutdown},
     * whose backlog check skips processors that are not running yet, so an engine closed before its threads got going
     * lost every accepted message ({@code CloseTest.shouldJournalAndDeliverMessagesPublishedRightAfterStartWhenClosedAtOnce}
     * tests that on its own). The tests of other behaviours start engines this way so that they test what they name,
     * whichever way that race goes.
     */
    static Engine startRunning(final EngineConfiguration context)
    {
        final Set<Thread> before = pipelineThreads();
        final Engine engine = Engine.start(context);
        threadsStartedSince(before, engine, context.threadLayout().threadCount());
        return engine;
    }

    /** Reads the int written by {@link #SEQUENCE_WRITER}. */
    static int publisherOf(final ByteBuffer payload)
    {
        return payload.getInt(0);
    }

    /** Reads the long written by {@link #SEQUENCE_WRITER}. */
    static long sequenceOf(final ByteBuffer payload)
    {
        return payload.getLong(4);
    }

    /**
     * @param context the engine's settings (journal folder and capacities).
     * @return every message journaled in the folder, in journal order.
     */
    public static List<MessageRecord> readJournal(final EngineConfiguration context)
    {
        final List<MessageRecord> records = new ArrayList<>();
        try (JournalReader reader = new JournalReader(context.journalDir(), context.maxDependencies(),
            context.payloadCapacity()))
        {
            while (true)
            {
                final MessageRecord record = new MessageRecord(context.maxDependencies(), context.payloadCapacity());
                if (!reader.next(record))
                {
                    return records;
                }
                records.add(record);
            }
        }
    }

    /** @return the live threads whose name starts with {@code cf-}. */
    static Set<Thread> pipelineThreads()
    {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(thread -> thread.getName().startsWith("cf-") && thread.isAlive())
            .collect(Collectors.toSet());
    }

    /**
     * @param before the pipeline threads alive before the engine started.
     * @param count  how many the engine starts.
     * @return the engine's threads, once each has taken its stage name.
     */
    static List<Thread> threadsStartedSince(final Set<Thread> before, final Engine engine, final int count)
    {
        final Set<String> names = engine.threads().stream().map(group -> group.threadName()).collect(Collectors.toSet());
        final List<Thread> started = new ArrayList<>();
        awaitTrue(() ->
        {
            started.clear();
            for (final Thread thread : pipelineThreads())
            {
                if (!before.contains(thread) && names.contains(thread.getName()))
                {
                    started.add(thread);
                }
            }
            return started.size() == count;
        }, 10_000, () -> "pipeline threads named " + names + " did not start; found " + started);
        return started;
    }

    static void awaitTrue(final BooleanSupplier condition, final long timeoutMillis,
        final java.util.function.Supplier<String> message)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                fail("timed out after " + timeoutMillis + " ms: " + message.get());
            }
            try
            {
                Thread.sleep(1);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    static void join(final Thread thread, final long timeoutMillis) throws InterruptedException
    {
        thread.join(timeoutMillis);
        assertTrue(!thread.isAlive(), () -> "thread " + thread.getName() + " still running after " + timeoutMillis +
            " ms");
    }

    /**
     * Deletes a folder and everything in it, for properties that make their own temporary folders (jqwik has no
     * {@code @TempDir}); best effort: a leftover temporary folder must not fail a test.
     */
    public static void deleteQuietly(final Path folder)
    {
        try
        {
            JournalFiles.deleteFolder(folder);
        }
        catch (final IOException | UncheckedIOException ex)
        {
            // left for the OS's temporary-file cleanup
        }
    }
}
