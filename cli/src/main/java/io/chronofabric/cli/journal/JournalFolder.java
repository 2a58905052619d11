package io.chronofabric.cli.journal;

import java.nio.file.Path;

import io.chronofabric.cli.Inputs;
import io.chronofabric.journal.JournalFiles;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Checks the DIR argument every subcommand takes, so that a mistyped path is a usage error (exit 2) naming the path,
 * not a Chronicle stack trace.
 */
final class JournalFolder
{
    private JournalFolder()
    {
    }

    /**
     * @param spec the command, for the usage error.
     * @param dir  the DIR argument.
     * @return the folder, which exists, is a folder, and holds at least one roll file.
     * @throws CommandLine.ParameterException otherwise.
     */
    static Path require(final CommandSpec spec, final Path dir)
    {
        Inputs.journalFolder(spec, dir);
        if (JournalFiles.rollFiles(dir).isEmpty())
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "folder " + dir + " holds no journal (no " +
                JournalFiles.ROLL_FILE_SUFFIX + " roll files)");
        }
        return dir;
    }
}
