package io.chronofabric.engine.temporal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.EngineTestSupport;
import io.chronofabric.engine.config.Profiles;
import io.chronofabric.engine.api.Message;
import io.chronofabric.engine.api.MessageHandler;
import io.chronofabric.engine.api.PayloadWriter;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.config.WaitStrategyKind;
import io.chronofabric.journal.DeadLetterJournal;
import io.chronofabric.journal.DeadLetterRecord;
import io.chronofabric.journal.JournalReader;
import io.chronofabric.journal.MessageRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Shared set-up for the temporal sequencing tests: a dev-profile context that never busy-spins (the machines have
 * two cores), payload writers, a way to burn a message id without publishing a message (a "gap" that no message
 * will ever fill, so that whatever depends on it is held), a gate that blocks the single pipeline thread, bounded
 * waits, and journal reading.
 */
final class TemporalTestSupport
{
    /** Longest any test waits for an asynchronous effect. */
    static final long WAIT_MILLIS = 10_000;
    /** Writes the long it is given. */
    static final PayloadWriter<Long> LONG_WRITER = (value, payload) -> payload.putLong(value);
    /**
     * Fails every write. The publisher has already claimed the slot and its id by then; the slot travels as an
     * invalid one every stage skips, so the id is consumed and no message ever carries it.
     */
    static final PayloadWriter<Long> FAILING_WRITER = (value, payload) ->
    {
        throw new IllegalStateException("payload writer failure (test gap " + value + ")");
    };

    private TemporalTestSupport()
    {
    }

    /**
     * The value of one unlabelled sample in a Prometheus scrape, after checking that the scrape declares it of that
     * type.
     *
     * @param text   the scrape's text.
     * @param sample the sample's name, which is also the name its {@code # TYPE} line gives.
     * @param type   {@code counter}, {@code gauge}, ...
     * @return its value.
     */
    static double sampleIn(final String text, final String sample, final String type)
    {
        assertTrue(text.contains("# TYPE " + sample + " " + type), text);
        final Matcher value = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(text);
        assertTrue(value.find(), text);
        return Double.parseDouble(value.group(1));
    }

    /** The dev profile (one pipeline thread, sleeping wait) on a test journal, with a ring of 4096 slots. */
    static EngineConfiguration.Builder context(final Path journalDir)
    {
        return Profiles.builder("dev")
            .journalDir(journalDir)
            .waitStrategy(WaitStrategyKind.SLEEPING)
            .ringSize(4096);
    }

    /**
     * Consumes one id without publishing a message. Only valid while no other thread publishes.
     *
     * @param publisher the publisher.
     * @param type      a valid type.
     * @param lastId    the id the last publish returned.
     * @return the consumed id, {@code lastId + 1}.
     */
    static long publishGap(final Publisher publisher, final int type, final long lastId)
    {
        assertThrows(IllegalStateException.class, () -> publisher.publish(type, FAILING_WRITER, lastId + 1));
        return lastId + 1;
    }

    /**
     * Publishes {@code value} with the given dependencies.
     *
     * @return the id.
     */
    static long publish(final Publisher publisher, final int type, final long value, final long... dependencies)
    {
        for (final long dependency : dependencies)
        {
            publisher.dependsOn(dependency);
        }
        return publisher.publish(type, LONG_WRITER, value);
    }

    static void awaitTrue(final BooleanSupplier condition, final Supplier<String> message)
    {
        awaitTrue(condition, WAIT_MILLIS, message);
    }

    static void awaitTrue(final BooleanSupplier condition, final long millis, final Supplier<String> message)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                fail("timed out after " + millis + " ms: " + message.get());
            }
            sleep(1);
        }
    }

    static void sleep(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
    }

    static void await(final CountDownLatch latch, final String what)
    {
        try
        {
            if (!latch.await(WAIT_MILLIS, TimeUnit.MILLISECONDS))
            {
                fail("timed out after " + WAIT_MILLIS + " ms waiting for " + what);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            fail("interrupted waiting for " + what);
        }
    }

    /** @return every dead letter journaled in the folder, in journal order. */
    static List<DeadLetterRecord> deadLetters(final Path journalDir)
    {
        final List<DeadLetterRecord> records = new ArrayList<>();
        DeadLetterJournal.readAll(journalDir, records::add);
        return records;
    }

    /** @return every message journaled in the folder, in journal order. */
    static List<MessageRecord> journal(final EngineConfiguration context)
    {
        return EngineTestSupport.readJournal(context);
    }

    /**
     * Blocks the delivery thread (which, in the dev layout, is the whole pipeline: journal, sequencer, router and
     * delivery) inside a handler, so that whatever is published meanwhile reaches the journal stage as one batch and
     * the sequencer as one release window.
     */
    static final class Gate implements MessageHandler
    {
        private final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch opened = new CountDownLatch(1);

        @Override
        public void onMessage(final Message message)
        {
            entered.countDown();
            await(opened, "the test to open the gate");
        }

        /** Waits until the pipeline thread is blocked in this gate. */
        void awaitClosedOnPipeline()
        {
            await(entered, "the pipeline thread to enter the gate");
        }

        /** Lets the pipeline thread go on; idempotent. */
        void open()
        {
            opened.countDown();
        }
    }

    static void assertNoCausalityViolations(final long violations, final String context)
    {
        assertEquals(0, violations, "causality_violations must be 0: " + context);
    }
}
