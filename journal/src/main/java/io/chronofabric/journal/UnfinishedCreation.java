package io.chronofabric.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.wire.Wires;

/**
 * A file of a queue folder that a process killed while Chronicle Queue was creating it left unfinished. Such a file
 * holds nothing: Chronicle publishes a roll file's header before any document can be written to it, and a queue's
 * metadata only repeats what its roll files and its writer's settings say.
 *
 * <p>Chronicle creates a roll file in {@code SingleChronicleQueue.StoreSupplier.acquire}: it opens the file, creating
 * it empty ({@code MappedFile.of}, a {@code RandomAccessFile} in mode "rw"); maps its first chunk, which sizes it to
 * chunk and overlap, every byte zero ({@code ChunkedMappedFile.resizeRafIfTooSmall}, on the first access, which is
 * {@code writeFirstHeader}'s compare-and-swap of the header word from 0 to {@code 0x80000000}, not complete and of
 * unknown length); writes the {@code SCQStore} header after that word and then the index of indexes and the first
 * index array ({@code createIndexThenUpdateHeader}); publishes the header's length in its header word
 * ({@code updateFirstHeader}); and only then tells the metadata listing of the cycle ({@code onFileCreated}). Another
 * queue object on the folder (another process's, or the retention worker's) may list the cycle earlier, from the file
 * names ({@code TableDirectoryListing.refresh}). A kill leaves the newest roll file in one of the states found here:
 * 0 bytes, all zero, or its header word claimed with nothing past the creation's own structures. A metadata file is
 * created the same way ({@code SingleTableBuilder}), before any roll file of its folder.
 */
final class UnfinishedCreation
{
    /** The suffix a file set aside gets. */
    static final String SUFFIX = ".unfinished";
    /** The header word {@code writeFirstHeader} claims: not complete, length unknown. */
    private static final int CLAIMED = Wires.NOT_COMPLETE_UNKNOWN_LENGTH;
    private static final String HOLDS_NOTHING = "it holds nothing, and the next engine start sets it aside";
    private static final int CHUNK = 1 << 20;
    /**
     * Where a roll file's creation has written everything it writes before its header is published: the header
     * (Chronicle refuses one longer than 64 KiB), its padding to a cache line, and two index documents of the largest
     * index count a journal's roll cycles have. A document can only start after them.
     */
    private static final long CREATION_END = JournalFileCheck.HEADER_WORD + JournalFileCheck.MAX_HEADER_LENGTH + 64 +
        2 * (8L * JournalQueues.allRollCycles().mapToInt(RollCycle::defaultIndexCount).max().orElseThrow() + 256);

    private final JournalFileCheck.QueueFolder folder;
    private final Path file;
    private final boolean metadata;
    private final String reason;

    private UnfinishedCreation(final JournalFileCheck.QueueFolder folder, final Path file, final boolean metadata,
        final String reason)
    {
        this.folder = folder;
        this.file = file;
        this.metadata = metadata;
        this.reason = reason;
    }

    /**
     * @param folder a queue folder's files.
     * @return the file a kill left unfinished while Chronicle was creating it: the newest roll file, or, in a folder
     *     without roll files, the metadata file; null when there is none.
     */
    static UnfinishedCreation find(final JournalFileCheck.QueueFolder folder)
    {
        try
        {
            return folder.rollFiles().isEmpty() ? unfinishedMetadata(folder) : unfinishedRollFile(folder);
        }
        catch (final IOException ex)
        {
            return null; // the check reports a file it cannot read
        }
    }

    /** @return the file. */
    Path file()
    {
        return file;
    }

    /** @return true for a metadata file, false for a roll file. */
    boolean metadata()
    {
        return metadata;
    }

    /** @return the finding the check reports for it: not damage, set aside by the next engine start. */
    JournalCorruptionException finding()
    {
        return JournalCorruptionException.unfinished(file, reason + "; " + HOLDS_NOTHING);
    }

    /**
     * Sets the file aside: for a roll file, first makes Chronicle's listing agree with the folder without it.
     *
     * @return what was done.
     */
    JournalFileCheck.SetAside setAside()
    {
        try
        {
            String listing = null;
            final JournalFileCheck.MetadataScan scan = folder.chronicleMetadata();
            if (!metadata && null != scan && null == scan.problem())
            {
                final List<Path> rollFiles = folder.rollFiles();
                try (FileChannel channel = FileChannel.open(scan.file(), StandardOpenOption.WRITE))
                {
                    listing = scan.listing().repoint(channel, file, rollFiles.subList(0, rollFiles.size() - 1));
                }
            }
            final Path movedTo = freeName();
            Files.move(file, movedTo);
            return new JournalFileCheck.SetAside(file, movedTo, reason + "; it held nothing" + (null == listing ? "" :
                "; Chronicle's metadata listing made to agree: " + listing));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot set aside " + file + ": " + ex.getMessage(), ex);
        }
    }

