package io.chronofabric.perf.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import io.chronofabric.journal.Durability;
import io.chronofabric.journal.JournalQueues;
import io.chronofabric.journal.JournalReader;
import io.chronofabric.journal.JournalWriter;
import io.chronofabric.journal.MessageRecord;
import io.chronofabric.journal.RecordCodec;
import io.chronofabric.journal.RecordLayout;
import io.chronofabric.perf.spi.SystemSpec;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The journal: {@link JournalWriter#append} (encode with CRC32C, one Chronicle Queue document) and
 * {@link JournalWriter#add} (the same, into a batch's document of up to 64 records) into a fresh journal per iteration (an iteration writes a few hundred MB; each is deleted after it), and {@link JournalReader#next}
 * (read, CRC check, decode) over a journal of {@link #RECORDS} records, starting again at its end.
 */
@State(Scope.Thread)
public class JournalBenchmark extends BenchmarkSettings
{
    /** Records in the journal the read benchmark reads. */
    public static final int RECORDS = 1_000_000;
    private static final int MAX_DEPENDENCIES = 8;

    /** Payload bytes per record. */
    @Param("64")
    public int payload;

    private Path appendDir;
    private JournalWriter writer;
    private MessageRecord record;
    private Path rawDir;
    private ChronicleQueue rawQueue;
    private ExcerptAppender rawAppender;
    private byte[] rawBytes;
    private int rawLength;
    private Path readDir;
    private JournalReader reader;
    private MessageRecord into;

    /** Fills the journal the read benchmark reads. */
    @Setup(Level.Trial)
    public void fillJournal() throws IOException
    {
        readDir = Files.createTempDirectory("jmh-journal-read");
        try (JournalWriter fill = new JournalWriter(readDir, JournalQueues.DEFAULT_ROLL_CYCLE, MAX_DEPENDENCIES, payload))
        {
            final MessageRecord filled = JmhRecords.record(MAX_DEPENDENCIES, payload, 1);
            for (int i = 1; i <= RECORDS; i++)
            {
                filled.id(i);
                fill.append(filled);
            }
        }
        reader = new JournalReader(readDir, MAX_DEPENDENCIES, payload);
        into = new MessageRecord(MAX_DEPENDENCIES, payload);
    }

    /** Opens a fresh journal for this iteration's appends. */
    @Setup(Level.Iteration)
    public void openWriter() throws IOException
    {
        appendDir = Files.createTempDirectory("jmh-journal-append");
        writer = new JournalWriter(appendDir, JournalQueues.DEFAULT_ROLL_CYCLE, MAX_DEPENDENCIES, payload);
        record = JmhRecords.record(MAX_DEPENDENCIES, payload, 1);
        rawDir = Files.createTempDirectory("jmh-journal-raw");
        // mapped as the writer's queue is: the default block, raised to hold four of its longest record
        rawQueue = JournalQueues.openForWrite(rawDir, JournalQueues.DEFAULT_ROLL_CYCLE, Durability.NONE,
            JournalQueues.DEFAULT_BLOCK_SIZE, RecordLayout.recordLength(MAX_DEPENDENCIES, payload));
        rawAppender = rawQueue.createAppender();
        final RecordCodec codec = new RecordCodec(MAX_DEPENDENCIES, payload);
        rawLength = codec.encode(record);
        rawBytes = Arrays.copyOf(codec.scratch(), rawLength);
    }

    /** Closes and deletes this iteration's journal. */
    @TearDown(Level.Iteration)
    public void closeWriter()
    {
        writer.close();
        SystemSpec.deleteRecursively(appendDir);
        rawAppender.close();
        rawQueue.close();
        SystemSpec.deleteRecursively(rawDir);
    }

    /** Closes and deletes the read journal. */
    @TearDown(Level.Trial)
    public void closeReader()
    {
        reader.close();
        SystemSpec.deleteRecursively(readDir);
    }

    /** @return the index the record was appended at. */
    @Benchmark
    public long append()
    {
        record.id(record.id() + 1);
        return writer.append(record);
    }

    /**
     * What the journal stage does per message: the record added to the batch's document, committed every 64 records
     * (a full document; the stage also commits at each batch's end).
     */
    @Benchmark
    public void batch()
    {
        record.id(record.id() + 1);
        writer.add(record);
    }

    /**
     * The baseline for {@link #append()}: a bare Chronicle appender writing the same bytes (an already encoded
     * record of the same size) as one document, with no encoding and no CRC.
     *
     * @return the index the bytes were appended at.
     */
    @Benchmark
    public long rawAppend()
    {
        try (DocumentContext context = rawAppender.writingDocument())
        {
            context.wire().bytes().write(rawBytes, 0, rawLength);
        }
        return rawAppender.lastIndexAppended();
    }

    /** @return the record read (the next one, or the first after the end). */
    @Benchmark
    public MessageRecord read()
    {
        if (!reader.next(into))
        {
            reader.toStart();
            reader.next(into);
        }
        return into;
    }
}
