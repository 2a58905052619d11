package io.chronofabric.engine.internal.sequencing;

/**
 * Which message ids in a sliding window have a property (released, delivered, dead-lettered): a bitset ring indexed
 * by id. Ids at or below the floor (everything before this engine started) count as having it; ids that slid out of
 * the window are "too old to be tracked". Single-threaded; allocation-free.
 */
public final class IdWindow
{
    private final long[] bits;
    private final long mask;
    private final long floor;
    private long highest;

    /**
     * @param capacity ids tracked, a power of two.
     * @param floor    ids at or below it count as marked.
     */
    public IdWindow(final int capacity, final long floor)
    {
        if (Integer.bitCount(capacity) != 1 || capacity < 64)
        {
            throw new IllegalArgumentException("capacity " + capacity + " must be a power of two >= 64");
        }
        this.bits = new long[capacity >> 6];
        this.mask = capacity - 1;
        this.floor = floor;
        this.highest = floor;
    }

    /** @param id an id to mark; ids too old to be tracked are ignored. */
    public void mark(final long id)
    {
        if (id > highest)
        {
            advanceTo(id);
        }
        if (!isTooOld(id) && id > floor)
        {
            final long slot = id & mask;
            bits[(int)(slot >>> 6)] |= 1L << slot;
        }
    }

    /**
     * @param id an id.
     * @return true when marked, at or below the floor, or too old to be tracked (it was validated when young).
     */
    public boolean isMarked(final long id)
    {
        if (id <= floor || isTooOld(id))
        {
            return true;
        }
        if (id > highest)
        {
            return false;
        }
        final long slot = id & mask;
        return 0 != (bits[(int)(slot >>> 6)] & (1L << slot));
    }

    /**
     * @param id an id.
     * @return true when it slid out of the window.
     */
    public boolean isTooOld(final long id)
    {
        return id > floor && highest - id > mask;
    }

    /** @return the floor: ids at or below it count as marked. */
    public long floor()
    {
        return floor;
    }

    /** @return the number of ids tracked. */
    public long capacity()
    {
        return mask + 1;
    }

    /** Forgets every mark: as new, with the same floor (for a reader that goes back to read its ids again). */
    public void reset()
    {
        java.util.Arrays.fill(bits, 0L);
        highest = floor;
    }

    private void advanceTo(final long id)
    {
        if (id - highest > mask)
        {
            java.util.Arrays.fill(bits, 0L);
        }
        else
        {
            for (long cleared = highest + 1; cleared <= id; cleared++)
            {
                final long slot = cleared & mask;
                bits[(int)(slot >>> 6)] &= ~(1L << slot);
            }
        }
        highest = id;
    }
}
