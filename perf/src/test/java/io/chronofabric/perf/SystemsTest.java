package io.chronofabric.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import io.chronofabric.perf.model.Mode;
import io.chronofabric.perf.model.Rss;
import io.chronofabric.perf.model.TrialResult;
import io.chronofabric.perf.spi.SystemKind;
import io.chronofabric.perf.spi.SystemSpec;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SystemsTest
{
    private static final long MESSAGES = 20_000;

    @TempDir
    Path data;

    @ParameterizedTest
    @EnumSource(SystemKind.class)
    void shouldDeliverExactlyEveryMessageSentAsFastAsPossible(final SystemKind kind) throws IOException
    {
        final TrialResult result = runner().run(kind, Mode.THROUGHPUT, 0, 0, MESSAGES);
        assertEquals(MESSAGES, result.messages());
        assertEquals(MESSAGES, result.histogram().getTotalCount(), "one latency per delivered message");
        assertTrue(result.elapsedNanos() > 0 && result.throughput() > 0, "throughput " + result.throughput());
        assertJournalsDeleted();
    }

    @ParameterizedTest
    @EnumSource(SystemKind.class)
    void shouldDeliverExactlyEveryMessageOfAPacedRun(final SystemKind kind) throws IOException
    {
        final long messages = 2_000;
        final TrialResult result = runner().run(kind, Mode.LATENCY, 0, 20_000, messages);
        assertEquals(messages, result.histogram().getTotalCount());
        // 2,000 messages at 20,000/s take 100 ms from the first send; the last cannot be delivered before it is due
        assertTrue(result.elapsedNanos() >= 99_000_000, "elapsed " + result.elapsedNanos() + " ns");
        assertTrue(result.histogram().getMinValue() >= 1);
        assertJournalsDeleted();
    }

    @ParameterizedTest
    @EnumSource(SystemKind.class)
    void shouldAccountTheCpuOfThePublisherAndEverySystemThread(final SystemKind kind)
    {
        final TrialResult result = runner().run(kind, Mode.THROUGHPUT, 0, 0, MESSAGES);
        assertEquals("publisher", result.threads().get(0).name());
        // the dev layout runs one pipeline thread; raw Aeron runs the driver's shared thread, the client's conductor
        // and the subscriber; two nodes run, each, a pipeline thread, the node's thread (its conductor, media driver
        // and Aeron client) and the driver's executor
        final int expectedThreads = SystemKind.CHRONICLE == kind ? 1 : SystemKind.RAW_AERON == kind ? 4 :
            SystemKind.CHRONOFABRIC_TWO_NODE == kind ? 7 : 2;
        assertEquals(expectedThreads, result.threads().size(), result.threads().toString());
        assertTrue(result.threads().stream().allMatch(thread -> thread.cpuNanos() >= 0), result.threads().toString());
        if (Rss.now().totalKb() >= 0)
        {
            assertTrue(result.rssIdle().totalKb() > 0 && result.rssPeak().totalKb() > 0,
                "idle " + result.rssIdle() + ", peak " + result.rssPeak());
        }
    }

    private TrialRunner runner()
    {
        return new TrialRunner(new SystemSpec("dev", Map.of(), 64, data), 20_000_000L);
    }

    private void assertJournalsDeleted() throws IOException
    {
        try (Stream<Path> left = Files.list(data))
        {
            assertEquals(0, left.count(), "each trial deletes its journal");
        }
    }
}
