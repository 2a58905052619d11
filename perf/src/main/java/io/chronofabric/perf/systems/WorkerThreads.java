package io.chronofabric.perf.systems;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;

/**
 * A thread factory that names its daemon threads and remembers them, so that the harness can account their CPU
 * time and allocation.
 */
final class WorkerThreads implements ThreadFactory
{
    private static final long JOIN_TIMEOUT_MILLIS = 10_000;

    private final String prefix;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    WorkerThreads(final String prefix)
    {
        this.prefix = prefix;
    }

    @Override
    public Thread newThread(final Runnable runnable)
    {
        final Thread thread = new Thread(runnable, prefix + "-" + (threads.size() + 1));
        thread.setDaemon(true);
        threads.add(thread);
        return thread;
    }

    /**
     * A factory for one role's threads, named {@code <prefix>-<role>} and remembered with the others. The thread sets
     * its own name again when it starts, so that a library which renames the threads it gets from a factory (Agrona's
     * {@code AgentRunner} names them after their agent) still shows the harness's name in the report.
     *
     * @param role what the thread does, e.g. {@code driver}.
     * @return the factory.
     */
    ThreadFactory named(final String role)
    {
        final String name = prefix + "-" + role;
        return runnable ->
        {
            final Thread thread = new Thread(() ->
            {
                Thread.currentThread().setName(name);
                runnable.run();
            }, name);
            thread.setDaemon(true);
            threads.add(thread);
            return thread;
        };
    }

    /** Waits for every thread to end (after it ran its stages' shutdown), so that their files can be closed. */
    void joinAll()
    {
        for (final Thread thread : threads)
        {
            try
            {
                thread.join(JOIN_TIMEOUT_MILLIS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + thread.getName() + " to end", ex);
            }
            if (thread.isAlive())
            {
                throw new IllegalStateException(thread.getName() + " did not end within " + JOIN_TIMEOUT_MILLIS + " ms");
            }
        }
    }

    List<Thread> threads()
    {
        return List.copyOf(threads);
    }
}
