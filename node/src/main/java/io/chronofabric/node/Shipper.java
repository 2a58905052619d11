package io.chronofabric.node;

import java.nio.ByteBuffer;
import java.nio.file.Path;

import io.aeron.Publication;
import io.chronofabric.engine.internal.sequencing.IdWindow;
import io.chronofabric.journal.JournalReader;
import io.chronofabric.journal.MessageRecord;
import io.chronofabric.journal.RawRecord;
import io.chronofabric.journal.RecordCodec;
import io.chronofabric.journal.RecordFlags;
import io.chronofabric.journal.RecordLayout;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Ships this node's own journaled messages to one peer: a journal tailer of its own, off the pipeline thread, offering
 * each record to the peer's publication in journal order. A peer that does not keep up back-pressures the
 * publication, and this shipper simply stays where it is in the journal: the peer's lag grows in the journal, never
 * in the pipeline, and nothing is dropped. Shipping starts, and restarts, at the origin id the peer asks for.
 * Not thread-safe: the node conductor's thread only.
 */
final class Shipper implements AutoCloseable
{
    private static final int SPARSE_EVERY = 256;
    /** Most journal records one {@link #ship} call reads. */
    static final int SCAN_PER_CALL = 4096;
    private static final int ORIGIN_MAP_SIZE = 1 << 16;

    private final int nodeId;
    private final Path journalDir;
    private final int maxDependencies;
    private final int payloadCapacity;
    private final MessageRecord record;
    private final RecordCodec codec;
    private final UnsafeBuffer frame;
    private final long[] originMapLocalId = new long[ORIGIN_MAP_SIZE];
    private final int[] originMapNode = new int[ORIGIN_MAP_SIZE];
    private final long[] originMapOriginId = new long[ORIGIN_MAP_SIZE];
    /**
     * For messages the application relayed with {@code remoteTimestamp} only, in the same slots: their own
     * dependencies in the form peers resolve, which a dependency on them is shipped as; a count of -1 when they do not
     * fit in one record. Allocated per slot on first use.
     */
    private final long[][] relayedDependencies = new long[ORIGIN_MAP_SIZE][];
    private final int[] relayedDependencyCount = new int[ORIGIN_MAP_SIZE];
    private final long[] shippable;
    /** The local ids of messages this node received or relayed (not its own), as far back as a dependency reaches. */
    private final IdWindow notOwn;
    /** The id of the first record this shipper read, at the journal's start: below it, retention deleted the rest. */
    private long firstReadId;
    /**
     * What a dependency no peer can resolve is shipped as: this node's highest possible origin id, which no message
     * carries and no settled floor covers, so the dependent is held on the peer until its hold timeout, then
     * dead-lettered; never released early.
     */
    private final long unnamed;
    private long[] sparseIds = new long[64];
    private long[] sparseIndexes = new long[64];
    private int sparseCount;
    private long localSeen;
    private long lastLocalNoted;

    private JournalReader reader;
    private boolean positioned;
    private long skipThrough;
    private long lastOwnRead;
    private int pendingLength;
    private long pendingId;
    private long checkFingerprint;
    private int checkPeer;
    private final MessageFingerprint fingerprint = new MessageFingerprint();
    private long lastShippedId;
    private long shipped;
    private long shippedBytes;
    private int scannedThisCall;

    /**
     * @param nodeId           this node's id: records with another origin are not shipped (each node ships its own).
     * @param journalDir       this node's journal.
     * @param maxDependencies  {@code dependencies.max}.
     * @param payloadCapacity  {@code payload.capacity}.
     * @param dependencyWindow {@code dependencies.window}: how far back a dependency reaches.
     */
    Shipper(final int nodeId, final Path journalDir, final int maxDependencies, final int payloadCapacity,
        final int dependencyWindow)
    {
        this.notOwn = new IdWindow(dependencyWindow, 0);
        this.nodeId = nodeId;
        this.journalDir = journalDir;
        this.maxDependencies = maxDependencies;
        this.payloadCapacity = payloadCapacity;
        this.record = new MessageRecord(maxDependencies, payloadCapacity);
        this.shippable = new long[maxDependencies];
        this.unnamed = RecordLayout.remoteDependency(nodeId, RecordLayout.MAX_REMOTE_ORIGIN_ID);
        this.codec = new RecordCodec(maxDependencies, payloadCapacity);
        this.frame = new UnsafeBuffer(ByteBuffer.allocateDirect(
            Wire.DATA_RECORD_OFFSET + RecordLayout.recordLength(maxDependencies, payloadCapacity)));
    }

