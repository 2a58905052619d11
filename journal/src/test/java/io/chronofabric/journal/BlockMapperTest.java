package io.chronofabric.journal;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With a {@link BlockMapper} the appending thread crosses into each next Chronicle block without mapping it: without
 * the mapper it allocates Chronicle's objects for each block (about 1.5 KB), with it nothing (a window of crossings
 * allocating nothing at all); every record reads back whole, across blocks and roll files; and the block mapped ahead
 * takes no disk space.
 */
class BlockMapperTest
{
    private static final int MAX_DEPENDENCIES = 4;
    private static final int PAYLOAD_CAPACITY = 200;
    private static final long BLOCK = JournalQueues.MIN_BLOCK_SIZE;
    private static final long WAIT_NANOS = 10_000_000_000L;
    /** Windows measured after the warm-up. */
    private static final int WINDOWS = 6;
    /** Blocks' worth of records written in each window, at least one block crossing each. */
    private static final int BLOCKS_PER_WINDOW = 8;

    @TempDir
    Path dir;

    /**
     * Windows of {@link #BLOCKS_PER_WINDOW} block crossings each: without the mapper every window allocates (each
     * crossing does); with it, some window allocates nothing, so no crossing allocates by itself. The least window is
     * the measure, not the sum: the JIT recompiling part of the path now and then allocates a few hundred bytes once.
     */
    @Test
    void theAppendingThreadCrossesIntoMappedBlocksWithoutAllocating()
    {
        final long[] withMapper;
        try (BlockMapper mapper = new BlockMapper("test-block-mapper");
             JournalWriter writer = new JournalWriter(dir.resolve("with"), "FAST_DAILY", Durability.NONE, BLOCK,
                 MAX_DEPENDENCIES, PAYLOAD_CAPACITY).mapAheadWith(mapper))
        {
            withMapper = allocatedWhileCrossingBlocks(writer, mapper);
        }
        final long[] without;
        try (JournalWriter writer = new JournalWriter(dir.resolve("without"), "FAST_DAILY", Durability.NONE, BLOCK,
            MAX_DEPENDENCIES, PAYLOAD_CAPACITY))
        {
            without = allocatedWhileCrossingBlocks(writer, null);
        }
        assertTrue(least(without) >= 256 * BLOCKS_PER_WINDOW, "the control: each window of " + BLOCKS_PER_WINDOW +
            " block crossings without the mapper allocates; bytes per window " + Arrays.toString(without));
        assertEquals(0, least(withMapper), "bytes the appending thread allocated in each window of " +
            BLOCKS_PER_WINDOW + " crossings into blocks mapped ahead " + Arrays.toString(withMapper) +
            "; without the mapper " + Arrays.toString(without));
    }

    private static long least(final long[] values)
    {
        return Arrays.stream(values).min().orElseThrow();
    }

