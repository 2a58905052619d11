package io.chronofabric.perf.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's resident memory, read from {@code /proc/self/status}: the whole of it ({@code VmRSS}) and its
 * anonymous (heap, stacks, direct buffers) and file-backed (Chronicle's memory-mapped queue files, jars) parts.
 *
 * @param totalKb resident kilobytes, -1 where {@code /proc} is not available (e.g. macOS).
 * @param anonKb  anonymous resident kilobytes, -1 when unknown.
 * @param fileKb  file-backed resident kilobytes, -1 when unknown.
 */
public record Rss(long totalKb, long anonKb, long fileKb)
{
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Rss UNKNOWN = new Rss(-1, -1, -1);

    /** @return the current resident memory, or all -1 where it cannot be read. */
    public static Rss now()
    {
        if (!Files.isReadable(STATUS))
        {
            return UNKNOWN;
        }
        try
        {
            return parse(Files.readString(STATUS, StandardCharsets.US_ASCII));
        }
        catch (final IOException ex)
        {
            return UNKNOWN;
        }
    }

    /**
     * @param status the text of a {@code /proc/PID/status} file.
     * @return the resident memory it states; -1 for fields it lacks.
     */
    public static Rss parse(final String status)
    {
        long total = -1;
        long anon = -1;
        long file = -1;
        for (final String line : status.split("\n"))
        {
            if (line.startsWith("VmRSS:"))
            {
                total = kilobytes(line);
            }
            else if (line.startsWith("RssAnon:"))
            {
                anon = kilobytes(line);
            }
            else if (line.startsWith("RssFile:"))
            {
                file = kilobytes(line);
            }
        }
        return new Rss(total, anon, file);
    }

    /** @param other another reading. @return the larger of the two, field by field. */
    public Rss max(final Rss other)
    {
        return new Rss(Math.max(totalKb, other.totalKb), Math.max(anonKb, other.anonKb), Math.max(fileKb, other.fileKb));
    }

    private static long kilobytes(final String line)
    {
        final String value = line.substring(line.indexOf(':') + 1).trim();
        final int space = value.indexOf(' ');
        return Long.parseLong(0 > space ? value : value.substring(0, space));
    }
}
