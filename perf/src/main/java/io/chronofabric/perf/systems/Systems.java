package io.chronofabric.perf.systems;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.chronofabric.perf.spi.SystemKind;
import io.chronofabric.perf.spi.SystemSpec;
import io.chronofabric.perf.spi.SystemUnderTest;

/**
 * Starts the system of a kind: the one place that knows which class implements each {@link SystemKind}.
 */
public final class Systems
{
    private Systems()
    {
    }

    /**
     * Starts a system of the given kind on a fresh journal folder.
     *
     * @param spec what the system is built from.
     * @param kind the system.
     * @return the running system; close it to drain, stop and delete its folder.
     */
    public static SystemUnderTest start(final SystemSpec spec, final SystemKind kind)
    {
        final Path dir = SystemKind.DISRUPTOR == kind || SystemKind.BLOCKING_QUEUE == kind ? null :
            newDataDir(spec, kind);
        try
        {
            switch (kind)
            {
                case CHRONOFABRIC:
                    return new ChronoFabricSystem(spec, dir, false);
                case CHRONOFABRIC_LEAN:
                    return new ChronoFabricSystem(spec, dir, true);
                case DISRUPTOR:
                    return new DisruptorSystem(spec, null);
                case DISRUPTOR_CHRONICLE:
                    return new DisruptorSystem(spec, dir);
                case BLOCKING_QUEUE:
                    return new BlockingQueueSystem(spec);
                case RAW_AERON:
                    return new AeronSystem(spec, dir);
                case CHRONOFABRIC_TWO_NODE:
                    return new TwoNodeSystem(spec, dir);
                case CHRONICLE:
                default:
                    return new ChronicleSystem(spec, dir);
            }
        }
        catch (final RuntimeException | Error failed)
        {
            // a system that did not start (an engine refusing too little free space, say) leaves no folder behind
            if (null != dir)
            {
                try
                {
                    SystemSpec.deleteRecursively(dir);
                }
                catch (final RuntimeException notDeleted)
                {
                    failed.addSuppressed(notDeleted);
                }
            }
            throw failed;
        }
    }

    private static Path newDataDir(final SystemSpec spec, final SystemKind kind)
    {
        try
        {
            Files.createDirectories(spec.dataDir());
            return Files.createTempDirectory(spec.dataDir(), "perf-" + kind.label().replace('+', '-') + "-");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create a journal folder under " + spec.dataDir(), ex);
        }
    }
}
