package io.chronofabric.journal;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The disk a journal file takes is what its data takes, not its size: roll files are sparse, created at their chunk
 * size and filled as written (a TEST_SECONDLY roll file is 80 MiB long holding 4 MiB). Retention's max-bytes, the
 * journal size metric and the journal tool's "allocated" all count this.
 */
class AllocatedBytesTest
{
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void shouldCountTheDataOfASparseFileNotItsSize() throws Exception
    {
        final Path file = dir.resolve("sparse.cq4");
        try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw"))
        {
            sparse.setLength(64L * MIB);
            sparse.write(new byte[MIB]);
            sparse.seek(32L * MIB);
            sparse.write(new byte[] {1});
        }
        assertEquals(64L * MIB, Files.size(file));
        final long allocated = JournalFiles.allocatedBytes(file);
        // what du counts: a MiB, and the block holding the one byte (file systems allocate 4 KiB to 64 KiB blocks)
        assertTrue(allocated >= MIB + 1 && allocated <= MIB + MIB, "allocated " + allocated);
        assertEquals(allocated, JournalFiles.bytesOnDisk(dir));
    }

    @Test
    void shouldCountAFileThatIsGoneAsNothing()
    {
        assertEquals(0, JournalFiles.allocatedBytes(dir.resolve("gone.cq4")));
    }
}
