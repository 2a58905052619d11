package io.chronofabric.engine.api;

/**
 * The journal could not be written (a full disk, an I/O error, a failed sync): the engine can no longer keep its
 * system of record, so it refuses publishes. Messages up to {@link #lastAcknowledgedId()} were acknowledged and are
 * journaled as the durability policy promises; later ones were not acknowledged.
 */
public final class JournalFailedException extends EngineFailedException
{
    private static final long serialVersionUID = 1L;

    private final long lastAcknowledgedId;

    /**
     * @param lastAcknowledgedId the highest acknowledged message id.
     * @param cause              the journal's failure.
     */
    public JournalFailedException(final long lastAcknowledgedId, final Throwable cause)
    {
        super("the journal failed (" + describe(cause) + "); messages up to id " + lastAcknowledgedId +
            " are acknowledged, later ones are not, and the engine refuses publishes", cause);
        this.lastAcknowledgedId = lastAcknowledgedId;
    }

    /** @return the highest acknowledged message id when the journal failed. */
    public long lastAcknowledgedId()
    {
        return lastAcknowledgedId;
    }
}
