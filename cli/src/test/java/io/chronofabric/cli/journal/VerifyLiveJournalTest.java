package io.chronofabric.cli.journal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.config.Profiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code journal verify} on the folder of an engine that is publishing: a healthy journal verifies OK, the report
 * says which process holds the folder, and what the engine writes while it is read (a document past the file size
 * read a moment before, trace entries of messages journaled after the journal was read) is not reported as damage.
 * {@code journal stats} reads the same folder alike.
 */
class VerifyLiveJournalTest
{
    private static final int TYPE = 1;

    @TempDir
    Path dir;

    @Test
    void shouldVerifyAHealthyJournalAnEngineIsWritingAsOkAndNameTheHolder()
    {
        final Path journal = dir.resolve("journal");
        assertTimeoutPreemptively(Duration.ofSeconds(120), () ->
        {
            final AtomicBoolean publishing = new AtomicBoolean(true);
            final AtomicLong published = new AtomicLong();
            try (ChronoFabric engine = ChronoFabric.start(Profiles.builder("dev").journalDir(journal),
                started -> started.subscribe(TYPE, message -> { })))
            {
                final Thread publisher = new Thread(() ->
                {
                    final Publisher own = engine.newPublisher(TYPE);
                    final byte[] payload = new byte[64];
                    while (publishing.get())
                    {
                        own.publish(TYPE, (bytes, buffer) -> buffer.put(bytes), payload);
                        if (0 == published.incrementAndGet() % 64)
                        {
                            Thread.onSpinWait();
                        }
                    }
                }, "live-publisher");
                publisher.start();
                try
                {
                    while (published.get() < 20_000)
                    {
                        Thread.sleep(10);
                    }
                    for (int run = 0; run < 3; run++)
                    {
                        final Cli.Result verify = Cli.run("journal", "verify", "--json", journal.toString());
                        final JsonNode report = verify.json();
                        assertEquals("OK", report.get("verdict").asText(), verify::toString);
                        assertEquals(0, verify.code(), verify::toString);
                        assertEquals(ProcessHandle.current().pid(), report.get("held_by_pid").asLong(),
                            verify::toString);
                        assertTrue(report.get("records").asLong() > 0, verify::toString);
                        final Cli.Result stats = Cli.run("journal", "stats", "--json", journal.toString());
                        assertEquals(0, stats.code(), stats::toString);
                        assertTrue(stats.json().get("messages").asLong() >= report.get("records").asLong(),
                            stats::toString);
                    }
                    final Cli.Result text = Cli.run("journal", "verify", journal.toString());
                    assertEquals(0, text.code(), text::toString);
                    assertTrue(text.out().contains("held by a running engine (process " +
                        ProcessHandle.current().pid()), text::toString);
                }
                finally
                {
                    publishing.set(false);
                    publisher.join();
                }
            }
            final Cli.Result atRest = Cli.run("journal", "verify", "--json", journal.toString());
            assertEquals("OK", atRest.json().get("verdict").asText(), atRest::toString);
            assertTrue(atRest.json().get("held_by_pid").isNull(), atRest::toString);
            assertEquals(published.get(), atRest.json().get("records").asLong(), atRest::toString);
        });
    }
}
