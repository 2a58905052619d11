package io.chronofabric.journal;

import java.nio.file.Path;

import net.openhft.chronicle.bytes.Bytes;

/**
 * Layout of the settlement log ({@code settled/} inside a journal folder): one document per delivery batch,
 * little-endian, saying which journaled messages are settled (delivered or dead-lettered for every subscriber they
 * were routed to). A batch with nothing new to say writes nothing.
 * <pre>
 *   0 1 version (2 with refused ids; 1 without, as before they were recorded, readable by that release)
 *   1 1 flags (unused, 0)      2 2 refused count
 *   4 4 CRC32C over bytes [8, length)
 *   8 8 watermark W: every journaled id &lt;= W is settled
 *  16 8 high: the highest id ever settled, never decreasing, also across restarts
 *  24 4 range count   28 4 dead count   32 4 partial count   36 4 retry count
 *  40   ranges:   start (8), end inclusive (8)  ids above W settled in this batch
 *       dead:     id (8)                        ids delivered to no subscriber (dead-lettered whole or for each)
 *       partial:  id (8), subscriber (4), delivered (4: 1, or 0 for dead-lettered)  settled for one subscriber only
 *       retries:  id (8), subscriber (4), attempts made (4)                       a retry scheduled
 *       refused:  id (8)                        ids never journaled (a publish refused after it took the id)
 * </pre>
 * Recovery takes W from the last document and the union of the ranges, partial settlements and retries of every
 * document that can mention an id above W (those whose high is above W), so a batch need only say what it changed.
 * Dead and refused ids it takes from every document within {@code dependencies.window} below W: W passes a refused
 * id as it passes a settled one, and a message published after a restart may still depend on either.
 */
public final class SettlementLayout
{
    /** Name of the settlement folder inside a journal folder. */
    public static final String FOLDER = "settled";
    static final int VERSION = 2;
    /** The version before the refused ids: the same layout, with a refused count of 0. */
    static final int VERSION_WITHOUT_REFUSED = 1;
    static final int REFUSED_OFFSET = 2;
    static final int CRC_OFFSET = 4;
    static final int WATERMARK_OFFSET = 8;
    static final int HIGH_OFFSET = 16;
    static final int RANGES_OFFSET = 24;
    static final int DEAD_OFFSET = 28;
    static final int PARTIAL_OFFSET = 32;
    static final int RETRY_OFFSET = 36;
    static final int HEADER_LENGTH = 40;
    static final int RANGE_LENGTH = 16;
    static final int DEAD_LENGTH = 8;
    static final int PARTIAL_LENGTH = 16;
    static final int RETRY_LENGTH = 16;
    static final int REFUSED_LENGTH = 8;
    /** Ids collected per document at most; beyond it the writer writes a document first. */
    static final int MAX_SETTLED = 8192;
    /** Dead ids, partial settlements, retries and refused ids per document at most. */
    static final int MAX_EVENTS = 1024;
    /** The longest valid document: what a writer's and a reader's scratch must hold. */
    static final int MAX_LENGTH = HEADER_LENGTH + MAX_SETTLED * RANGE_LENGTH +
        MAX_EVENTS * (DEAD_LENGTH + PARTIAL_LENGTH + RETRY_LENGTH + REFUSED_LENGTH);

    private SettlementLayout()
    {
    }

    /**
     * @param document a settlement document's bytes, positioned at its start.
     * @return its high: the highest id settled when it was written (-1 when too short to hold one).
     */
    public static long high(final Bytes<?> document)
    {
        return document.readRemaining() < HEADER_LENGTH ? -1 : document.readLong(document.readPosition() + HIGH_OFFSET);
    }

    /**
     * @param journalDir a journal folder.
     * @return its settlement folder.
     */
    public static Path settlementDir(final Path journalDir)
    {
        return journalDir.resolve(FOLDER);
    }
}