    @Test
    void everyRecordReadsBackWholeAcrossBlocksAndRollFiles() throws Exception
    {
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        final int records = 6_000;
        try (BlockMapper mapper = new BlockMapper("test-block-mapper");
             JournalWriter writer = new JournalWriter(dir, "TEST_SECONDLY", Durability.NONE, BLOCK,
                 MAX_DEPENDENCIES, PAYLOAD_CAPACITY).mapAheadWith(mapper))
        {
            writer.prepare();
            final MessageRecord record = new MessageRecord(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
            for (int id = 1; id <= records; id++)
            {
                fill(record, id, random);
                writer.add(record);
                if (0 == id % (1 + random.nextInt(64)))
                {
                    writer.commit();
                }
                if (0 == id % 2_000)
                {
                    writer.commit();
                    // the mapper follows the appender, into each new roll file too
                    awaitMappedAhead(writer::blockAheadMapped);
                    Thread.sleep(1_000); // a roll to the next file
                }
            }
            writer.commit();
        }
        final Random expected = new Random(seed);
        final MessageRecord want = new MessageRecord(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
        final MessageRecord read = new MessageRecord(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
        try (JournalReader reader = new JournalReader(dir, MAX_DEPENDENCIES, PAYLOAD_CAPACITY))
        {
            for (int id = 1; id <= records; id++)
            {
                fill(want, id, expected);
                expected.nextInt(64); // the writer's draw for a commit
                assertTrue(reader.next(read), "record " + id + " (seed " + seed + ")");
                assertEquals(want.id(), read.id(), "seed " + seed);
                assertEquals(want.payloadLength(), read.payloadLength(), "seed " + seed);
                for (int i = 0; i < want.payloadLength(); i++)
                {
                    assertEquals(want.payload()[i], read.payload()[i], "record " + id + " seed " + seed);
                }
            }
            assertFalse(reader.next(read), "no record beyond the last written (seed " + seed + ")");
        }
        assertTrue(JournalFiles.rollFiles(dir).size() >= 3, "rolled: " + JournalFiles.rollFiles(dir));
    }

    /**
     * The mapper maps the block ahead without writing to it, so it allocates no disk there: a full disk is met by the
     * appender's own write, as without the mapper (a write fault on a hole of a full disk raises SIGBUS, on whatever
     * thread makes it), and the file keeps its holes.
     */
    @Test
    void theBlockMappedAheadTakesNoDiskSpace() throws Exception
    {
        final long block = 1L << 20;
        try (BlockMapper mapper = new BlockMapper("test-block-mapper");
             DurableQueue queue = new DurableQueue(dir, "FAST_DAILY", Durability.NONE, block, 256))
        {
            mapper.mapAheadOf(queue);
            final byte[] document = new byte[200];
            for (int i = 0; i < 1_000; i++)
            {
                queue.write(document, 0, document.length);
            }
            awaitMappedAhead(queue::blockAheadMapped);
            final long position = queue.appender().wire().bytes().writePosition();
            assertTrue(position + WriteAhead.AHEAD_BYTES < block, "still in the first block: " + position);
            final long allocated = WriteAheadTest.allocatedBytes(queue.appender().currentFile());
            assertTrue(allocated < block, allocated + " bytes of the file allocated: the block ahead, from " + block +
                ", took disk space");
        }
    }

    /** What the mapper held it lets go with the queue: once closed, no block of the journal stays mapped. */
    @Test
    void noBlockOfAClosedJournalStaysMapped() throws Exception
    {
        try (BlockMapper mapper = new BlockMapper("test-block-mapper");
             JournalWriter writer = new JournalWriter(dir, "FAST_DAILY", Durability.NONE, BLOCK, MAX_DEPENDENCIES,
                 PAYLOAD_CAPACITY).mapAheadWith(mapper))
        {
            writer.prepare();
            final MessageRecord record = new MessageRecord(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
            final Random random = new Random(3);
            for (int id = 1; id <= 4_000; id++)
            {
                fill(record, id, random);
                writer.add(record);
                if (0 == id % 16)
                {
                    writer.commit();
                    awaitMappedAhead(writer::blockAheadMapped);
                }
            }
            assertTrue(mappings(dir) >= 2, "the appender's block and the one ahead are mapped while writing");
        }
        final long deadline = System.nanoTime() + WAIT_NANOS;
        while (mappings(dir) > 0 && System.nanoTime() < deadline)
        {
            Thread.sleep(10); // Chronicle's background releaser unmaps a released block
        }
        assertEquals(0, mappings(dir), "mappings of the closed journal's files left");
    }

    /** @return how many of this process's memory mappings are of files in the folder. */
    private static long mappings(final Path folder) throws java.io.IOException
    {
        final String prefix = folder.toRealPath().toString() + "/";
        return java.nio.file.Files.readAllLines(Path.of("/proc/self/maps")).stream()
            .filter(line -> line.contains(prefix)).count();
    }

    @Test
    void closingTheMapperStopsItsThread()
    {
        final BlockMapper mapper = new BlockMapper("test-block-mapper-stops");
        mapper.close();
        assertFalse(Thread.getAllStackTraces().keySet().stream()
            .anyMatch(thread -> "test-block-mapper-stops".equals(thread.getName())));
    }

    /**
     * Writes {@link #WINDOWS} windows of {@link #BLOCKS_PER_WINDOW} blocks' worth of records after a warm-up; with a
     * mapper, waits after each document until the mapper has mapped the block after the appender's (as it does between
     * batches of a paced engine).
     *
     * @return bytes the calling thread allocated in each window.
     */
    private static long[] allocatedWhileCrossingBlocks(final JournalWriter writer, final BlockMapper mapper)
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long self = Thread.currentThread().getId();
        final MessageRecord record = new MessageRecord(MAX_DEPENDENCIES, PAYLOAD_CAPACITY);
        final Random random = new Random(1);
        writer.prepare();
        // the block Chronicle maps: the one asked for, raised to hold four of the writer's longest document
        final long block = JournalQueues.blockSize(BLOCK, JournalWriter.DOCUMENT_BYTES);
        final int perBlock = (int)(block / 128); // records average about 128 bytes: 100 of payload and the header
        final int warmUp = 96 * perBlock; // until the JIT compiled the append path: the interpreter allocates more
        final int perWindow = BLOCKS_PER_WINDOW * perBlock;
        final BooleanSupplier mapped = writer::blockAheadMapped; // made once: not an allocation of the loop measured
        final long[] windows = new long[WINDOWS];
        long allocatedBefore = 0;
        for (int id = 1; id <= warmUp + WINDOWS * perWindow; id++)
        {
            if (id > warmUp && 0 == (id - warmUp - 1) % perWindow)
            {
                allocatedBefore = threads.getThreadAllocatedBytes(self);
            }
            fill(record, id, random);
            writer.add(record);
            if (0 == id % 16)
            {
                writer.commit();
                if (null != mapper)
                {
                    awaitMappedAhead(mapped);
                }
            }
            if (id > warmUp && 0 == (id - warmUp) % perWindow)
            {
                windows[(id - warmUp) / perWindow - 1] = threads.getThreadAllocatedBytes(self) - allocatedBefore;
            }
        }
        return windows;
    }

    private static void awaitMappedAhead(final BooleanSupplier mapped)
    {
        final long deadline = System.nanoTime() + WAIT_NANOS;
        while (!mapped.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("the mapper did not map the block ahead within 10 s");
            }
            Thread.onSpinWait();
        }
    }

    private static void fill(final MessageRecord record, final long id, final Random random)
    {
        record.clear();
        record.id(id).hlc(1_790_000_000_000_000_000L + id, 0).type(1).source(1).originNode(1).originId(id);
        final int length = random.nextInt(PAYLOAD_CAPACITY + 1);
        for (int i = 0; i < length; i++)
        {
            record.payload()[i] = (byte)random.nextInt();
        }
        record.payloadLength(length);
    }
}
