package io.chronofabric.engine.crash;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a killed process's handlers did, one line each ({@code D subscriber id}, {@code F subscriber id}), written
 * with one unbuffered write per line: once a handler returns, its line is in the kernel and survives SIGKILL.
 */
final class DeliveryLog implements AutoCloseable
{
    private final FileOutputStream out;

    DeliveryLog(final Path file) throws IOException
    {
        this.out = new FileOutputStream(file.toFile(), true);
    }

    void delivered(final int subscriber, final long id)
    {
        write("D " + subscriber + " " + id + "\n");
    }

    void failed(final int subscriber, final long id)
    {
        write("F " + subscriber + " " + id + "\n");
    }

    private void write(final String line)
    {
        try
        {
            out.write(line.getBytes(StandardCharsets.US_ASCII));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * @param file a log.
     * @param kind {@code D} or {@code F}.
     * @param subscriber the subscriber.
     * @return the ids of that kind for that subscriber, in log order.
     * @throws IOException when the log cannot be read.
     */
    static List<Long> read(final Path file, final String kind, final int subscriber) throws IOException
    {
        final List<Long> ids = new ArrayList<>();
        for (final String line : Files.readAllLines(file, StandardCharsets.US_ASCII))
        {
            final String[] fields = line.split(" ");
            if (3 == fields.length && kind.equals(fields[0]) && subscriber == Integer.parseInt(fields[1]))
            {
                ids.add(Long.parseLong(fields[2]));
            }
        }
        return ids;
    }

    @Override
    public void close() throws IOException
    {
        out.close();
    }
}