    /**
     * Ships, from now on, every message of this node with an origin id above {@code afterOriginId}: the peer asked for
     * them (it has journaled everything of ours up to it). Reading starts at a remembered position at least
     * {@code dependencies.window} ids before it, and what was read before is forgotten: the first record shipped names
     * its true predecessor, and every message a shipped one may depend on is read again first, so that received ones
     * are told from this node's own by this pass alone (its memory of a pass further on would take a dependency
     * older than its window for this node's own).
     *
     * @param afterOriginId the peer's high-water mark for this node.
     */
    void resendAfter(final long afterOriginId)
    {
        resendAfter(afterOriginId, MessageFingerprint.UNKNOWN, 0);
    }

    /**
     * As {@link #resendAfter(long)}, and checks, when it reads past it, that this journal's message
     * {@code afterOriginId} is the one the peer holds under that id.
     *
     * @param afterOriginId    the peer's high-water mark for this node.
     * @param heldFingerprint  the {@link MessageFingerprint} of the message the peer holds under that id;
     *                         {@link MessageFingerprint#UNKNOWN} for no check.
     * @param peer             the peer, for the message.
     * @throws NodeStoppedException from {@link #ship} when the two differ: this journal issued that id again.
     */
    void resendAfter(final long afterOriginId, final long heldFingerprint, final int peer)
    {
        this.checkFingerprint = heldFingerprint;
        this.checkPeer = peer;
        if (null == reader)
        {
            reader = new JournalReader(journalDir, maxDependencies, payloadCapacity);
        }
        final long readFrom = afterOriginId - notOwn.capacity(); // dependencies.window
        int entry = -1;
        for (int i = sparseCount - 1; i >= 0; i--)
        {
            if (sparseIds[i] <= readFrom)
            {
                entry = i;
                break;
            }
        }
        if (entry < 0 || !reader.moveToIndex(sparseIndexes[entry]))
        {
            reader.toStart();
        }
        notOwn.reset();
        skipThrough = afterOriginId;
        lastOwnRead = 0;
        pendingLength = 0;
        positioned = true;
    }

    /** Stops shipping until the next {@link #resendAfter} (a quarantined peer). */
    void stop()
    {
        positioned = false;
        pendingLength = 0;
    }

    /**
     * Ships up to {@code limit} messages.
     *
     * @param publication the peer's data publication.
     * @param limit       most messages this call.
     * @return work done: messages shipped, or 1 when none was but records were read past (not idle).
     */
    int ship(final Publication publication, final int limit)
    {
        if (!positioned)
        {
            return 0;
        }
        int done = 0;
        scannedThisCall = 0;
        while (done < limit)
        {
            if (0 == pendingLength && !readNextOwn())
            {
                break;
            }
            final long result = publication.offer(frame, 0, pendingLength);
            if (result < 0)
            {
                // back pressure, not connected, admin action: the record waits here, the journal keeps the rest
                break;
            }
            shipped++;
            shippedBytes += pendingLength;
            lastShippedId = Math.max(lastShippedId, pendingId);
            pendingLength = 0;
            done++;
        }
        return 0 == done && scannedThisCall > 0 ? 1 : done;
    }

