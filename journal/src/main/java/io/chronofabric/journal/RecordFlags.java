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
    /**
     * Alternates from one journal batch to the next, so that a batch boundary shows in the records themselves even
     * when the batch's last slot carried no message (a rejected publish) and so no record got {@link #BATCH_END}.
     */
    public static final int BATCH_PARITY = 4;

    private RecordFlags()
    {
    }
}
