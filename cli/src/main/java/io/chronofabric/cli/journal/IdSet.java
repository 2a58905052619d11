package io.chronofabric.cli.journal;

import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;

/**
 * The message ids seen by a scan. Engine ids are dense (a base plus the ring sequence), so a bit set from the first
 * id holds millions in a few megabytes; ids far from it (only a damaged or foreign journal has them) go to a hash set.
 */
final class IdSet
{
    private static final long DENSE_RANGE = Integer.MAX_VALUE;

    private final BitSet dense = new BitSet();
    private final Set<Long> sparse = new HashSet<>();
    private boolean empty = true;
    private long base;

    /**
     * @param id a message id.
     * @return false when the id was already in the set.
     */
    boolean add(final long id)
    {
        if (empty)
        {
            empty = false;
            base = id;
        }
        if (isDense(id))
        {
            final int bit = (int)(id - base);
            if (dense.get(bit))
            {
                return false;
            }
            dense.set(bit);
            return true;
        }
        return sparse.add(id);
    }

    /**
     * @param id a message id.
     * @return true when the set holds it.
     */
    boolean contains(final long id)
    {
        return !empty && (isDense(id) ? dense.get((int)(id - base)) : sparse.contains(id));
    }

    private boolean isDense(final long id)
    {
        return id >= base && id - base < DENSE_RANGE;
    }
}