    /**
     * Reads on to the next record of this node's own to ship and encodes its frame; false at the journal's end, or
     * after {@link #SCAN_PER_CALL} records without one: a resend from the journal's start reads past every received
     * record and everything the peer has, and the thread that ships also runs the node's heartbeats and, by default,
     * its media driver and Aeron client, which must not wait seconds for it.
     */
    private boolean readNextOwn()
    {
        while (scannedThisCall < SCAN_PER_CALL && reader.nextRaw())
        {
            scannedThisCall++;
            final RawRecord raw = reader.raw();
            final long id = raw.id();
            if (0 == firstReadId)
            {
                firstReadId = id;
            }
            if (0 != (raw.flags() & RecordFlags.REMOTE))
            {
                notOwn.mark(id);
                rememberOrigin(id, raw.originNode(), raw.originId());
                if (0 == raw.originId())
                {
                    reader.decodeRaw(record);
                    rememberRelayed(id);
                }
                continue;
            }
            if (id > lastLocalNoted)
            {
                noteLocal(id, reader.lastIndex());
            }
            final long previous = lastOwnRead;
            lastOwnRead = id;
            if (id == skipThrough && MessageFingerprint.UNKNOWN != checkFingerprint)
            {
                requireTheMessageThePeerHolds(id);
            }
            if (id <= skipThrough)
            {
                continue;
            }
            encode(raw, previous);
            return true;
        }
        return false;
    }

    /**
     * The peer holds a message of this node under {@code id}: this journal's must be that one, or the two have parted
     * (an older copy of this journal ran while its peers were down and issued the id again, or a tail lost under
     * {@code journal.durability=async} was issued again), and every message shipped from here on would follow a
     * message the peer does not have.
     */
    private void requireTheMessageThePeerHolds(final long id)
    {
        reader.decodeRaw(record);
        final long held = checkFingerprint;
        checkFingerprint = MessageFingerprint.UNKNOWN;
        if (fingerprint.of(record) != held)
        {
            throw new NodeStoppedException("peer " + checkPeer + " holds a message of node " + nodeId + " under " +
                "origin id " + id + " that differs from this journal's message " + id + " (type, priority or " +
                "payload): this journal issued again ids the peer holds (an older copy of it ran while its peers " +
                "were down, or a tail lost under journal.durability=async was issued again), and the two no longer " +
                "hold the same messages. Restart it with --resume on the journal the peer's messages came from; " +
                "compare the two with journal dump before anything else");
        }
    }

    private void noteLocal(final long id, final long index)
    {
        if (0 == localSeen++ % SPARSE_EVERY)
        {
            if (sparseCount == sparseIds.length)
            {
                sparseIds = java.util.Arrays.copyOf(sparseIds, sparseCount * 2);
                sparseIndexes = java.util.Arrays.copyOf(sparseIndexes, sparseCount * 2);
            }
            sparseIds[sparseCount] = id;
            sparseIndexes[sparseCount] = index;
            sparseCount++;
        }
        lastLocalNoted = id;
    }

    private void rememberOrigin(final long localId, final int originNode, final long originId)
    {
        final int slot = (int)(localId & (ORIGIN_MAP_SIZE - 1));
        originMapLocalId[slot] = localId;
        originMapNode[slot] = originNode;
        originMapOriginId[slot] = originId;
    }

    /** Keeps what the relayed message just read depends on, as peers can resolve it. */
    private void rememberRelayed(final long localId)
    {
        final int slot = (int)(localId & (ORIGIN_MAP_SIZE - 1));
        if (null == relayedDependencies[slot])
        {
            relayedDependencies[slot] = new long[shippable.length];
        }
        relayedDependencyCount[slot] = shippable(relayedDependencies[slot], true);
    }

    /**
     * Writes the record's dependencies into {@code into} in the form peers resolve: a local id becomes a cross-node
     * dependency on this node's message or, for a message this node received, on its origin's; a dependency on a
     * message the application relayed ({@code remoteTimestamp} only, which no peer is shipped and none can name)
     * becomes what that message depends on, when {@code expandRelayed} and they fit.
     *
     * @return how many were written; -1 when expanding relayed messages would not fit.
     */
    private int shippable(final long[] into, final boolean expandRelayed)
    {
        int count = 0;
        for (int i = 0, n = record.dependencyCount(); i < n; i++)
        {
            final long dependency = record.dependency(i);
            final int slot = (int)(dependency & (ORIGIN_MAP_SIZE - 1));
            if (!RecordLayout.isRemoteDependency(dependency) && originMapLocalId[slot] == dependency &&
                0 == originMapOriginId[slot] && expandRelayed && relayedDependencyCount[slot] >= 0)
            {
                if (count + relayedDependencyCount[slot] > into.length)
                {
                    return -1;
                }
                System.arraycopy(relayedDependencies[slot], 0, into, count, relayedDependencyCount[slot]);
                count += relayedDependencyCount[slot];
            }
            else if (count == into.length)
            {
                return -1;
            }
            else
            {
                into[count++] = shippable(dependency, slot);
            }
        }
        return count;
    }

