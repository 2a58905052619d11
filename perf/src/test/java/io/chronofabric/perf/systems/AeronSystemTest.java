package io.chronofabric.perf.systems;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.chronofabric.perf.spi.SystemKind;
import io.chronofabric.perf.spi.SystemSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AeronSystemTest
{
    private static final int MESSAGES = 10_000;

    @TempDir
    Path data;

    @Test
    void shouldDeliverEveryMessageSentAsFastAsPossibleWithOneLatencyEach()
    {
        final AeronSystem system = start("driver");
        final long start = System.nanoTime();
        for (int i = 0; i < MESSAGES; i++)
        {
            system.send(start);
        }
        system.close();
        assertEquals(MESSAGES, system.probe().deliveredCount());
        assertEquals(MESSAGES, system.probe().interval(null).getTotalCount());
    }

    @Test
    void shouldMeasureLatencyFromTheIntendedSendTimeCarriedInThePayload()
    {
        IntendedSendTime.assertMeasuredFromTheIntendedSendTime(start("driver"));
    }

    @Test
    void shouldRunItsDriverInItsOwnFolderAndDeleteItOnClose() throws IOException
    {
        final Path dir = data.resolve("driver");
        final AeronSystem system = start("driver");
        assertTrue(Files.exists(dir.resolve("cnc.dat")), "the driver's command-and-control file is in " + dir);
        system.send(System.nanoTime());
        system.close();
        assertFalse(Files.exists(dir), dir + " is left");
        try (Stream<Path> left = Files.list(data))
        {
            assertEquals(0, left.count());
        }
    }

    @Test
    void shouldLeaveNoThreadRunningAfterClose()
    {
        final AeronSystem system = start("driver");
        final List<Thread> threads = system.workerThreads();
        assertEquals(List.of("perf-raw-aeron-driver", "perf-raw-aeron-client", "perf-raw-aeron-subscriber"),
            threads.stream().map(Thread::getName).collect(Collectors.toList()));
        assertTrue(threads.stream().allMatch(Thread::isAlive));
        system.send(System.nanoTime());
        system.close();
        assertTrue(threads.stream().noneMatch(Thread::isAlive), threads.toString());
        final List<String> aeronThreads = Thread.getAllStackTraces().keySet().stream()
            .map(Thread::getName)
            .filter(name -> name.toLowerCase(Locale.ROOT).contains("aeron") || name.contains("driver-conductor") ||
                name.contains("sender") || name.contains("receiver"))
            .collect(Collectors.toList());
        assertEquals(List.of(), aeronThreads);
    }

    @Test
    void shouldRunTwoSystemsSideBySideOnTheirOwnPortsAndFolders()
    {
        final AeronSystem first = start("first");
        final AeronSystem second = start("second");
        try
        {
            assertNotEquals(first.channel(), second.channel());
            for (int i = 0; i < 1_000; i++)
            {
                first.send(System.nanoTime());
                second.send(System.nanoTime());
            }
        }
        finally
        {
            first.close();
            second.close();
        }
        assertEquals(1_000, first.probe().deliveredCount());
        assertEquals(1_000, second.probe().deliveredCount());
        assertEquals(SystemKind.RAW_AERON, first.kind());
    }

    private AeronSystem start(final String folder)
    {
        return new AeronSystem(new SystemSpec("dev", Map.of(), 64, data), data.resolve(folder));
    }
}
