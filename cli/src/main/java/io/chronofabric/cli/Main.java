package io.chronofabric.cli;

import io.chronofabric.cli.journal.JournalCommand;
import io.chronofabric.engine.api.ConfigurationException;
import io.chronofabric.engine.api.EngineFailedException;
import io.chronofabric.journal.JournalCorruptionException;
import io.chronofabric.journal.JournalInUseException;
import io.chronofabric.node.NodeInUseException;
import io.chronofabric.perf.PerfCommand;
import io.chronofabric.perf.report.OutputNotWrittenException;
import picocli.CommandLine;
import io.chronofabric.cli.common.ExitCodes;
import picocli.CommandLine.Command;

/**
 * The entry point behind {@code scripts/chronofabric}: one launcher for every command of the product.
 * Exit codes: 0 success, 1 a finding or failure, 2 bad arguments or configuration. A journal that cannot be used
 * ({@link JournalCorruptionException}: a corrupt record or file, a record over the configured capacity) is one line on
 * stderr naming where, and exit code 1.
 */
@Command(name = "chronofabric", mixinStandardHelpOptions = true, version = Main.VERSION,
    description = "Low-latency event engine: HLC-stamped, journaled, sequenced, routed, delivered.",
    subcommands = {RunCommand.class, JournalCommand.class, PerfCommand.class, ProfilesCommand.class,
        HostCheckCommand.class, ClockCommand.class, DiagnoseCommand.class, NodesCommand.class,
        TraceAnomaliesCommand.class, CommandLine.HelpCommand.class})
public final class Main
{
    /** What {@code -V} prints, on every command. */
    public static final String VERSION = "ChronoFabric 0.1.0";
    /** Exit code for bad arguments or configuration. */
    public static final int EXIT_USAGE = ExitCodes.USAGE;
    /** Exit code for a finding (e.g. corruption) or a failed run. */
    public static final int EXIT_FAILURE = ExitCodes.FAILURE;

    private Main()
    {
    }

    /**
     * @param args the command line.
     */
    public static void main(final String[] args)
    {
        System.exit(execute(args));
    }

    /**
     * Runs a command line and returns its exit code instead of exiting; tests call this.
     *
     * @param args the command line.
     * @return the exit code.
     */
    public static int execute(final String... args)
    {
        return execute(new CommandLine(new Main()), args);
    }

    /** Every subcommand offers -V (picocli's standard options): it prints the product's version, not nothing. */
    private static void withVersion(final CommandLine command)
    {
        command.getCommandSpec().version(VERSION);
        command.getSubcommands().values().forEach(Main::withVersion);
    }

    /**
     * Runs a command line with its output and errors sent to the given writers.
     *
     * @param out  where command output goes.
     * @param err  where errors and usage go.
     * @param args the command line.
     * @return the exit code.
     */
    public static int execute(final java.io.PrintWriter out, final java.io.PrintWriter err, final String... args)
    {
        final CommandLine commandLine = new CommandLine(new Main());
        commandLine.setOut(out);
        commandLine.setErr(err);
        return execute(commandLine, args);
    }

    private static int execute(final CommandLine commandLine, final String... args)
    {
        withVersion(commandLine);
        // bad input is refused with one line naming what was wrong and what is allowed: no usage dump, no stack
        // trace; --help still prints the usage
        commandLine.setParameterExceptionHandler((ex, arguments) ->
        {
            final CommandLine command = null == ex.getCommandLine() ? commandLine : ex.getCommandLine();
            command.getErr().println("chronofabric: " + ParserRefusal.describe(ex) + "; see '" +
                command.getCommandSpec().qualifiedName() + " --help'");
            command.getErr().flush();
            return EXIT_USAGE;
        });
        commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) ->
        {
            if (ex instanceof ConfigurationException)
            {
                cmd.getErr().println("chronofabric: " + ParserRefusal.oneLine(ex.getMessage()));
                cmd.getErr().flush();
                return EXIT_USAGE;
            }
            if (ex instanceof EngineFailedException || ex instanceof JournalInUseException ||
                ex instanceof NodeInUseException || ex instanceof JournalCorruptionException)
            {
                // a fault the engine failed closed on (a full disk, a failed stage), a journal or node id in use, or
                // a damaged file: the message names what, where and why
                cmd.getErr().println("chronofabric: " + ex.getMessage());
                return EXIT_FAILURE;
            }
            if (ex instanceof OutputNotWrittenException)
            {
                cmd.getErr().println("chronofabric: " + ex.getMessage());
                return ExitCodes.OUTPUT_NOT_WRITTEN;
            }
            cmd.getErr().println("chronofabric: " + ex);
            ex.printStackTrace(cmd.getErr());
            return EXIT_FAILURE;
        });
        return commandLine.execute(args);
    }
}
