package io.chronofabric.journal;

/**
 * The latency trace: per-stage timestamps of delivered messages, persisted in a Chronicle Queue of its own
 * (the {@code trace} folder inside the journal folder) so that latency can be analysed after the fact. Entries are
 * written by the delivery stage after delivery, batched into one document per batch; all integers little-endian.
 *
 * <pre>
 * document:
 *  0  1  version (1)
 *  1  1  reserved (0)
 *  2  2  entry count n (1..MAX_ENTRIES)
 *  4  4  CRC32C over bytes [8, 8 + n * ENTRY_LENGTH)
 *  8     n entries of ENTRY_LENGTH bytes:
 *        0  8  message id
 *        8  8  published   (System.nanoTime of this process; the intended send time under a paced load)
 *       16  8  journaled   (same clock)
 *       24  8  sequenced
 *       32  8  routed
 *       40  8  delivered   (after the last subscriber returned)
 *       48  4  flags       (bit 0: redelivered on recovery)
 *       52  4  subscribers invoked
 * </pre>
 * Stage latencies are differences of timestamps within one entry, so they are valid across restarts even though the
 * monotonic clock's origin changes. Entries are in delivery order, which priorities and retries make differ from id
 * order: the trace measures latency; what recovery needs is in the settlement log ({@link SettlementLayout}).
 */
public final class TraceLayout
{
    /** The trace version this code writes and reads. */
    public static final int VERSION = 1;
    /** Header length of a trace document. */
    public static final int HEADER_LENGTH = 8;
    /** Length of one entry. */
    public static final int ENTRY_LENGTH = 56;
    /** Most entries in one document. */
    public static final int MAX_ENTRIES = 256;
    /** Offset of the entry count. */
    public static final int COUNT_OFFSET = 2;
    /** Offset of the CRC. */
    public static final int CRC_OFFSET = 4;
    /** Entry flag: the message was redelivered by recovery. */
    public static final int FLAG_REDELIVERED = 1;
    /** Name of the trace folder inside a journal folder. */
    public static final String FOLDER = "trace";

    /** Entry offset of the message id. */
    public static final int ID = 0;
    /** Entry offset of the published timestamp. */
    public static final int PUBLISHED = 8;
    /** Entry offset of the journaled timestamp. */
    public static final int JOURNALED = 16;
    /** Entry offset of the sequenced timestamp. */
    public static final int SEQUENCED = 24;
    /** Entry offset of the routed timestamp. */
    public static final int ROUTED = 32;
    /** Entry offset of the delivered timestamp. */
    public static final int DELIVERED = 40;
    /** Entry offset of the flags. */
    public static final int FLAGS = 48;
    /** Entry offset of the number of subscribers invoked. */
    public static final int SUBSCRIBERS = 52;

    private TraceLayout()
    {
    }

    /**
     * @param journalDir a journal folder.
     * @return its trace folder.
     */
    public static java.nio.file.Path traceDir(final java.nio.file.Path journalDir)
    {
        return journalDir.resolve(FOLDER);
    }
}
