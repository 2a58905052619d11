package io.chronofabric.cli.journal;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs one read of Chronicle's metadata on a thread of its own. Chronicle's own scans (for the last index, or the
 * message count of a cycle) walk document headers; in a damaged file they can read past the end of the mapped file,
 * a fault the JVM raises asynchronously (see {@link JournalSubcommand}). Confined to its own thread, such a fault
 * costs only that one fact, and the tool still reports what it read record by record. A read that does not finish
 * within {@link #TIMEOUT_MILLIS} (a fault can leave one of Chronicle's locks held) is abandoned: the thread is a
 * daemon, so it cannot keep the tool from exiting.
 */
final class Isolated
{
    /** How long one metadata read may take; a healthy one takes milliseconds. */
    static final long TIMEOUT_MILLIS = 30_000;

    private Isolated()
    {
    }

    /**
     * @param name  names the thread.
     * @param read  the read.
     * @param <T>   what it returns.
     * @return the value read.
     * @throws IllegalStateException wrapping whatever the read threw or faulted with.
     */
    static <T> T read(final String name, final Supplier<T> read)
    {
        final AtomicReference<T> value = new AtomicReference<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread thread = new Thread(() ->
        {
            try
            {
                value.set(read.get());
            }
            catch (final Throwable thrown)
            {
                failure.compareAndSet(null, thrown);
            }
        }, "cf-journal-" + name);
        thread.setUncaughtExceptionHandler((t, thrown) -> failure.compareAndSet(null, thrown));
        thread.setDaemon(true);
        thread.start();
        try
        {
            thread.join(TIMEOUT_MILLIS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + name, ex);
        }
        if (thread.isAlive())
        {
            throw new IllegalStateException("Chronicle's read of the " + name + " did not finish within " +
                TIMEOUT_MILLIS + " ms");
        }
        final Throwable thrown = failure.get();
        if (null != thrown)
        {
            throw new IllegalStateException(thrown.toString(), thrown);
        }
        return value.get();
    }
}
