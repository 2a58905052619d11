package io.chronofabric.journal;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import net.openhft.chronicle.bytes.SyncMode;

/**
 * What a journaled message survives once it is acknowledged. A message is acknowledged when the journal stage has
 * done what the policy promises for it; {@code publish} returns earlier, when the message is accepted into the ring.
 */
public enum Durability
{
    /**
     * Acknowledged once appended to the memory-mapped file: it is in the page cache and survives a crash of the
     * process (the kernel writes it back), not a crash of the host or a power loss.
     */
    NONE(SyncMode.NONE),
    /**
     * As {@link #NONE}, and after each batch the journal asks the kernel to start writing the batch back
     * ({@code msync(MS_ASYNC)}): the window in which a host crash loses acknowledged messages shrinks to the writeback
     * delay, without waiting for the disk.
     */
    ASYNC(SyncMode.ASYNC),
    /**
     * Acknowledged only after {@code msync(MS_SYNC)} of its batch returned: survives a host crash or power loss once
     * acknowledged. Batches are group-committed, so concurrent publishers share each sync.
     */
    SYNC(SyncMode.SYNC);

    private final SyncMode syncMode;

    Durability(final SyncMode syncMode)
    {
        this.syncMode = syncMode;
    }

    /** @return Chronicle's sync mode for this policy. */
    public SyncMode syncMode()
    {
        return syncMode;
    }

    /**
     * @param name a policy name, case-insensitive.
     * @return the policy.
     * @throws IllegalArgumentException naming the allowed values.
     */
    public static Durability parse(final String name)
    {
        try
        {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("unknown durability '" + name + "'; allowed: " + allowed(), ex);
        }
    }

    /** @return the accepted names, comma separated. */
    public static String allowed()
    {
        return Arrays.stream(values()).map(d -> d.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
    }

    /** @return the lower-case name, as profiles write it. */
    public String label()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
