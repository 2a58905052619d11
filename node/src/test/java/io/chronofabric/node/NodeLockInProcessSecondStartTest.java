package io.chronofabric.node;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A second start of a node id in the process that runs it is refused, and the refusal does not drop the id's lock for
 * other processes (the OS drops a process's locks on a file when it closes any channel on it).
 */
class NodeLockInProcessSecondStartTest
{
    @TempDir
    Path dir;

    @Test
    void shouldRefuseASecondLockOfTheIdHereAndStillRefuseItToAnotherProcess() throws Exception
    {
        try (NodeLock held = NodeLock.acquire(dir, 7))
        {
            assertThrows(NodeInUseException.class, () -> NodeLock.acquire(dir, 7));
            assertEquals("refused", probe(), "another process must still find node 7 taken");
        }
        assertEquals("acquired", probe(), "released with the close");
    }

    private String probe() throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(arg -> !arg.startsWith("-agentlib") && !arg.startsWith("-javaagent")).toList());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), NodeLockProbe.class.getName(),
            dir.toString(), "7"));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the probe process ended");
        final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return out.lines().reduce((first, last) -> last).orElse(out);
    }
}
