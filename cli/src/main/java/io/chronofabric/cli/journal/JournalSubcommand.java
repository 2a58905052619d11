package io.chronofabric.cli.journal;

import io.chronofabric.cli.common.ChronicleLogging;
import io.chronofabric.cli.common.ExitCodes;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every {@code journal} subcommand shares: its picocli spec, and a last line of defence against a fault in a
 * memory-mapped read. Chronicle maps the roll files; reading a damaged or truncated one (Chronicle's own scan for
 * the last index included) can touch a page past the end of the file. The JVM reports that as an
 * {@link InternalError} that is raised asynchronously: in compiled code it can surface several calls after the read
 * that caused it, outside any handler around that read. So each subcommand runs on a thread of its own, where such
 * a fault is caught wherever it surfaces, and is reported as a finding (exit 1), never as a clean result.
 */
abstract class JournalSubcommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Override
    public final Integer call() throws Exception
    {
        ChronicleLogging.quietMetadataOverrides();
        final AtomicReference<Integer> exitCode = new AtomicReference<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread worker = new Thread(() ->
        {
            try
            {
                exitCode.set(run());
            }
            catch (final Throwable thrown)
            {
                failure.compareAndSet(null, thrown);
            }
        }, "cf-journal-" + spec.name());
        worker.setUncaughtExceptionHandler((thread, thrown) -> failure.compareAndSet(null, thrown));
        worker.start();
        worker.join();
        final Throwable thrown = failure.get();
        if (thrown instanceof InternalError)
        {
            final PrintWriter err = spec.commandLine().getErr();
            err.println("chronofabric: reading a memory-mapped journal file faulted (" + thrown.getMessage() + "): a " +
                "roll file is damaged or truncated; any output above is incomplete");
            err.flush();
            faulted((InternalError)thrown);
            return ExitCodes.FAILURE;
        }
        if (thrown instanceof Exception)
        {
            throw (Exception)thrown;
        }
        if (thrown instanceof Error)
        {
            throw (Error)thrown;
        }
        return exitCode.get();
    }

    /**
     * @return the exit code.
     * @throws Exception reported by the launcher as a failure.
     */
    protected abstract Integer run() throws Exception;

    /**
     * Called after a memory-mapped read faulted, for a command to print what its output format promises.
     *
     * @param fault the fault.
     */
    protected void faulted(final InternalError fault)
    {
    }

    /** @return the command's picocli spec: its output and error streams, and usage errors. */
    protected final CommandSpec spec()
    {
        return spec;
    }
}
