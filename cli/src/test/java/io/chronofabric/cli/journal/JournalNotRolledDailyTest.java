package io.chronofabric.cli.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.chronofabric.journal.JournalFiles;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.cli.UsageErrors.assertRefused;
import static io.chronofabric.cli.UsageErrors.words;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The journal tool on a journal written with a roll cycle other than Chronicle's default: Chronicle takes the roll
 * cycle from the queue's metadata, as the tool means it to, and its warning that it did so (once per queue opened,
 * dozens of lines per command) is not printed; and a malformed argument is refused before the journal is read.
 */
class JournalNotRolledDailyTest
{
    private static final String METADATA_LOGGER = "net.openhft.chronicle.queue.impl.single.SCQMeta";

    @TempDir
    static Path dir;

    private static Path journal;

    @BeforeAll
    static void writeJournal() throws Exception
    {
        journal = dir.resolve("journal");
        Cli.writeJournal(journal, 2_000, "--set", "journal.roll-cycle=TEST_SECONDLY");
    }

    @Test
    void shouldNotPrintChronicleRollCycleOverrideWarnings()
    {
        try (Captured warnings = new Captured(METADATA_LOGGER))
        {
            for (final String command : new String[] {"stats", "verify", "rolls", "dump"})
            {
                final Cli.Result result = Cli.run("journal", command, journal.toString());
                assertEquals(0, result.code(), result::toString);
            }
            assertEquals(List.of(), warnings.lines());
        }
    }

    @Test
    void shouldRefuseAMalformedRemoveBeforeWithoutReadingTheJournal() throws IOException
    {
        // a journal the tool would refuse as damaged (exit 1): the argument is refused first, as bad input
        final Path damaged = dir.resolve("damaged");
        JournalCopies.copy(journal, damaged);
        try (FileChannel channel = FileChannel.open(JournalFiles.rollFiles(damaged).get(0), StandardOpenOption.WRITE))
        {
            channel.truncate(100);
        }
        assertRefused(words("--remove-before garbage is invalid"), "journal", "rolls", damaged.toString(),
            "--remove-before", "garbage", "--dry-run");
        assertRefused(words("--dry-run needs --remove-before"), "journal", "rolls", damaged.toString(), "--dry-run");
    }

    /** Captures what one logger logs at WARN and above while open. */
    private static final class Captured extends AbstractAppender implements AutoCloseable
    {
        private final Logger logger;
        private final List<String> lines = new CopyOnWriteArrayList<>();

        Captured(final String loggerName)
        {
            super("captured-" + loggerName, null, null, true, Property.EMPTY_ARRAY);
            logger = (Logger)LogManager.getLogger(loggerName);
            start();
            logger.addAppender(this);
        }

        @Override
        public void append(final LogEvent event)
        {
            if (event.getLevel().isMoreSpecificThan(Level.WARN))
            {
                lines.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
            }
        }

        List<String> lines()
        {
            return lines;
        }

        @Override
        public void close()
        {
            logger.removeAppender(this);
            stop();
        }
    }
}