    /**
     * @return the dependency as peers resolve it: a local id of this node's own message names that message, one of a
     *     message it received names that message's origin; one received or relayed too far back to be remembered,
     *     or relayed with dependencies that could not be shipped in its place, is {@link #unnamed}.
     */
    private long shippable(final long dependency, final int slot)
    {
        if (RecordLayout.isRemoteDependency(dependency))
        {
            return dependency;
        }
        if (originMapLocalId[slot] != dependency)
        {
            // not remembered: this node's own message, or one received or relayed too far back to be named; below
            // what this shipper read (deleted by retention) it cannot tell, and names none rather than guess own
            return dependency >= firstReadId && (notOwn.isTooOld(dependency) || !notOwn.isMarked(dependency)) ?
                RecordLayout.remoteDependency(nodeId, dependency) : unnamed;
        }
        return 0 != originMapOriginId[slot] ?
            RecordLayout.remoteDependency(originMapNode[slot], originMapOriginId[slot]) : unnamed;
    }

    /**
     * Writes the DATA frame, naming the previous own record this shipper read (not the last it shipped): the peer then
     * sees a gap for anything between them it lacks, whatever the reason this shipper did not send it. A record
     * without dependencies travels as journaled, undecoded. A dependency on a local id becomes a cross-node dependency that peers can resolve, on
     * this node's message or, for a message this node received, on its origin's. Received messages are remembered
     * for the last {@value #ORIGIN_MAP_SIZE} local ids; a dependency on an older received message is shipped as
     * {@link #unnamed} and times out on the peer, so declare those with {@code dependsOn(node, originId)}. A
     * dependency on a message the application published with {@code remoteTimestamp} only, which is shipped to no peer
     * and names none, travels as that message's own dependencies, so that they hold on peers too; when they do not
     * fit in one record, as one no message satisfies ({@link #unnamed}), which holds until the peer's hold timeout.
     */
    private void encode(final RawRecord raw, final long previous)
    {
        pendingId = raw.id();
        Wire.header(frame, Wire.DATA, nodeId);
        frame.putLong(Wire.DATA_PREVIOUS_OFFSET, previous, Wire.ORDER);
        if (0 == raw.dependencyCount() && raw.isCurrentVersion())
        {
            // nothing to say in the peers' terms: the record travels as journaled, its CRC checked by the receiver
            frame.putBytes(Wire.DATA_RECORD_OFFSET, raw.bytes(), 0, raw.length());
            pendingLength = Wire.DATA_RECORD_OFFSET + raw.length();
            return;
        }
        reader.decodeRaw(record);
        int count = shippable(shippable, true);
        if (count < 0)
        {
            count = shippable(shippable, false);
        }
        for (int i = 0; i < count; i++)
        {
            record.dependency(i, shippable[i]);
        }
        record.dependencyCount(count);
        final int length = codec.encode(record);
        frame.putBytes(Wire.DATA_RECORD_OFFSET, codec.scratch(), 0, length);
        pendingLength = Wire.DATA_RECORD_OFFSET + length;
    }

    /** @return the highest id of this node's messages this shipper has shipped, 0 before the first. */
    long lastShippedId()
    {
        return lastShippedId;
    }

    /** @return messages shipped, resends included. */
    long shipped()
    {
        return shipped;
    }

    /** @return mean bytes per shipped frame, 0 before the first. */
    long meanFrameBytes()
    {
        return 0 == shipped ? 0 : shippedBytes / shipped;
    }

    @Override
    public void close()
    {
        if (null != reader)
        {
            reader.close();
            reader = null;
        }
    }
}
