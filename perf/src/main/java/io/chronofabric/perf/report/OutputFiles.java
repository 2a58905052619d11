package io.chronofabric.perf.report;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.IChart;

/**
 * Writes the files a command is asked for and fails when one cannot be written, with
 * {@link OutputNotWrittenException} naming it: never a short or empty file reported as written. A {@link PrintStream}
 * (what HdrHistogram's log writer takes) swallows write errors, so {@link #printStream} remembers the first and
 * {@link #close} raises it.
 */
public final class OutputFiles
{
    private OutputFiles()
    {
    }

    /**
     * @param file the file, replaced.
     * @param text its whole text, UTF-8.
     * @throws OutputNotWrittenException when it cannot be written.
     */
    public static void writeText(final Path file, final String text)
    {
        try
        {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new OutputNotWrittenException(file, ex);
        }
    }

    /**
     * Draws a chart as a PNG at exactly this path (xchart's own save adds ".png" to a name without it).
     *
     * @param chart the chart.
     * @param file  the file, replaced.
     * @throws OutputNotWrittenException when it cannot be written.
     */
    public static void writePng(final IChart chart, final Path file)
    {
        try
        {
            Files.write(file, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
        }
        catch (final IOException ex)
        {
            throw new OutputNotWrittenException(file, ex);
        }
    }

    /**
     * @param file the file, replaced.
     * @return a stream to write it through; close it with {@link #close}, which says whether every write succeeded.
     * @throws OutputNotWrittenException when it cannot be created.
     */
    public static PrintStream printStream(final Path file)
    {
        try
        {
            return new CheckedPrintStream(file, new FirstFailure(Files.newOutputStream(file)));
        }
        catch (final IOException ex)
        {
            throw new OutputNotWrittenException(file, ex);
        }
    }

    /**
     * Closes a stream from {@link #printStream}.
     *
     * @param out the stream.
     * @throws OutputNotWrittenException when a write or the close failed.
     */
    public static void close(final PrintStream out)
    {
        final CheckedPrintStream checked = (CheckedPrintStream)out;
        checked.close();
        if (null != checked.failures.first)
        {
            throw new OutputNotWrittenException(checked.file, checked.failures.first);
        }
        if (checked.checkError())
        {
            throw new OutputNotWrittenException(checked.file, new IOException("a write failed"));
        }
    }

    private static final class CheckedPrintStream extends PrintStream
    {
        private final Path file;
        private final FirstFailure failures;

        CheckedPrintStream(final Path file, final FirstFailure failures)
        {
            super(failures, false, StandardCharsets.US_ASCII);
            this.file = file;
            this.failures = failures;
        }
    }

    /** Remembers the first failure of the stream under a {@link PrintStream}, which only keeps a flag. */
    private static final class FirstFailure extends FilterOutputStream
    {
        private IOException first;

        FirstFailure(final OutputStream out)
        {
            super(out);
        }

        @Override
        public void write(final byte[] bytes, final int offset, final int length) throws IOException
        {
            try
            {
                out.write(bytes, offset, length);
            }
            catch (final IOException ex)
            {
                throw remembered(ex);
            }
        }

        @Override
        public void write(final int b) throws IOException
        {
            try
            {
                out.write(b);
            }
            catch (final IOException ex)
            {
                throw remembered(ex);
            }
        }

        @Override
        public void flush() throws IOException
        {
            try
            {
                out.flush();
            }
            catch (final IOException ex)
            {
                throw remembered(ex);
            }
        }

        @Override
        public void close() throws IOException
        {
            try
            {
                out.close();
            }
            catch (final IOException ex)
            {
                throw remembered(ex);
            }
        }

        private IOException remembered(final IOException ex)
        {
            if (null == first)
            {
                first = ex;
            }
            return ex;
        }
    }
}
