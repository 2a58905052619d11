package io.chronofabric.perf.jmh;

import java.util.SplittableRandom;

import io.chronofabric.engine.internal.event.RoutingTable;
import io.chronofabric.engine.internal.event.Subscriber;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The router's lookup, {@link RoutingTable#subscribersOf}: message type to its subscribers, for a stream of types
 * spread over the table (so the lookups are not all one cache line), with some types subscribed once or more.
 */
@State(Scope.Thread)
public class RouterBenchmark extends BenchmarkSettings
{
    private static final int STREAM = 1 << 12;

    /** Message types in the table (the engine's types.max). */
    @Param("256")
    public int types;

    private RoutingTable table;
    private final int[] stream = new int[STREAM];
    private int next;

    /** Subscribes a quarter of the types, 1 to 3 subscribers each, and draws the type stream. */
    @Setup
    public void setUp()
    {
        table = new RoutingTable(types);
        final SplittableRandom random = new SplittableRandom(42);
        int id = 0;
        for (int type = 0; type < types; type += 4)
        {
            for (int i = 0, n = 1 + random.nextInt(3); i < n; i++)
            {
                table.add(new Subscriber(++id, type, message -> { }, null, table));
            }
        }
        for (int i = 0; i < STREAM; i++)
        {
            stream[i] = random.nextInt(types);
        }
    }

    /** @return the subscribers of the next type in the stream. */
    @Benchmark
    public Subscriber[] subscribersOf()
    {
        return table.subscribersOf(stream[next++ & (STREAM - 1)]);
    }
}
