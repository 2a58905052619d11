package io.chronofabric.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import io.chronofabric.cli.common.ScratchFolders;
import io.chronofabric.journal.JournalFiles;
import io.chronofabric.journal.JournalInUseException;
import io.chronofabric.journal.JournalLock;

/**
 * A fresh run sets the journal folder's journal aside as {@code DIR.previous}, replacing an older copy. Until the
 * new engine has started (a refusal only its start can make: a metrics port in use, an unresolvable host), this can
 * be undone: the older copy is only renamed, and deleted once the start succeeded; a failed start puts both back.
 */
final class JournalSetAside
{
    private final Path journalDir;
    private final Path previous;
    private final Path replaced;

    private JournalSetAside(final Path journalDir, final Path previous, final Path replaced)
    {
        this.journalDir = journalDir;
        this.previous = previous;
        this.replaced = replaced;
    }

    /**
     * @param journalDir the journal folder.
     * @return {@code journalDir + ".previous"}.
     */
    static Path previousOf(final Path journalDir)
    {
        return journalDir.resolveSibling(journalDir.getFileName() + ".previous");
    }

    /**
     * Moves the folder's journal aside, if it holds one.
     *
     * @param journalDir the journal folder.
     * @return what was done, to commit or undo; null when the folder holds no journal (nothing moved).
     * @throws JournalInUseException when a running engine holds the folder.
     * @throws IOException           when a folder cannot be renamed.
     */
    static JournalSetAside of(final Path journalDir) throws IOException
    {
        if (JournalFiles.rollFiles(journalDir).isEmpty())
        {
            return null;
        }
        final long holder = JournalLock.holder(journalDir);
        if (0 != holder)
        {
            // never move a live engine's journal out from under it
            throw new JournalInUseException(journalDir, holder);
        }
        final Path previous = previousOf(journalDir);
        final Path replaced = Files.exists(previous) ?
            previous.resolveSibling(previous.getFileName() + ".replaced-" + ProcessHandle.current().pid()) : null;
        if (null != replaced)
        {
            ScratchFolders.delete(replaced);
            Files.move(previous, replaced, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(journalDir, previous, StandardCopyOption.ATOMIC_MOVE);
        return new JournalSetAside(journalDir, previous, replaced);
    }

    /** @return where the journal now is. */
    Path previous()
    {
        return previous;
    }

    /** The new engine started: the older copy goes for good. */
    void commit() throws IOException
    {
        if (null != replaced)
        {
            ScratchFolders.delete(replaced);
        }
    }

    /**
     * The new engine did not start: what it left in the folder goes, and the journal and the older copy return.
     *
     * @param cause why, kept with any failure to undo.
     */
    void undo(final Throwable cause)
    {
        try
        {
            if (0 != JournalLock.holder(journalDir) || JournalFiles.countRecords(journalDir) > 0)
            {
                // another run took the folder or journaled there meanwhile (the failed start wrote no record): keep it
                throw new IOException(journalDir + " holds a journal again; " + previous + " is left as it is");
            }
            ScratchFolders.delete(journalDir);
            Files.move(previous, journalDir, StandardCopyOption.ATOMIC_MOVE);
            if (null != replaced)
            {
                Files.move(replaced, previous, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            cause.addSuppressed(ex);
        }
    }
}
