package io.chronofabric.perf;

import io.chronofabric.engine.internal.Engine;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.chronofabric.journal.WriteProbe;
import io.chronofabric.perf.model.PerfPlan;
import io.chronofabric.perf.model.PerfReport;
import io.chronofabric.perf.report.JsonWriter;
import io.chronofabric.perf.report.OutputNotWrittenException;
import io.chronofabric.perf.report.ReportFiles;
import io.chronofabric.perf.report.TableWriter;
import io.chronofabric.perf.spi.SystemKind;
import io.chronofabric.perf.spi.SystemSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code chronofabric perf}: ChronoFabric against the raw libraries it is built on, side by side in one run. Prints
 * the table (or the JSON with {@code --json}) and writes the full report into {@code --out}. Exit 0 when every
 * trial delivered every message (the checks are reported, and fail the run only with {@code --strict}), 1 when a
 * trial failed or a strict check did not hold, 2 on bad arguments.
 */
@Command(name = "perf", mixinStandardHelpOptions = true, subcommands = JmhCommand.class,
    description = {"Measure ChronoFabric (journal on, the profile's layout) against a raw Disruptor pipeline, the same " +
        "pipeline journaling to raw Chronicle Queue, an ArrayBlockingQueue pipeline, a raw Chronicle appender and " +
        "(when named) raw Aeron over loopback UDP, " +
        "interleaved over rounds: throughput, latency at a fixed rate from the intended send times, and a rate sweep.",
        "Writes report.txt, results.csv, sweep.csv, report.json, .hlog files and PNG charts into --out."})
public final class PerfCommand implements Callable<Integer>
{
    private static final DateTimeFormatter RUN_FOLDER = DateTimeFormatter.ofPattern("yyyy-MM-dd_HHmmss");
    /** The largest p99 bound of the sweep: an hour, as for the engine's other microsecond settings. */
    private static final double MAX_SWEEP_BOUND_MICROS = 3_600_000_000.0;

    @Spec
    private CommandSpec spec;

    @Option(names = "--quick", description = "A short run (3 rounds, 1M msgs per throughput trial, 3 s per latency " +
        "trial: 1 s start-up + 2 s steady state, short sweep steps): under two minutes on a 2-core machine.")
    private boolean quick;

