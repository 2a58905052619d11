package io.chronofabric.cli.crash;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Which subscriber indexes receive which message type: the routing the checks expect, given as the type of each
 * subscriber by index. It proves nothing itself.
 */
final class SubscriberTypes
{
    private static final int[] NONE = new int[0];

    private final int[] types;
    private final int[][] byType;

    /** @param types the message type of each subscriber, by index. */
    SubscriberTypes(final int[] types)
    {
        this.types = types.clone();
        this.byType = new int[Arrays.stream(types).max().orElse(-1) + 1][];
        for (int type = 0; type < byType.length; type++)
        {
            final int wanted = type;
            byType[type] = IntStream.range(0, types.length).filter(i -> wanted == types[i]).toArray();
        }
    }

    /** @return how many subscribers there are. */
    int count()
    {
        return types.length;
    }

    /**
     * @param subscriber a subscriber index.
     * @return the type it subscribed to.
     */
    int typeOf(final int subscriber)
    {
        return types[subscriber];
    }

    /**
     * @param type a message type.
     * @return the indexes of its subscribers, in order (do not modify).
     */
    int[] of(final int type)
    {
        return type >= 0 && type < byType.length ? byType[type] : NONE;
    }
}
