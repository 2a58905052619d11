package io.chronofabric.cli.journal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import io.chronofabric.journal.DeadLetterJournal;
import io.chronofabric.journal.JournalCorruptionException;
import io.chronofabric.journal.JournalFileCheck;
import io.chronofabric.journal.SettledState;
import io.chronofabric.journal.SettlementLayout;

/**
 * What {@code verify} checks beyond the records and the trace: that every file of the journal folder's queues is a
 * Chronicle Queue file that can be read ({@link JournalFileCheck}), and every document of the settlement log and of
 * the dead letters. A queue with an unreadable file is not opened at all: Chronicle would wait for a header that
 * never comes, or fault past the end of a truncated file. A file a kill left while Chronicle was creating it is
 * reported as {@link #UNFINISHED_FILE}, not as damage: the next engine start sets it aside, losing nothing.
 */
final class QueueFileChecks
{
    /**
     * The kind of finding for a file a kill left while Chronicle was creating it: not damage (it holds nothing), but
     * Chronicle cannot open its queue until the next engine start sets it aside.
     */
    static final String UNFINISHED_FILE = "unfinished_file";
    /** The kind of finding for a queue whose roll files are there but whose Chronicle metadata file is not. */
    static final String MISSING_METADATA = "missing_metadata";

    private final Path journalDir;
    private final Problems problems;
    private final Set<Path> unreadable = new HashSet<>();
    private final Set<Path> unfinished = new HashSet<>();
    private long settlementDocuments;
    private long deadLetters;

    private QueueFileChecks(final Path journalDir, final Problems problems)
    {
        this.journalDir = journalDir;
        this.problems = problems;
    }

    /**
     * Checks every file of every queue of a journal folder, reporting each one that cannot be read with its byte
     * offset.
     *
     * @param journalDir a journal folder.
     * @param live       true when an engine holds the folder: its newest roll files may be in creation, and files
     *                   may appear or go while they are checked ({@link JournalFileCheck#check}).
     * @param problems   where findings go.
     * @return the checks, which know which queues may be opened.
     */
    static QueueFileChecks files(final Path journalDir, final boolean live, final Problems problems)
    {
        final QueueFileChecks checks = new QueueFileChecks(journalDir, problems);
        for (final Path queueDir : JournalFileCheck.queueDirs(journalDir))
        {
            for (final JournalCorruptionException problem : JournalFileCheck.check(queueDir, live,
                JournalFileCheck.Depth.DOCUMENTS))
            {
                checks.unreadable.add(queueDir);
                if (problem.unfinished())
                {
                    checks.unfinished.add(queueDir);
                    problems.add(checks.queueName(queueDir), -1, UNFINISHED_FILE, problem.file() + ": " +
                        problem.reason() + "; the queue was not read: verify again after that start");
                }
                else if (JournalFileCheck.METADATA_FILE.equals(problem.file().getFileName().toString()) &&
                    Files.notExists(problem.file()))
                {
                    problems.add(checks.queueName(queueDir), -1, MISSING_METADATA, problem.file() + " is missing: " +
                        problem.reason() + "; the queue was not read");
                }
                else
                {
                    problems.add(checks.queueName(queueDir), -1, "unreadable_file", problem.file() +
                        " at byte offset " + problem.offset() + ": " + problem.reason());
                }
            }
        }
        return checks;
    }

    /**
     * @param queueDir one of the journal folder's queue folders.
     * @return true when all its files can be read, so that Chronicle may open it.
     */
    boolean readable(final Path queueDir)
    {
        return !unreadable.contains(queueDir);
    }

    /**
     * @param queueDir one of the journal folder's queue folders.
     * @return true when it was not read because of a file a kill left in creation: what it holds is not known.
     */
    boolean unfinished(final Path queueDir)
    {
        return unfinished.contains(queueDir);
    }

    /**
     * Reads every settlement document and every dead letter, reporting each corrupt one with its index.
     *
     * @param named receives every message id each valid settlement document names.
     */
    void documents(final SettledState.NamedIdSink named)
    {
        final Path settled = SettlementLayout.settlementDir(journalDir);
        if (readable(settled))
        {
            final long before = problems.total();
            try
            {
                settlementDocuments = SettledState.checkAll(journalDir,
                    ex -> problems.add("settled", ex.index(), "corrupt_settlement", ex.reason()), named);
                if (problems.total() == before)
                {
                    // as recovery reads it: backwards from the end, through Chronicle's index
                    SettledState.read(journalDir, 0);
                }
            }
            catch (final JournalCorruptionException ex)
            {
                problems.add("settled", ex.index(), "corrupt_settlement", ex.reason());
            }
            catch (final RuntimeException | InternalError ex)
            {
                problems.add("settled", -1, "unreadable", "the settlement log cannot be read: " + ex);
            }
        }
        final Path dead = journalDir.resolve(DeadLetterJournal.FOLDER);
        if (readable(dead))
        {
            try
            {
                deadLetters = DeadLetterJournal.readAll(journalDir, letter -> { });
            }
            catch (final JournalCorruptionException ex)
            {
                // the dead letters are read in one pass that stops at a corrupt one: those after it are not checked
                problems.add("deadletters", ex.index(), "corrupt_dead_letter", ex.reason() + "; the dead letters " +
                    "after it were not read");
            }
            catch (final RuntimeException | InternalError ex)
            {
                problems.add("deadletters", -1, "unreadable", "the dead letters cannot be read: " + ex);
            }
        }
    }

    /** @return valid settlement documents read by {@link #documents()}. */
    long settlementDocuments()
    {
        return settlementDocuments;
    }

    /** @return valid dead letters read by {@link #documents()}. */
    long deadLetters()
    {
        return deadLetters;
    }

    private String queueName(final Path queueDir)
    {
        return queueDir.equals(journalDir) ? "journal" : queueDir.getFileName().toString();
    }
}
