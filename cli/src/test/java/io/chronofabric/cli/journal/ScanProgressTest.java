package io.chronofabric.cli.journal;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScanProgressTest
{
    @Test
    void shouldDrawABarOnlyForScansAboveTheThreshold()
    {
        final StringWriter small = new StringWriter();
        scan(small, ScanProgress.THRESHOLD);
        assertEquals("", small.toString(), "no bar for a small journal");

        final StringWriter large = new StringWriter();
        scan(large, ScanProgress.THRESHOLD + 1);
        assertTrue(large.toString().contains("verify"), large::toString);
        assertTrue(large.toString().contains("100%"), large::toString);
    }

    private static void scan(final StringWriter err, final long records)
    {
        try (ScanProgress progress = ScanProgress.start(new PrintWriter(err, true), "verify", records))
        {
            for (long i = 0; i < records; i++)
            {
                progress.step();
            }
        }
    }
}
