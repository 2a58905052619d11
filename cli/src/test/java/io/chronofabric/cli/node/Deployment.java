package io.chronofabric.cli.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chronofabric.cli.FreePorts;
import io.chronofabric.cli.ChildJvm;
import io.chronofabric.cli.Main;
import io.chronofabric.journal.EngineLimits;
import io.chronofabric.journal.JournalReader;
import io.chronofabric.journal.MessageRecord;
import io.chronofabric.journal.RecordFlags;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real node processes on 127.0.0.1, each {@code chronofabric run --node ...} in its own JVM with its own journal and
 * UDP port, for tests of what a deployment promises: started, killed with SIGKILL, stopped and continued (a node cut
 * off from its peers), and their journals read back.
 */
final class Deployment implements AutoCloseable
{
    private final Path dir;
    private final int[] ports;
    private final Map<Integer, Process> processes = new HashMap<>();
    private final Map<Integer, Integer> starts = new HashMap<>();

    /**
     * @param dir   where journals, outputs and the nodes' media driver folders go.
     * @param nodes how many nodes, ids 1..nodes.
     */
    Deployment(final Path dir, final int nodes) throws IOException
    {
        this.dir = dir;
        this.ports = new int[nodes + 1];
        for (int node = 1; node <= nodes; node++)
        {
            ports[node] = FreePorts.udp();
        }
    }

    /** The outcome of one node process. */
    record Result(int node, int code, JsonNode json, String log)
    {
        @Override
        public String toString()
        {
            return "node " + node + " exit " + code + "\n--- stdout\n" + json + "\n--- log\n" + log;
        }
    }

    /**
     * Starts node {@code node} running the trading workload.
     *
     * @param node     its id.
     * @param jvmProps extra -D options for its JVM (e.g. Aeron's debug loss).
     * @param args     run options beyond the node's own (messages, rate, --resume, --set ...).
     */
    void start(final int node, final List<String> jvmProps, final String... args) throws IOException
    {
        final List<String> options = new ArrayList<>();
        options.add("-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp")));
        options.addAll(jvmProps);
        final List<String> command = new ArrayList<>(ChildJvm.command(options, Main.class, "run", "--node",
            Integer.toString(node), "--listen", "127.0.0.1:" + ports[node], "--journal", journal(node).toString(),
            "--warmup", "0", "--json"));
        for (int peer = 1; peer < ports.length; peer++)
        {
            if (peer != node)
            {
                command.addAll(List.of("--peer", peer + "=127.0.0.1:" + ports[peer]));
            }
        }
        command.addAll(List.of(args));
        final int start = starts.merge(node, 1, Integer::sum);
        processes.put(node, new ProcessBuilder(command)
            .redirectOutput(dir.resolve("node-" + node + "-" + start + ".out").toFile())
            .redirectError(dir.resolve("node-" + node + "-" + start + ".err").toFile()).start());
    }

    /** @return node's journal folder. */
    Path journal(final int node)
    {
        return dir.resolve("journal-" + node);
    }

    /** Waits for a node's process to end and reads what it printed. */
    Result await(final int node, final long timeoutSeconds) throws Exception
    {
        final Process process = processes.get(node);
        assertTrue(process.waitFor(timeoutSeconds, TimeUnit.SECONDS), "node " + node + " ended within " +
            timeoutSeconds + " s");
        final int run = starts.get(node);
        final String out = Files.readString(dir.resolve("node-" + node + "-" + run + ".out"));
        final String err = Files.readString(dir.resolve("node-" + node + "-" + run + ".err"));
        JsonNode json = null;
        // the test classpath's logging writes to stdout too: the summary is the object from the first line that
        // opens one
        int start = out.startsWith("{") ? 0 : out.indexOf("\n{") + 1;
        try
        {
            json = 0 == start && !out.startsWith("{") ? null : new ObjectMapper().readTree(out.substring(start));
            start = json == null ? out.length() : start;
        }
        catch (final IOException notJson)
        {
            // reported through toString: the assertion on the result names the output
        }
        // the logs: stderr, and stdout ahead of the summary (the test classpath's logging writes there)
        return new Result(node, process.exitValue(), json, out.substring(0, Math.max(0, start)) + err);
    }

    /** Kills a node with SIGKILL and waits until it is gone. */
    void kill(final int node) throws InterruptedException
    {
        final Process process = processes.get(node);
        process.destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    }

    /** Stops a node with SIGSTOP: it neither sends nor receives, as if cut off, until {@link #resume}. */
    void stop(final int node) throws Exception
    {
        signal(node, "STOP");
    }

    /** Continues a stopped node with SIGCONT. */
    void resume(final int node) throws Exception
    {
        signal(node, "CONT");
    }

    private void signal(final int node, final String signal) throws Exception
    {
        final Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(processes.get(node).pid()))
            .inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && 0 == kill.exitValue(), "kill -" + signal);
    }

    /** Waits until a node's journal holds at least {@code records} records. */
    void awaitJournaled(final int node, final long records, final long timeoutSeconds) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline)
        {
            if (Files.isDirectory(journal(node)) && io.chronofabric.journal.JournalFiles.countRecords(journal(node))
                >= records)
            {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("node " + node + " journaled " + records + " records within " + timeoutSeconds +
            " s");
    }

    /**
     * Waits until a node's journal holds at least {@code records} messages of origin node {@code origin}: the two
     * nodes have heard each other, which a drill that cuts them apart needs first (a peer never heard from is still
     * connecting, not unreachable).
     */
    void awaitJournaledFrom(final int node, final int origin, final long records, final long timeoutSeconds)
        throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        long held = 0;
        while (System.nanoTime() < deadline)
        {
            if (Files.isDirectory(journal(node)))
            {
                held = originIds(node).getOrDefault(origin, List.of()).size();
                if (held >= records)
                {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("node " + node + " journaled " + records + " messages of node " + origin +
            " within " + timeoutSeconds + " s; it holds " + held);
    }

    /**
     * @param node a node.
     * @return for each origin node, the origin ids of its messages in this node's journal, in journal order.
     */
    Map<Integer, List<Long>> originIds(final int node)
    {
        final Map<Integer, List<Long>> byOrigin = new TreeMap<>();
        final MessageRecord record = new MessageRecord(EngineLimits.MAX_DEPENDENCIES, EngineLimits.MAX_PAYLOAD);
        try (JournalReader reader = new JournalReader(journal(node), EngineLimits.MAX_DEPENDENCIES,
            EngineLimits.MAX_PAYLOAD))
        {
            while (reader.next(record))
            {
                final boolean remote = 0 != (record.flags() & RecordFlags.REMOTE);
                byOrigin.computeIfAbsent(record.originNode(), n -> new ArrayList<>())
                    .add(remote ? record.originId() : record.id());
            }
        }
        return byOrigin;
    }

    /** Runs a command line in this JVM, as the operator would with the launcher. */
    static Result cli(final String... args)
    {
        final java.io.StringWriter out = new java.io.StringWriter();
        final java.io.StringWriter err = new java.io.StringWriter();
        final int code = Main.execute(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true), args);
        JsonNode json = null;
        try
        {
            json = new ObjectMapper().readTree(out.toString());
        }
        catch (final IOException notJson)
        {
            // text output
        }
        return new Result(0, code, json, out + err.toString());
    }

    @Override
    public void close()
    {
        processes.values().forEach(Process::destroyForcibly);
    }
}
