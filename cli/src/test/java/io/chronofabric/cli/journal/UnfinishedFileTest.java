package io.chronofabric.cli.journal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.chronofabric.journal.JournalFiles;
import io.chronofabric.journal.SettlementLayout;
import io.chronofabric.journal.TraceLayout;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A roll file a kill left while Chronicle was creating it (sized, every byte zero: the queue was rolling into the next
 * cycle) in one of the journal's queues. {@code journal verify} reports it within seconds as a finding a restart
 * repairs, verdict REPAIRABLE, not CORRUPT, in the JSON it always prints; {@code journal stats} cannot read the queue
 * and says so in one line; {@code run --resume} starts, setting the file aside, and verify then passes.
 */
@Timeout(300)
class UnfinishedFileTest
{
    private static final Duration PROMPTLY = Duration.ofSeconds(10);

    @TempDir
    static Path dir;

    private static JournalImage image;
    private static JsonNode undamaged;
    private static int copies;

    @BeforeAll
    static void writeARealJournal() throws Exception
    {
        final Path original = dir.resolve("original");
        Cli.writeJournal(original, 2_000);
        image = JournalImage.of(original);
        undamaged = Cli.run("journal", "verify", original.toString(), "--json").json();
        assertEquals("OK", undamaged.get("verdict").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", TraceLayout.FOLDER, SettlementLayout.FOLDER})
    void verifyReportsItAsRepairableStatsRefusesItAndRunResumeSetsItAside(final String folder) throws Exception
    {
        final Path copy = dir.resolve("copy-" + copies++);
        image.copyTo(copy);
        final Path queueDir = copy.resolve(folder);
        final Path unfinished = nextCycleLeftInCreation(queueDir);
        final String queue = folder.isEmpty() ? "journal" : folder;

        final Cli.Result verify = promptly("journal", "verify", copy.toString(), "--json");
        assertEquals(1, verify.code(), verify::toString);
        final JsonNode report = verify.json();
        assertEquals("REPAIRABLE", report.get("verdict").asText(), verify::toString);
        assertEquals(names(undamaged), names(report), "the report keeps its shape");
        assertEquals(1, report.get("problems").size(), verify::toString);
        final JsonNode problem = report.get("problems").get(0);
        assertEquals(List.of("queue", "index", "index_hex", "kind", "message"), names(problem), "as every finding");
        assertEquals(queue, problem.get("queue").asText());
        assertEquals("unfinished_file", problem.get("kind").asText());
        assertTrue(problem.get("message").asText().startsWith(unfinished + ": all "), verify::toString);
        assertTrue(problem.get("message").asText().contains("it holds nothing, and the next engine start sets it " +
            "aside"), verify::toString);
        assertEquals(1, report.get("problem_counts").get("unfinished_file").asLong());

        final Cli.Result text = promptly("journal", "verify", copy.toString());
        assertEquals(1, text.code(), text::toString);
        assertTrue(text.out().contains("verdict: REPAIRABLE (unfinished_file=1): the next engine start on the " +
            "journal sets the unfinished files aside, losing nothing"), text::toString);

        final Cli.Result stats = promptly("journal", "stats", copy.toString());
        assertEquals(1, stats.code(), stats::toString);
        assertEquals("", stats.out());
        assertTrue(stats.err().startsWith("chronofabric: unfinished journal file " + unfinished + ": all "),
            stats::toString);
        assertTrue(stats.err().endsWith("it holds nothing, and the next engine start sets it aside\n"),
            stats::toString);
        assertEquals(1, stats.err().lines().count(), stats::toString);

        final Cli.Result run = promptly("run", "--resume", "--messages", "10", "--warmup", "0", "--journal",
            copy.toString());
        assertEquals(0, run.code(), run::toString);
        assertFalse(Files.exists(unfinished), "set aside");
        assertTrue(Files.exists(unfinished.resolveSibling(unfinished.getFileName() + ".unfinished")));
        final Cli.Result after = promptly("journal", "verify", copy.toString(), "--json");
        assertEquals(0, after.code(), after::toString);
        assertEquals(2_010, after.json().get("records").asLong(), after::toString);
    }

    /**
     * @return the next cycle's roll file of the queue, as a kill leaves it after Chronicle sized it (the size of the
     *     queue's file, every byte zero).
     */
    private static Path nextCycleLeftInCreation(final Path queueDir) throws IOException
    {
        final Path today = JournalFiles.rollFiles(queueDir).get(0);
        final String name = today.getFileName().toString();
        final LocalDate day = LocalDate.parse(name.substring(0, 8), DateTimeFormatter.BASIC_ISO_DATE);
        final Path next = today.resolveSibling(day.plusDays(1).format(DateTimeFormatter.BASIC_ISO_DATE) +
            name.substring(8));
        try (RandomAccessFile file = new RandomAccessFile(next.toFile(), "rw"))
        {
            file.setLength(Files.size(today));
        }
        return next;
    }

    private static List<String> names(final JsonNode node)
    {
        final List<String> names = new ArrayList<>();
        for (final Iterator<String> it = node.fieldNames(); it.hasNext(); )
        {
            names.add(it.next());
        }
        return names;
    }

    private static Cli.Result promptly(final String... args)
    {
        return assertTimeoutPreemptively(PROMPTLY, () -> Cli.run(args), () -> String.join(" ", args) +
            " did not finish within " + PROMPTLY.toSeconds() + " s");
    }
}
