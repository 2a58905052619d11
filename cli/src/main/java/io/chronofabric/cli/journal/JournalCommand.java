package io.chronofabric.cli.journal;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code chronofabric journal}: the offline tool for a journal folder. It only groups the subcommands; each one
 * reads the Chronicle Queue files itself. Exit codes: 0 success, 1 a finding (corruption, a replay that differs),
 * 2 bad arguments.
 */
@Command(name = "journal", mixinStandardHelpOptions = true,
    description = {"Inspect, verify, analyse and replay a journal folder (Chronicle Queue) and its latency trace.",
        "Exit codes: 0 success, 1 a finding (corruption, a differing replay), 2 bad arguments."},
    subcommands = {StatsCommand.class, DumpCommand.class, VerifyCommand.class, LatencyCommand.class,
        TailCommand.class, RollsCommand.class, PruneCommand.class, ReplayCommand.class, DeadLettersCommand.class,
        CommandLine.HelpCommand.class})
public final class JournalCommand
{
}
