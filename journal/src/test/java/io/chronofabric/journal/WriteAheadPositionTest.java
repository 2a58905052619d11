package io.chronofabric.journal;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The position the write-ahead ({@link WriteAhead}) trusts: right after each document close (a roll every second,
 * rolled-back documents and a reopened queue in between), the appender's write position lies in its current file,
 * just past the last document (the header word there is 0 and the document before ends there), and every document
 * reads back.
 */
class WriteAheadPositionTest
{
    @TempDir
    Path dir;

    @Test
    void thePositionAfterEachCloseIsTheEndOfTheLastDocumentInTheCurrentFile() throws Exception
    {
        final Random random = new Random(42);
        long written = 0;
        final long end = System.currentTimeMillis() + 3_500;
        while (System.currentTimeMillis() < end)
        {
            try (DurableQueue queue = new DurableQueue(dir, "TEST_SECONDLY", Durability.NONE,
                JournalQueues.MIN_BLOCK_SIZE, 4096))
            {
                queue.prepare();
                for (int i = 0; i < 3_000; i++)
                {
                    if (0 == random.nextInt(50))
                    {
                        final ExcerptAppender appender = queue.appender();
                        try (DocumentContext context = appender.writingDocument())
                        {
                            context.wire().bytes().write(new byte[1 + random.nextInt(100)]);
                            context.rollbackOnClose();
                        }
                    }
                    final byte[] document = new byte[8 + random.nextInt(0 == random.nextInt(20) ? 4000 : 200)];
                    random.nextBytes(document);
                    ByteBuffer.wrap(document).order(ByteOrder.LITTLE_ENDIAN).putLong(0, ++written);
                    queue.write(document, 0, document.length);
                    final ExcerptAppender appender = queue.appender();
                    final long position = appender.wire().bytes().writePosition();
                    final File file = appender.currentFile();
                    try (FileChannel channel = FileChannel.open(file.toPath(), StandardOpenOption.READ))
                    {
                        final ByteBuffer word = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
                        channel.read(word, position);
                        assertEquals(0, word.getInt(0), "header word at the write position " + position + " of " +
                            file + " after document " + written);
                    }
                    if (0 == i % 500)
                    {
                        Thread.sleep(random.nextInt(300));
                    }
                }
            }
        }
        try (net.openhft.chronicle.queue.ChronicleQueue queue = JournalQueues.openForRead(dir);
             net.openhft.chronicle.queue.ExcerptTailer tailer = queue.createTailer())
        {
            long expected = 0;
            while (true)
            {
                try (DocumentContext context = tailer.readingDocument())
                {
                    if (!context.isPresent())
                    {
                        break;
                    }
                    assertEquals(++expected, context.wire().bytes().readLong());
                }
            }
            assertEquals(written, expected);
        }
        assertTrue(JournalFiles.rollFiles(dir).size() >= 3, "rolled");
        assertEquals(java.util.List.of(), JournalFileCheck.check(dir, false, JournalFileCheck.Depth.DOCUMENTS));
    }
}
