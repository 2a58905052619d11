package io.chronofabric.perf.systems;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.chronofabric.perf.spi.SystemSpec;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * An Aeron media driver embedded in this process and one client connected to it, both in a folder of their own:
 * the driver runs its conductor, sender and receiver on one thread ({@link ThreadingMode#SHARED}) that backs off to
 * parking when idle, and the client's conductor sleeps between its duties, so on a 2-core machine only the threads
 * that have work (sender, driver, receiver) compete for the cores. Closing it closes the client, then the driver, and
 * deletes the folder.
 */
final class EmbeddedAeron implements AutoCloseable
{
    /** Spins, then yields, then parks from 1 µs doubling up to 100 µs: bounded wake-up, no core held when idle. */
    static final long MAX_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    private final Path dir;
    private final MediaDriver driver;
    private final Aeron aeron;

    /**
     * @param dir     the driver's folder ({@code aeron.dir}): must not be shared with another driver; deleted on close.
     * @param threads where the driver's and the client's threads come from (named {@code driver} and {@code client}).
     */
    EmbeddedAeron(final Path dir, final WorkerThreads threads)
    {
        this.dir = dir;
        final String aeronDir = dir.toAbsolutePath().toString();
        this.driver = MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(aeronDir)
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(newIdleStrategy())
            .sharedThreadFactory(threads.named("driver"))
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
        try
        {
            this.aeron = Aeron.connect(new Aeron.Context()
                .aeronDirectoryName(aeronDir)
                .threadFactory(threads.named("client")));
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(driver);
            throw ex;
        }
    }

    /** @return a new idle strategy for a thread that polls: spins, yields, then parks up to {@link #MAX_PARK_NANOS}. */
    static IdleStrategy newIdleStrategy()
    {
        return new BackoffIdleStrategy(100, 10, TimeUnit.MICROSECONDS.toNanos(1), MAX_PARK_NANOS);
    }

    /** @return the connected client. */
    Aeron aeron()
    {
        return aeron;
    }

    /**
     * Finds a UDP port on the loopback address that is free now (the operating system picks it; another process could
     * take it before the driver binds it, which would fail the trial, not hide an error).
     *
     * @return the port.
     */
    static int freeLoopbackUdpPort()
    {
        try (LoopbackPort port = LoopbackPort.reserve())
        {
            return port.port();
        }
    }

    /** Closes the client, then the driver (each waits for its thread to end), then deletes the folder. */
    @Override
    public void close()
    {
        try
        {
            CloseHelper.closeAll(aeron, driver);
        }
        finally
        {
            SystemSpec.deleteRecursively(dir);
        }
    }
}
