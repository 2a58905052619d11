package io.chronofabric.cli.common;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * What the journal tool does about Chronicle's own log lines.
 */
public final class ChronicleLogging
{
    /** The logger of Chronicle's queue metadata, which warns when it overrides the roll cycle it was opened with. */
    static final String METADATA_LOGGER = "net.openhft.chronicle.queue.impl.single.SCQMeta";

    private ChronicleLogging()
    {
    }

    /**
     * Stops Chronicle's "Overriding roll length/epoch/time from existing metadata" warnings, for this process. The
     * journal tool opens a queue without knowing its roll cycle, on purpose, so that Chronicle takes it from the
     * queue's metadata: the override is what is wanted, and on a journal not rolled daily Chronicle warned at every
     * open (dozens of lines per command, before its output). Only the tool calls this: an engine opening a journal with
     * a roll cycle other than the one it was written with keeps the warning. Errors of that logger still show.
     */
    public static void quietMetadataOverrides()
    {
        Configurator.setLevel(METADATA_LOGGER, Level.ERROR);
    }
}
