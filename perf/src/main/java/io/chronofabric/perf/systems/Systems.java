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
        switch (kind)
        {
            case CHRONOFABRIC:
                return new ChronoFabricSystem(spec, newDataDir(spec, kind), false);
            case CHRONOFABRIC_LEAN:
                return new ChronoFabricSystem(spec, newDataDir(spec, kind), true);
            case DISRUPTOR:
                return new DisruptorSystem(spec, null);
            case DISRUPTOR_CHRONICLE:
                return new DisruptorSystem(spec, newDataDir(spec, kind));
            case BLOCKING_QUEUE:
                return new BlockingQueueSystem(spec);
            case RAW_AERON:
                return new AeronSystem(spec, newDataDir(spec, kind));
            case CHRONOFABRIC_TWO_NODE:
                return new TwoNodeSystem(spec, newDataDir(spec, kind));
            case CHRONICLE:
            default:
                return new ChronicleSystem(spec, newDataDir(spec, kind));
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
