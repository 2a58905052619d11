package io.chronofabric.perf.jmh;


import io.chronofabric.journal.MessageRecord;
import io.chronofabric.journal.RecordCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The journal record format: {@link RecordCodec#encode} (header, dependencies, payload copy and CRC32C) and
 * {@link RecordCodec#decode} (validation, CRC32C check and copy out), for a payload size.
 */
@State(Scope.Thread)
public class RecordCodecBenchmark extends BenchmarkSettings
{
    private static final int MAX_DEPENDENCIES = 8;

    /** Payload bytes per record. */
    @Param({"64", "256"})
    public int payload;

    private RecordCodec encoder;
    private RecordCodec decoder;
    private MessageRecord record;
    private MessageRecord into;
    private int length;

    /** Builds one record and an encoded copy for the decoder. */
    @Setup
    public void setUp()
    {
        encoder = new RecordCodec(MAX_DEPENDENCIES, payload);
        decoder = new RecordCodec(MAX_DEPENDENCIES, payload);
        record = JmhRecords.record(MAX_DEPENDENCIES, payload, 1);
        into = new MessageRecord(MAX_DEPENDENCIES, payload);
        length = encoder.encode(record);
        System.arraycopy(encoder.scratch(), 0, decoder.scratch(), 0, length);
    }

    /** @return the encoded length. */
    @Benchmark
    public int encode()
    {
        record.id(record.id() + 1);
        return encoder.encode(record);
    }

    /** @return the decoded record. */
    @Benchmark
    public MessageRecord decode()
    {
        decoder.decode(length, 1, into);
        return into;
    }
}
