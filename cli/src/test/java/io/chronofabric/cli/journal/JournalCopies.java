package io.chronofabric.cli.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import io.chronofabric.journal.EngineLimits;
import io.chronofabric.journal.JournalFiles;
import io.chronofabric.journal.JournalReader;
import io.chronofabric.journal.MessageRecord;
import io.chronofabric.journal.RecordLayout;

/**
 * Copies of real journals to damage, and where each record's bytes lie in a roll file, found the way an operator
 * with a hex editor would: by searching the file for the record's id and HLC wall time at their layout offsets.
 */
final class JournalCopies
{
    /** Where one record lies: queue index, id, offset of its first byte in the roll file, length. */
    record Located(long index, int inDocument, long id, long position, int length)
    {
        /** @return the record's position as {@code journal dump} prints it and {@code --from} takes it. */
        String text()
        {
            return RecordPosition.text(index, inDocument);
        }
    }

    private JournalCopies()
    {
    }

    /**
     * @param folder a folder.
     * @return each file under it (relative path) with its size and a CRC32 of its content: equal snapshots mean
     *     nothing was created, removed, grown or written.
     */
    static Map<String, String> snapshot(final Path folder) throws IOException
    {
        final Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(folder))
        {
            for (final Path file : walk.filter(Files::isRegularFile).toList())
            {
                final CRC32 crc = new CRC32();
                crc.update(Files.readAllBytes(file));
                files.put(folder.relativize(file).toString(), Files.size(file) + " bytes, crc " + crc.getValue());
            }
        }
        return files;
    }

    static void copy(final Path from, final Path to) throws IOException
    {
        try (Stream<Path> paths = Files.walk(from))
        {
            for (final Path path : (Iterable<Path>)paths::iterator)
            {
                final Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path))
                {
                    Files.createDirectories(target);
                }
                else
                {
                    Files.copy(path, target);
                }
            }
        }
    }

    /** @return every record of a single-roll-file journal with its position in that file. */
    static List<Located> locate(final Path journal) throws IOException
    {
        final Path file = JournalFiles.rollFiles(journal).get(0);
        final byte[] bytes = Files.readAllBytes(file);
        final ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        final List<Located> located = new ArrayList<>();
        final MessageRecord record = new MessageRecord(EngineLimits.MAX_DEPENDENCIES, 4096);
        int from = 0;
        try (JournalReader reader = new JournalReader(journal, record.dependencyCapacity(), record.payloadCapacity()))
        {
            while (reader.next(record))
            {
                final int position = find(buffer, from, record);
                if (position < 0)
                {
                    throw new IllegalStateException("record " + record + " not found in " + file);
                }
                final int length = RecordLayout.recordLength(record.dependencyCount(), record.payloadLength());
                located.add(new Located(reader.lastIndex(), reader.lastRecordInDocument(), record.id(), position,
                    length));
                from = position + length;
            }
        }
        return located;
    }

    private static int find(final ByteBuffer buffer, final int from, final MessageRecord record)
    {
        for (int start = from; start + RecordLayout.HEADER_LENGTH <= buffer.limit(); start++)
        {
            if (buffer.getLong(start + RecordLayout.ID_OFFSET) == record.id() &&
                buffer.getLong(start + RecordLayout.HLC_WALL_OFFSET) == record.hlcWall() &&
                RecordLayout.VERSION == buffer.get(start + RecordLayout.VERSION_OFFSET))
            {
                return start;
            }
        }
        return -1;
    }

    /** XORs one byte of a file with a mask; XOR again with the same mask to restore it. */
    static void flip(final Path file, final long position, final int mask) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, position);
            one.put(0, (byte)(one.get(0) ^ mask));
            one.rewind();
            channel.write(one, position);
        }
    }
}
