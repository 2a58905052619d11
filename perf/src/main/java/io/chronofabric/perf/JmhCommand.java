package io.chronofabric.perf;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code chronofabric perf jmh [JMH options] [benchmark regex]}: the JMH microbenchmarks of the hot components
 * (io.chronofabric.perf.jmh), with JMH's own command line ({@code -h} lists it; {@code -l} lists the benchmarks;
 * {@code -prof gc} adds allocation per operation). Forks inherit this JVM's flags, Chronicle's module options from
 * scripts/jvm.properties included. Behaves as {@code org.openjdk.jmh.Main} but returns an exit code instead of
 * calling {@code System.exit}.
 */
@Command(name = "jmh", description = {"Run the JMH microbenchmarks (HLC, publish, router, journal append/read, " +
    "record CRC). Takes JMH's own options, e.g.: perf jmh -prof gc HybridClock", "JMH help: perf jmh -h"})
public final class JmhCommand implements Callable<Integer>
{
    /** Exit code for bad JMH options. */
    static final int EXIT_USAGE = 2;

    @Spec
    private CommandSpec spec;

    @Unmatched
    private List<String> jmhArguments = new ArrayList<>();

    @Override
    public Integer call() throws Exception
    {
        final CommandLineOptions options;
        try
        {
            options = new CommandLineOptions(jmhArguments.toArray(new String[0]));
        }
        catch (final CommandLineOptionException ex)
        {
            spec.commandLine().getErr().println("chronofabric perf jmh: " + ex.getMessage());
            return EXIT_USAGE;
        }
        final Runner runner = new Runner(options);
        if (options.shouldHelp())
        {
            options.showHelp();
            return 0;
        }
        if (options.shouldList())
        {
            runner.list();
            return 0;
        }
        if (options.shouldListWithParams())
        {
            runner.listWithParams(options);
            return 0;
        }
        if (options.shouldListProfilers())
        {
            options.listProfilers();
            return 0;
        }
        if (options.shouldListResultFormats())
        {
            options.listResultFormats();
            return 0;
        }
        try
        {
            runner.run();
            return 0;
        }
        catch (final NoBenchmarksException ex)
        {
            spec.commandLine().getErr().println("chronofabric perf jmh: no benchmark matches " + jmhArguments +
                "; list them with: perf jmh -l");
            return EXIT_USAGE;
        }
        catch (final RunnerException ex)
        {
            spec.commandLine().getErr().println("chronofabric perf jmh: " + ex.getMessage());
            return 1;
        }
    }
}