    private Path freeName()
    {
        Path name = file.resolveSibling(file.getFileName() + SUFFIX);
        for (int i = 2; Files.exists(name); i++)
        {
            name = file.resolveSibling(file.getFileName() + SUFFIX + "." + i);
        }
        return name;
    }

    private static UnfinishedCreation unfinishedRollFile(final JournalFileCheck.QueueFolder folder) throws IOException
    {
        final List<Path> rollFiles = folder.rollFiles();
        final Path newest = rollFiles.get(rollFiles.size() - 1);
        try (FileChannel channel = FileChannel.open(newest, StandardOpenOption.READ))
        {
            final long size = channel.size();
            if (0 == size)
            {
                // also what emptying a file leaves: taken for a creation only when the listing shows that no writer
                // finished creating it (Chronicle lists the cycle before anything is written to the file)
                final JournalFileCheck.MetadataScan scan = folder.chronicleMetadata();
                return null != scan && null == scan.problem() && !scan.listing().names(newest) &&
                    scan.listing().agreesWith(rollFiles.subList(0, rollFiles.size() - 1)) ?
                    new UnfinishedCreation(folder, newest, false, "0 bytes, its cycle not in Chronicle's metadata " +
                        "listing: what a kill leaves of a roll file Chronicle was creating, before it was sized") :
                    null;
            }
            final int headerWord = headerWord(channel, size);
            if (0 == headerWord && zeroFrom(channel, 0, size))
            {
                return new UnfinishedCreation(folder, newest, false, String.format("all %,d bytes zero: what a kill " +
                    "leaves of a roll file Chronicle was creating, sized but its header not yet written", size));
            }
            if (CLAIMED == headerWord && zeroFrom(channel, CREATION_END, size))
            {
                return new UnfinishedCreation(folder, newest, false, String.format("header word 0x%08x and every " +
                    "byte from offset %,d zero: what a kill leaves of a roll file Chronicle was creating, its header " +
                    "claimed but never completed, so no document was ever written to it", headerWord,
                    Math.min(CREATION_END, size)));
            }
            return null;
        }
    }

    /**
     * Chronicle creates a queue folder's metadata when it first opens the folder, before any roll file: its creation
     * (or that of one of its values) cut short leaves a file Chronicle cannot open, and writes afresh when it is gone.
     */
    private static UnfinishedCreation unfinishedMetadata(final JournalFileCheck.QueueFolder folder) throws IOException
    {
        final JournalFileCheck.MetadataScan scan = folder.chronicleMetadata();
        if (null == scan || null == scan.problem())
        {
            return null;
        }
        final Path file = scan.file();
        final String state;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final long size = channel.size();
            final int headerWord = headerWord(channel, size);
            if (0 == size)
            {
                state = "0 bytes";
            }
            else if (0 == headerWord && zeroFrom(channel, 0, size))
            {
                state = String.format("all %,d bytes zero", size);
            }
            else if (CLAIMED == headerWord)
            {
                state = String.format("header word 0x%08x, its header never completed", headerWord);
            }
            else if (scan.incompleteDocument() >= 0 && zeroFrom(channel, scan.incompleteDocument() + 4 + 128 + 4, size))
            {
                state = "a value's document at byte offset " + scan.incompleteDocument() + " never completed";
            }
            else
            {
                return null;
            }
        }
        return new UnfinishedCreation(folder, file, true, state + ", in a queue folder without roll files: what a " +
            "kill leaves of the metadata Chronicle was creating (it writes it afresh)");
    }

    private static int headerWord(final FileChannel channel, final long size) throws IOException
    {
        if (size < JournalFileCheck.HEADER_WORD)
        {
            return -1;
        }
        final ByteBuffer word = ByteBuffer.allocate(JournalFileCheck.HEADER_WORD).order(ByteOrder.LITTLE_ENDIAN);
        channel.read(word, 0);
        return word.getInt(0);
    }

    /** @return true when every byte from {@code from} to the end of the file is zero; read in chunks (it is sparse). */
    private static boolean zeroFrom(final FileChannel channel, final long from, final long size) throws IOException
    {
        final ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
        final ByteBuffer zeros = ByteBuffer.allocate(CHUNK);
        for (long position = from; position < size; )
        {
            chunk.clear();
            final int read = channel.read(chunk, position);
            if (read <= 0)
            {
                return true;
            }
            chunk.flip();
            if (-1 != chunk.mismatch(zeros.clear().limit(read)))
            {
                return false;
            }
            position += read;
        }
        return true;
    }
}
