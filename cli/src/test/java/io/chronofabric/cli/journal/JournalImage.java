package io.chronofabric.cli.journal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * An in-memory image of a journal folder, to lay down fresh copies of it quickly: Chronicle files are sparse (80 MiB
 * long, a few hundred KiB written), so the image keeps each file's length and only its bytes up to the last page that
 * holds anything, and a copy writes those and extends the file without writing the zeros. It also knows where each
 * Chronicle document of a file starts, for mutations that change a length field.
 */
final class JournalImage
{
    private static final int PAGE = 4096;
    private static final int HEADER_WORD = 4;
    private static final int LENGTH_MASK = 0x3FFF_FFFF;

    /** One file: its path relative to the folder, length, written bytes, and its documents' header positions. */
    record ImageFile(Path relative, long size, byte[] data, long[] documents)
    {
        /** @return the bytes up to the end of the last page holding anything; the rest of the file is zeros. */
        int dataEnd()
        {
            return data.length;
        }
    }

    private final List<ImageFile> files;

    private JournalImage(final List<ImageFile> files)
    {
        this.files = files;
    }

    /**
     * @param dir a journal folder no process is writing.
     * @return its image.
     */
    static JournalImage of(final Path dir) throws IOException
    {
        final List<ImageFile> files = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path path : (Iterable<Path>)paths.filter(Files::isRegularFile).sorted()::iterator)
            {
                final byte[] data = writtenBytes(path);
                files.add(new ImageFile(dir.relativize(path), Files.size(path), data, documents(data)));
            }
        }
        return new JournalImage(List.copyOf(files));
    }

    /** @return the files, in path order. */
    List<ImageFile> files()
    {
        return files;
    }

    /**
     * Lays down a copy of the folder.
     *
     * @param target a folder that does not exist yet.
     */
    void copyTo(final Path target) throws IOException
    {
        for (final ImageFile file : files)
        {
            final Path path = target.resolve(file.relative().toString());
            Files.createDirectories(path.getParent());
            Files.write(path, file.data());
            try (RandomAccessFile sparse = new RandomAccessFile(path.toFile(), "rw"))
            {
                sparse.setLength(file.size());
            }
        }
    }

    private static byte[] writtenBytes(final Path path) throws IOException
    {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ))
        {
            final ByteBuffer page = ByteBuffer.allocate(PAGE);
            long lastUsedPageEnd = 0;
            for (long position = 0; position < channel.size(); position += PAGE)
            {
                page.clear();
                channel.read(page, position);
                page.flip();
                while (page.hasRemaining())
                {
                    if (0 != page.get())
                    {
                        lastUsedPageEnd = Math.min(channel.size(), position + PAGE);
                        break;
                    }
                }
            }
            final ByteBuffer data = ByteBuffer.allocate((int)lastUsedPageEnd);
            while (data.hasRemaining() && channel.read(data, data.position()) > 0)
            {
                // a regular file delivers what it holds
            }
            return data.array();
        }
    }

    /** Walks Chronicle's framing: a 4-byte header word (length in the low 30 bits), each header aligned to 4. */
    private static long[] documents(final byte[] data)
    {
        final ByteBuffer bytes = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        final List<Long> positions = new ArrayList<>();
        long position = 0;
        while (position + HEADER_WORD <= data.length)
        {
            final int header = bytes.getInt((int)position);
            final int length = header & LENGTH_MASK;
            if (0 == header || 0 == length)
            {
                break;
            }
            positions.add(position);
            position = (position + HEADER_WORD + length + 3) & ~3L;
        }
        return positions.stream().mapToLong(Long::longValue).toArray();
    }

    @Override
    public String toString()
    {
        return Arrays.toString(files.stream().map(f -> f.relative() + " (" + f.size() + " bytes, " + f.dataEnd() +
            " written, " + f.documents().length + " documents)").toArray());
    }
}
