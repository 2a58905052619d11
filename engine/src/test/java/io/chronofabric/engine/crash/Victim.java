package io.chronofabric.engine.crash;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A child JVM running a test main class with this JVM's options and class path, to be killed with SIGKILL at a
 * point it announces on its standard output.
 */
final class Victim implements AutoCloseable
{
    private final Process process;
    private final BufferedReader output;
    private final StringBuilder seen = new StringBuilder();

    private Victim(final Process process)
    {
        this.process = process;
        this.output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /**
     * @param main the class whose main method runs.
     * @param args its arguments.
     * @return the running child.
     * @throws IOException when it cannot start.
     */
    static Victim start(final Class<?> main, final String... args) throws IOException
    {
        return start(main, List.of(), args);
    }

    /**
     * @param main    the class whose main method runs.
     * @param jvmArgs options after this JVM's own, which they override (e.g. a smaller {@code -Xmx}).
     * @param args    its arguments.
     * @return the running child.
     * @throws IOException when it cannot start.
     */
    static Victim start(final Class<?> main, final List<String> jvmArgs, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(arg -> !arg.startsWith("-agentlib") && !arg.startsWith("-javaagent")).toList());
        command.addAll(jvmArgs);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return new Victim(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /**
     * Reads the child's output until a line starting with the prefix.
     *
     * @param prefix what the line starts with.
     * @return the line.
     * @throws IOException when the output cannot be read.
     */
    String awaitLine(final String prefix) throws IOException
    {
        String line;
        while (null != (line = output.readLine()))
        {
            seen.append(line).append('\n');
            if (line.startsWith(prefix))
            {
                return line;
            }
        }
        fail("the child ended without printing '" + prefix + "':\n" + seen);
        return null;
    }

    /**
     * @param seconds how long to wait.
     * @return the child's exit code, or -1 when it did not exit in time.
     * @throws InterruptedException when interrupted.
     */
    int awaitExit(final long seconds) throws InterruptedException
    {
        return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    /**
     * Kills the child with SIGKILL and waits for it to exit.
     *
     * @throws InterruptedException when interrupted.
     */
    void kill() throws InterruptedException
    {
        process.destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the killed child exits");
    }

    @Override
    public void close() throws InterruptedException
    {
        if (process.isAlive())
        {
            kill();
        }
    }

    /**
     * In a victim process: says where it is (the line the test waits for, {@code kill-me} and what) and parks until
     * killed.
     *
     * @param what where the victim is.
     */
    static void killMe(final String what)
    {
        System.out.println("kill-me " + what);
        System.out.flush();
        while (true)
        {
            LockSupport.park();
        }
    }
}
