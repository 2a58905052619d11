package io.chronofabric.cli.journal;

import io.chronofabric.engine.internal.Engine;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.config.Profiles;
import io.chronofabric.engine.api.JournalFailedException;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.internal.observability.EngineMetrics;
import io.chronofabric.journal.SmallDisk;
import io.chronofabric.journal.Durability;
import io.chronofabric.journal.JournalWriteException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The main job on a small file system that fills up: the journal fails closed (the engine refuses publishes naming
 * the cause and the last acknowledged id), {@code run} exits 1 within seconds with one line saying so, and what was
 * journaled still verifies. Needs a 20 MiB tmpfs, so it runs where the test may mount one (root, as on CI).
 */
class DiskFullTest
{
    @TempDir
    Path dir;

    private SmallDisk smallDisk;
    private Path disk;

    @BeforeEach
    void mountSmallDisk() throws Exception
    {
        smallDisk = SmallDisk.mount(dir, 20);
        disk = smallDisk.path();
    }

    @AfterEach
    void unmount()
    {
        smallDisk.close();
    }

    /** @return the lines a terminal shows: a carriage return lets later text overwrite a line (the progress line). */
    private static long visibleLines(final String err)
    {
        return java.util.Arrays.stream(err.split("\n")).map(line -> line.substring(line.lastIndexOf('\r') + 1)).filter(line -> !line.isBlank()).count();
    }

    @Test
    void shouldExitOneWithinSecondsSayingTheDiskIsFullAndLeaveAJournalThatVerifies() throws Exception
    {
        // a little room to give back once the disk is full: on tmpfs even reading an unwritten page needs a free page
        final Path reserve = disk.resolve("reserve");
        Files.write(reserve, new byte[2 << 20]);
        final Path journal = disk.resolve("journal");
        final Cli.Result run = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Cli.run("run", "--messages",
            "2000000", "--warmup", "0", "--journal", journal.toString(), "--set", "journal.min-free-bytes=0"));
        assertEquals(1, run.code(), run::toString);
        assertEquals(1, visibleLines(run.err()), "one line: " + run.err());
        assertTrue(run.err().contains("disk full") && run.err().contains("acknowledged"), run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace");

        // resumed on the full disk: every publish is taken into the ring before the journal fails, none throws; the
        // run still ends with the failure's one line, not a summary alone
        final Cli.Result resumed = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Cli.run("run", "--resume",
            "--messages", "100", "--warmup", "0", "--journal", journal.toString(), "--set",
            "journal.min-free-bytes=0"));
        assertEquals(1, resumed.code(), resumed::toString);
        assertEquals(1, visibleLines(resumed.err()), "one line: " + resumed.err());
        assertTrue(resumed.err().contains("the journal failed") && resumed.err().contains("acknowledged"),
            resumed.err());

        Files.delete(reserve);
        final Cli.Result verify = Cli.run("journal", "verify", journal.toString());
        assertEquals(0, verify.code(), verify::toString);
    }

    @Test
    void shouldEndAcknowledgementWaitsUnderSyncDurabilityWithTheJournalFailureWhenTheDiskFills()
    {
        final EngineConfiguration context = Profiles.builder("dev").journalDir(disk.resolve("journal"))
            .durability(Durability.SYNC).journalMinFreeBytes(0).build();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
        {
            try (Engine engine = Engine.start(context);
                 EngineMetrics metrics = EngineMetrics.serve(engine, engine.monitor(), 0))
            {
                assertEquals(200, health(metrics.port()).statusCode());
                engine.subscribe(1, message -> { });
                final Publisher publisher = engine.newPublisher(1);
                final byte[] payload = new byte[200];
                long last = 0;
                JournalFailedException failed = null;
                while (null == failed)
                {
                    try
                    {
                        last = publisher.publish(1, (bytes, buffer) -> buffer.put(bytes), payload);
                    }
                    catch (final JournalFailedException ex)
                    {
                        failed = ex;
                    }
                }
                // which journal queue touches the full disk first is a race. The journal's append: the first id after
                // the last acknowledged one was published and will never be acknowledged, and a wait for it ends with
                // the failure. The trace or settlement log at a batch end (a JournalWriteException): everything
                // published may already be journaled and acknowledged; the publish refused after it handed out no
                // id, so there is nothing left to wait for, and a wait for the next id is refused as for any id no
                // publish returned (awaitAcknowledged's contract).
                final boolean appendFailed = !JournalWriteException.isCauseOf(failed);
                final long neverAcknowledged = failed.lastAcknowledgedId() + 1;
                assertTrue(neverAcknowledged <= last || !appendFailed, failed.getMessage());
                if (neverAcknowledged <= last)
                {
                    final JournalFailedException waited = assertThrows(JournalFailedException.class,
                        () -> engine.awaitAcknowledged(neverAcknowledged));
                    assertEquals(failed.lastAcknowledgedId(), waited.lastAcknowledgedId());
                }
                else
                {
                    final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                        () -> engine.awaitAcknowledged(neverAcknowledged));
                    assertTrue(refused.getMessage().contains("never published"), refused.getMessage());
                }
                final HttpResponse<String> unhealthy = health(metrics.port());
                assertEquals(503, unhealthy.statusCode(), unhealthy.body());
                assertTrue(unhealthy.body().contains("refuses publishes"), unhealthy.body());
                assertTrue(engine.counters().journalFailures().get() > 0 || !appendFailed, "the failure is counted");
                assertTrue(engine.counters().journalFailed(), "a journal failure, whichever queue hit the disk");
            }
        });
    }

    @Test
    void shouldRefuseToStartWhenTheDiskHasLessFreeSpaceThanTheMinimum()
    {
        final Cli.Result run = Cli.run("run", "--messages", "1000", "--warmup", "0", "--journal",
            disk.resolve("journal").toString());
        assertEquals(1, run.code(), run::toString);
        assertEquals(1, visibleLines(run.err()), run::toString);
        assertTrue(run.err().contains("below journal.min-free-bytes=134217728"), run.err());
    }

    private static HttpResponse<String> health(final int port) throws IOException, InterruptedException
    {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port +
            "/-/healthy")).timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

}
