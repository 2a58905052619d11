package io.chronofabric.engine.internal.observability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ProcessStatsTest
{
    private static final byte[] KEY = "VmRSS:".getBytes(StandardCharsets.US_ASCII);

    @Test
    void readsTheNumberOfTheLineThatStartsWithTheKey()
    {
        assertEquals(123_456, kib("Name:\tjava\nXVmRSS:\t 9 kB\nVmRSSx\nVmRSS:\t  123456 kB\nRssAnon:\t 7 kB\n"));
        assertEquals(42, kib("VmRSS:\t42 kB"), "the last line, without a newline");
        assertEquals(-1, kib("VmRSS:\t42"), "a number the text read ends in may be cut short");
        assertEquals(-1, kib("Name:\tjava\nVmHWM:\t 5 kB\n"), "no such line");
        assertEquals(-1, kib("VmRSS:\t kB\nOther:\t5 kB\n"), "a line without a number");
    }

    @Test
    void residentBytesIsTheProcessVmRssInBytes() throws IOException
    {
        final Path status = Path.of("/proc/self/status");
        assumeTrue(Files.isReadable(status), "Linux only");
        final long before = vmRssKib(status);
        final long read = ProcessStats.residentBytes();
        final long after = vmRssKib(status);
        assertTrue(read >= Math.min(before, after) * 1024 - (1 << 20) && read <= Math.max(before, after) * 1024 +
            (1 << 20), read + " bytes against VmRSS " + before + " and " + after + " kB read around it");
    }

    private static long kib(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        return ProcessStats.kibAfter(bytes, bytes.length, KEY);
    }

    private static long vmRssKib(final Path status) throws IOException
    {
        for (final String line : Files.readAllLines(status))
        {
            if (line.startsWith("VmRSS:"))
            {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new AssertionError("no VmRSS line");
    }
}
