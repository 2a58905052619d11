package io.chronofabric.journal;

/**
 * The bits of a record's flags byte ({@link RecordLayout#FLAGS_OFFSET}).
 */
public final class RecordFlags
{
    /**
     * Set on the last record of each batch the journal stage appended. The temporal sequencer orders ready messages
     * within these batches, so marking them makes a replay reproduce its release order exactly.
     */
    public static final int BATCH_END = 1;
    /** The HLC timestamp was received from another node ({@link RecordLayout#ORIGIN_NODE_OFFSET} names it). */
    public static final int REMOTE = 2;

    private RecordFlags()
    {
    }
}
