package io.chronofabric.perf.systems;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.chronofabric.perf.spi.SystemKind;
import io.chronofabric.perf.spi.SystemSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TwoNodeSystemTest
{
    private static final int MESSAGES = 10_000;

    @TempDir
    Path data;

    @Test
    void shouldDeliverOnNodeTwoEveryMessageSentOnNodeOneWithOneLatencyEach()
    {
        final TwoNodeSystem system = start();
        final long start = System.nanoTime();
        for (int i = 0; i < MESSAGES; i++)
        {
            system.send(start);
        }
        system.close();
        assertEquals(MESSAGES, system.probe().deliveredCount());
        assertEquals(MESSAGES, system.probe().interval(null).getTotalCount());
        assertEquals(SystemKind.CHRONOFABRIC_TWO_NODE, system.kind());
    }

    @Test
    void shouldMeasureLatencyFromTheIntendedSendTimeCarriedInThePayload()
    {
        IntendedSendTime.assertMeasuredFromTheIntendedSendTime(start());
    }

    @Test
    void shouldListBothNodesThreadsAndLeaveNoneRunningAfterClose()
    {
        final Set<Thread> before = Thread.getAllStackTraces().keySet();
        final TwoNodeSystem system = start();
        final List<Thread> threads = system.workerThreads();
        final List<String> names = threads.stream().map(Thread::getName).sorted().collect(Collectors.toList());
        system.send(System.nanoTime());
        final boolean allAlive = threads.stream().allMatch(Thread::isAlive);
        system.close();
        // per node: the dev profile's one pipeline thread, the node's own thread (which also runs its media driver
        // and the Aeron client: node.driver-threading=node-thread), and the driver's executor
        final List<String> perNode = List.of("aeron-executor", "cf-journal+sequencer+router+delivery",
            "chronofabric-node-");
        assertEquals(Stream.of("node1:", "node2:").flatMap(node -> perNode.stream().map(role -> node + role +
            (role.endsWith("-") ? node.substring(4, 5) : ""))).collect(Collectors.toList()), names);
        assertTrue(allAlive, "listed threads run while the system does");
        assertTrue(threads.stream().noneMatch(Thread::isAlive), threads.toString());
        final List<String> left = Thread.getAllStackTraces().keySet().stream()
            .filter(thread -> !before.contains(thread))
            .map(Thread::getName)
            .filter(name -> name.startsWith("node1:") || name.startsWith("node2:") || name.startsWith("cf-") ||
                name.toLowerCase(Locale.ROOT).contains("aeron") || name.contains("chronofabric-node") ||
                name.contains("driver-conductor"))
            .collect(Collectors.toList());
        assertEquals(List.of(), left);
    }

    @Test
    void shouldKeepBothNodesJournalsAndDriversInItsFolderAndDeleteItOnClose() throws IOException
    {
        final Path dir = data.resolve("two-node");
        final TwoNodeSystem system = start();
        for (final String node : new String[] {"node1", "node2"})
        {
            assertTrue(Files.isDirectory(dir.resolve(node).resolve("journal")), node + "'s journal is in " + dir);
            assertTrue(Files.isDirectory(dir.resolve(node).resolve("aeron")), node + "'s driver is in " + dir);
        }
        system.send(System.nanoTime());
        system.close();
        assertFalse(Files.exists(dir), dir + " is left");
        try (Stream<Path> left = Files.list(data))
        {
            assertEquals(0, left.count());
        }
    }

    private TwoNodeSystem start()
    {
        return new TwoNodeSystem(new SystemSpec("dev", Map.of(), 64, data), data.resolve("two-node"));
    }
}
