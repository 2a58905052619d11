package io.chronofabric.cli.journal;

import java.nio.file.Path;

import io.chronofabric.cli.common.Inputs;
import io.chronofabric.journal.JournalCorruptionException;
import io.chronofabric.journal.JournalFileCheck;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Checks the DIR argument every subcommand takes, so that a mistyped path is a usage error (exit 2) naming the path,
 * not a Chronicle stack trace, and so that no command hands Chronicle a file it cannot read: Chronicle would wait
 * for a header that never comes, or fault past the end of a truncated file (see {@link JournalFileCheck}).
 */
final class JournalFolder
{
    private JournalFolder()
    {
    }

    /**
     * @param spec the command, for the usage error.
     * @param dir  the DIR argument.
     * @return the folder, which exists, holds at least one roll file, and whose queues' files can all be read.
     * @throws CommandLine.ParameterException when it does not exist or holds no journal.
     * @throws JournalCorruptionException naming the first file that cannot be read and where.
     */
    static Path require(final CommandSpec spec, final Path dir)
    {
        requirePresent(spec, dir);
        JournalFileCheck.requireReadable(dir, false, JournalFileCheck.Depth.DOCUMENTS);
        return dir;
    }

    /**
     * As {@link #require}, for a journal an engine may be writing now: the newest roll file of a queue may be one it
     * is creating, whose header is not written yet.
     *
     * @param spec the command, for the usage error.
     * @param dir  the DIR argument.
     * @return the folder.
     */
    static Path requireLive(final CommandSpec spec, final Path dir)
    {
        requirePresent(spec, dir);
        JournalFileCheck.requireReadable(dir, true, JournalFileCheck.Depth.HEADERS);
        return dir;
    }

    /**
     * Checks only that the folder exists and holds a journal, for a command that reports unreadable files itself.
     *
     * @param spec the command, for the usage error.
     * @param dir  the DIR argument.
     * @return the folder.
     * @throws CommandLine.ParameterException otherwise.
     */
    static Path requirePresent(final CommandSpec spec, final Path dir)
    {
        return Inputs.heldJournal(spec, dir);
    }
}
