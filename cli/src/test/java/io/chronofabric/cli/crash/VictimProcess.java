package io.chronofabric.cli.crash;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.chronofabric.cli.ChildJvm;

/**
 * A {@link CrashVictim} in a child JVM started as the test JVM was (same java binary, the test JVM's arguments
 * without agents, the test class path). Its output is drained by a thread of its own, so a chatty victim never
 * blocks on a full pipe, and the last lines are kept for failure messages. It proves nothing itself: it is how the
 * test starts, kills and waits for incarnations.
 */
final class VictimProcess
{
    private static final int KEPT_LINES = 60;

    private final Process process;
    private final CountDownLatch started = new CountDownLatch(1);
    private final ArrayDeque<String> lines = new ArrayDeque<>();
    private final Thread drainer;
    private volatile boolean closed;
    private volatile String startedLine;

    private VictimProcess(final Process process)
    {
        this.process = process;
        this.drainer = new Thread(this::drain, "victim-output-" + process.pid());
        drainer.setDaemon(true);
        drainer.start();
    }

    /**
     * @param journal     the journal folder every incarnation shares.
     * @param log         this incarnation's delivery log.
     * @param incarnation this incarnation's number.
     * @param seed        its workload seed.
     * @param messages    how many messages it publishes if it lives long enough.
     * @return the running process.
     */
    static VictimProcess start(final Path journal, final Path log, final int incarnation, final long seed,
        final long messages)
    {
        final List<String> command = ChildJvm.command(List.of(), CrashVictim.class, journal.toString(),
            log.toString(), String.valueOf(incarnation), String.valueOf(seed), String.valueOf(messages));
        try
        {
            return new VictimProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot start the victim JVM", ex);
        }
    }

    private void drain()
    {
        try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8)))
        {
            String line;
            while (null != (line = output.readLine()))
            {
                keep(line);
                if (line.startsWith("started"))
                {
                    startedLine = line;
                    started.countDown();
                }
                else if (line.startsWith("closed"))
                {
                    closed = true;
                }
            }
        }
        catch (final IOException ex)
        {
            keep("(output unreadable: " + ex + ")");
        }
        finally
        {
            started.countDown();
        }
    }

    private synchronized void keep(final String line)
    {
        if (lines.size() == KEPT_LINES)
        {
            lines.pollFirst();
        }
        lines.addLast(line);
    }

    /**
     * @param timeoutSeconds how long to wait.
     * @return the victim's {@code started} line, or null when it exited or timed out first.
     * @throws InterruptedException when interrupted.
     */
    String awaitStarted(final long timeoutSeconds) throws InterruptedException
    {
        started.await(timeoutSeconds, TimeUnit.SECONDS);
        return startedLine;
    }

    /** @return true while the victim runs. */
    boolean isAlive()
    {
        return process.isAlive();
    }

    /**
     * Sends SIGKILL (on Linux {@link Process#destroyForcibly()} is {@code kill -9}) and waits for the exit.
     *
     * @return true when the process was still running when the signal was sent.
     * @throws InterruptedException when interrupted.
     */
    boolean kill() throws InterruptedException
    {
        final boolean wasAlive = process.isAlive();
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS))
        {
            throw new IllegalStateException("a SIGKILLed victim did not exit within 30 s");
        }
        drainer.join(5_000);
        return wasAlive;
    }

    /**
     * @param timeoutSeconds how long to wait for the victim to finish on its own.
     * @return its exit code, or -1 when it did not exit in time (it is then killed).
     * @throws InterruptedException when interrupted.
     */
    int awaitExit(final long timeoutSeconds) throws InterruptedException
    {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS))
        {
            kill();
            return -1;
        }
        drainer.join(5_000);
        return process.exitValue();
    }

    /** @return the exit code; only after the process exited. */
    int exitValue()
    {
        return process.exitValue();
    }

    /** @return whether the victim printed {@code closed}: it closed its engine cleanly. */
    boolean closedCleanly()
    {
        return closed;
    }

    /** @return the last lines the victim printed, for failure messages. */
    synchronized String output()
    {
        return String.join("\n", lines);
    }
}
