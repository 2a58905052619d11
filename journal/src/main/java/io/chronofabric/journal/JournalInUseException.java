package io.chronofabric.journal;

import java.nio.file.Path;

/**
 * Another engine holds the journal folder ({@link JournalLock}): two writers would hand out the same ids.
 */
public final class JournalInUseException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    private final long holderPid;

    /**
     * @param dir       the journal folder.
     * @param holderPid the holding process, -1 when unknown.
     */
    public JournalInUseException(final Path dir, final long holderPid)
    {
        super("journal folder " + dir.toAbsolutePath() + " is in use by another engine (" +
            (holderPid > 0 ? "process " + holderPid + (holderPid == ProcessHandle.current().pid() ? ", this one" : "") :
                "process unknown") + "): one engine per journal folder; close it first, or use another folder");
        this.holderPid = holderPid;
    }

    /** @return the holding process, -1 when unknown. */
    public long holderPid()
    {
        return holderPid;
    }
}
