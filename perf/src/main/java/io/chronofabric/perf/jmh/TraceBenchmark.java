package io.chronofabric.perf.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.chronofabric.journal.Durability;
import io.chronofabric.journal.JournalQueues;
import io.chronofabric.journal.TraceWriter;
import io.chronofabric.perf.spi.SystemSpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The latency trace's cost per delivered message: one {@link TraceWriter#add} (the stage timestamps into the batch
 * buffer) per message and one {@link TraceWriter#flush} (one document on the trace queue) per batch of
 * {@link #BATCH}, as the delivery stage does, into a fresh trace folder per iteration.
 */
@State(Scope.Thread)
public class TraceBenchmark extends BenchmarkSettings
{
    /** Messages per delivery batch. */
    public static final int BATCH = 64;

    private Path dir;
    private TraceWriter trace;
    private long nextId = 1;

    /** Opens a fresh trace for this iteration. */
    @Setup(Level.Iteration)
    public void open() throws IOException
    {
        dir = Files.createTempDirectory("jmh-trace");
        trace = new TraceWriter(dir, JournalQueues.DEFAULT_ROLL_CYCLE, Durability.NONE);
        trace.prepare();
    }

    /** Closes and deletes this iteration's trace. */
    @TearDown(Level.Iteration)
    public void close()
    {
        trace.close();
        SystemSpec.deleteRecursively(dir);
    }

    /** One delivery batch: {@link #BATCH} entries, then the batch's document. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void batch()
    {
        final long now = System.nanoTime();
        for (int i = 0; i < BATCH; i++)
        {
            trace.add(nextId++, now - 900, now - 700, now - 500, now - 300, now, 0, 1);
        }
        trace.flush();
    }
}
