package io.chronofabric.cli.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

import io.chronofabric.journal.JournalFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.cli.UsageErrors.assertRefused;
import static io.chronofabric.cli.UsageErrors.words;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * A journal folder whose queue folders or files this user cannot read is refused as such, like an unreadable journal
 * folder: exit code 2 and one line naming what cannot be read, never a stack trace, and never a report of corruption
 * (the files may be intact; another user can read them). Permissions do not stop root, so as root these tests are
 * skipped.
 */
class UnreadableJournalTest
{
    private static final Set<PosixFilePermission> NONE = PosixFilePermissions.fromString("---------");
    private static final String[][] COMMANDS = {{"journal", "stats"}, {"journal", "verify"}, {"journal", "latency"},
        {"journal", "dump"}, {"journal", "rolls"}, {"journal", "deadletters"}, {"journal", "replay"},
        {"trace-anomalies"}};
    private static final List<String> QUEUE_FOLDERS = List.of("trace", "settled", "deadletters");

    @TempDir
    static Path dir;

    private static Path journal;

    @BeforeAll
    static void writeJournal() throws Exception
    {
        journal = dir.resolve("journal");
        Cli.writeJournal(journal, 2_000);
        for (final String folder : QUEUE_FOLDERS)
        {
            // every queue folder must exist for the test to mean anything
            Files.createDirectories(journal.resolve(folder));
        }
    }

    @Test
    void shouldSayThatAnUnreadableQueueFolderIsNotReadableByThisUser() throws IOException
    {
        for (final String folder : QUEUE_FOLDERS)
        {
            final Path queueDir = journal.resolve(folder);
            try (Unreadable ignored = Unreadable.of(queueDir))
            {
                for (final String[] command : COMMANDS)
                {
                    assertRefused(words(queueDir.toString(), "is not readable by this user"),
                        with(command, journal.toString()));
                }
            }
        }
    }

    @Test
    void shouldSayThatAnUnreadableRollFileIsNotReadableByThisUserNotThatItIsCorrupt() throws IOException
    {
        final Path rollFile = JournalFiles.rollFiles(journal).get(0);
        try (Unreadable ignored = Unreadable.of(rollFile))
        {
            for (final String[] command : COMMANDS)
            {
                assertRefused(words(rollFile.toString(), "is not readable by this user"),
                    with(command, journal.toString()));
            }
        }
    }

    private static String[] with(final String[] command, final String argument)
    {
        final String[] args = new String[command.length + 1];
        System.arraycopy(command, 0, args, 0, command.length);
        args[command.length] = argument;
        return args;
    }

    /** Takes every permission from a folder or file, and gives them back on close. */
    private record Unreadable(Path path, Set<PosixFilePermission> before) implements AutoCloseable
    {
        static Unreadable of(final Path path) throws IOException
        {
            final Unreadable unreadable = new Unreadable(path, Files.getPosixFilePermissions(path));
            Files.setPosixFilePermissions(path, NONE);
            if (Files.isReadable(path))
            {
                unreadable.close();
            }
            assumeFalse(Files.isReadable(path), "this user reads what it has no permission to (root)");
            return unreadable;
        }

        @Override
        public void close() throws IOException
        {
            Files.setPosixFilePermissions(path, before);
        }
    }
}