    @Option(names = "--profile", paramLabel = "NAME", defaultValue = "dev",
        description = "Engine profile; the baselines copy its ring size, wait strategy and thread layout (default: ${DEFAULT-VALUE}).")
    private String profile;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a profile setting (all systems follow); repeatable.")
    private Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--rate", paramLabel = "R", defaultValue = "100000",
        description = "Offered rate of the latency mode, msg/s, in [1, 1000000000] (default: ${DEFAULT-VALUE}).")
    private double rate;

    @Option(names = "--messages", paramLabel = "N",
        description = "Messages per throughput trial (default: 1000000 with --quick, else 5000000).")
    private Long messages;

    @Option(names = "--latency-seconds", paramLabel = "S",
        description = "Seconds per latency trial at --rate, in [0.001, 3600] (default: 3 with --quick, else 5); the " +
            "first second is reported apart as start-up, the rest as steady state.")
    private Double latencySeconds;

    @Option(names = "--rounds", paramLabel = "N", description = "Interleaved rounds (default: 3 with --quick, else 5).")
    private Integer rounds;

    @Option(names = "--warmup", paramLabel = "N",
        description = "Messages through each system before the rounds, not measured (default: 300000 with --quick, else 1000000).")
    private Long warmup;

    @Option(names = "--payload", paramLabel = "BYTES", defaultValue = "64",
        description = "Payload bytes per message, in [8, 1048576] (default: ${DEFAULT-VALUE}).")
    private int payload;

    @Option(names = "--systems", paramLabel = "LIST", split = ",",
        description = "Systems to measure (default: all but raw-aeron and chronofabric-two-node): chronofabric, " +
            "chronofabric-lean (per-stage latency and latency trace off), disruptor, disruptor+chronicle, abq, " +
            "chronicle, raw-aeron (embedded Aeron media driver, loopback UDP; only when named), chronofabric-two-node " +
            "(two nodes over loopback UDP; only when named).")
    private List<String> systems = new ArrayList<>();

    @Option(names = "--sweep-p99-us", paramLabel = "US", defaultValue = "1000",
        description = "The p99 bound of the rate sweep, microseconds (default: ${DEFAULT-VALUE}).")
    private double sweepBoundMicros;

    @Option(names = "--no-sweep", description = "Skip the rate sweep.")
    private boolean noSweep;

    @Option(names = "--out", paramLabel = "DIR", description = "Report folder (default: perf/results/<date_time>/).")
    private Path out;

    @Option(names = "--data", paramLabel = "DIR",
        description = "Folder for the trials' journals, each deleted after its trial (default: the system temp folder). " +
            "Put it on the disk production journals use.")
    private Path data;

    @Option(names = "--json", description = "Print the report as JSON instead of the table.")
    private boolean json;

    @Option(names = "--strict", description = "Exit 1 when a check (throughput ratio, p50 bound, zero allocation) fails.")
    private boolean strict;

    @Override
    public Integer call()
    {
        final PerfPlan plan;
        try
        {
            plan = plan();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage(), ex);
        }
        final PrintWriter err = spec.commandLine().getErr();
        err.println("chronofabric perf: " + plan.systems().size() + " systems, " + plan.rounds() +
            " rounds, report into " + plan.outDir());
        err.flush();
        final PerfReport report = new PerfHarness(plan, err).run();
        final boolean failed = report.checks().stream().anyMatch(check -> Boolean.FALSE.equals(check.met()));
        final int exit = strict && failed ? 1 : 0;
        final PrintWriter stdout = spec.commandLine().getOut();
        final Map<String, String> files = new LinkedHashMap<>();
        OutputNotWrittenException notWritten = null;
        try
        {
            ReportFiles.write(report, files);
        }
        catch (final OutputNotWrittenException ex)
        {
            notWritten = ex;
        }
        // what was measured reaches stdout also when a report file failed, with the files written before it: minutes
        // of trials are not lost with the folder
        stdout.println(json ? JsonWriter.write(report, files) : TableWriter.write(report));
        stdout.flush();
        if (null != notWritten)
        {
            return notWritten.after(exit, err);
        }
        err.println("chronofabric perf: report written to " + plan.outDir());
        err.flush();
        return exit;
    }

    private PerfPlan plan()
    {
        final SystemSpec systemSpec = new SystemSpec(profile, overrides, payload,
            null == data ? Path.of(System.getProperty("java.io.tmpdir")) : data);
        // fail now, naming the key, rather than in the first trial
        systemSpec.configuration();
        final List<SystemKind> kinds = new ArrayList<>();
        final boolean named = spec.commandLine().getParseResult().hasMatchedOption("--systems");
        if (named && systems.stream().allMatch(String::isBlank))
        {
            // an empty list is a slip, not a request for the full run of every system
            throw new IllegalArgumentException("--systems names no system; allowed: a comma-separated list of " +
                SystemKind.labels());
        }
        if (systems.isEmpty())
        {
            kinds.addAll(SystemKind.defaultRun());
        }
        else
        {
            for (final String label : systems)
            {
                final SystemKind kind = SystemKind.ofLabel(label);
                if (!kinds.contains(kind))
                {
                    kinds.add(kind);
                }
            }
            kinds.sort(null);
        }
        // the two-node system starts two engines in this JVM: each gets half the heap
        systemSpec.configuration().requireRingWithin(Runtime.getRuntime().maxMemory() /
            (kinds.contains(SystemKind.CHRONOFABRIC_TWO_NODE) ? 2 : 1));
        if (!(sweepBoundMicros > 0 && sweepBoundMicros <= MAX_SWEEP_BOUND_MICROS))
        {
            throw new IllegalArgumentException("--sweep-p99-us " + sweepBoundMicros + " is invalid; allowed: " +
                "microseconds in (0, 3600000000]");
        }
        final Path outDir = null != out ? out : Path.of("perf", "results", LocalDateTime.now().format(RUN_FOLDER));
        requireWritableFolder("--out", outDir);
        requireWritableFolder("--data", systemSpec.dataDir());
        final PerfPlan.SweepSettings sweep = noSweep ? null : new PerfPlan.SweepSettings(50_000, 2, quick ? 1 : 2,
            quick ? 0.25 : 1.0, 10_000, Math.round(sweepBoundMicros * 1_000));
        return new PerfPlan(systemSpec, kinds, null != rounds ? rounds : quick ? 3 : 5,
            null != warmup ? warmup : quick ? 300_000 : 1_000_000,
            null != messages ? messages : quick ? 1_000_000 : 5_000_000, rate,
            null != latencySeconds ? latencySeconds : quick ? 3.0 : 5.0, sweep, 100_000_000L, outDir, quick);
    }

    /**
     * The report is written after the last trial, and every trial creates its journal under --data: a folder that
     * cannot be created or written is refused now, not after minutes of measuring.
     */
    private static void requireWritableFolder(final String option, final Path dir)
    {
        Path existing = dir.toAbsolutePath();
        while (null != existing && !Files.exists(existing))
        {
            existing = existing.getParent();
        }
        final String problem = null == existing ? "no folder above it exists" :
            !Files.isDirectory(existing) ? existing + " is a file, not a folder" :
            !Files.isWritable(existing) ? "folder " + existing + " is not writable by this user" :
            WriteProbe.cannotCreate(dir);
        if (null != problem)
        {
            throw new IllegalArgumentException(option + " " + dir + " cannot be written: " + problem + "; allowed: " +
                "a folder this user can write (created if absent)");
        }
    }
}
