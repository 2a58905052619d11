package io.chronofabric.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import net.openhft.posix.PosixAPI;

/**
 * The disk a file's data takes. Chronicle's roll files are sparse (a file is created at its full chunk size, and
 * pages are allocated as they are written), so their size says little about the disk they use: the data extents
 * {@code lseek(SEEK_DATA)} and {@code lseek(SEEK_HOLE)} find are what {@code du} counts, block for block. Where that
 * native call is not available, the file's size stands in.
 */
final class FileExtents
{
    /** Linux's {@code lseek} whence for the next offset holding data (OpenHFT's {@code WhenceFlag} maps it wrongly). */
    static final int SEEK_DATA = 3;
    /** {@code lseek}'s whence: the next hole (the end of the file counts as one). */
    static final int SEEK_HOLE = 4;
    /** {@code lseek(SEEK_DATA)}'s error when no data follows the offset. */
    static final int ENXIO = 6;
    static final int O_RDONLY = 0;

    private FileExtents()
    {
    }

    /**
     * @param file a file.
     * @return the bytes of its data extents; its size when they cannot be found, or when this process holds the
     *     file's lock ({@link ProcessFileLock}: closing a descriptor of it would drop the lock); 0 when it is gone.
     * @throws IOException when it cannot be sized.
     */
    static long dataBytes(final Path file) throws IOException
    {
        final long size;
        try
        {
            size = Files.size(file);
        }
        catch (final NoSuchFileException gone)
        {
            return 0;
        }
        if (ProcessFileLock.isHeldHere(file))
        {
            return size;
        }
        final PosixAPI posix;
        final int descriptor;
        try
        {
            posix = PosixAPI.posix();
            descriptor = posix.open(file.toString(), O_RDONLY, 0);
        }
        catch (final RuntimeException | LinkageError noNativeCall)
        {
            return size;
        }
        if (descriptor < 0)
        {
            return size;
        }
        try
        {
            long bytes = 0;
            long position = 0;
            while (position < size)
            {
                final long data = posix.lseek(descriptor, position, SEEK_DATA);
                if (data < 0)
                {
                    return ENXIO == posix.lastError() ? bytes : size;
                }
                final long hole = posix.lseek(descriptor, data, SEEK_HOLE);
                if (hole <= data)
                {
                    return size;
                }
                bytes += hole - data;
                position = hole;
            }
            return bytes;
        }
        catch (final RuntimeException | LinkageError noNativeCall)
        {
            return size;
        }
        finally
        {
            posix.close(descriptor);
        }
    }
}
