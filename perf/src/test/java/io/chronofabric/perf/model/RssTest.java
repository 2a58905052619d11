package io.chronofabric.perf.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RssTest
{
    @Test
    void shouldReadResidentMemoryFromProcStatus()
    {
        final Rss rss = Rss.parse("Name:\tjava\nVmPeak:\t 9000 kB\nVmRSS:\t  171628 kB\nRssAnon:\t  120000 kB\n" +
            "RssFile:\t   51000 kB\nRssShmem:\t 628 kB\n");
        assertEquals(new Rss(171_628, 120_000, 51_000), rss);
    }

    @Test
    void shouldReportUnknownFieldsAsMinusOne()
    {
        assertEquals(new Rss(-1, -1, -1), Rss.parse("Name:\tjava\n"));
    }

    @Test
    void shouldReadThisProcessOnLinux()
    {
        final Rss rss = Rss.now();
        if (rss.totalKb() >= 0)
        {
            assertTrue(rss.totalKb() > 1_000, "a JVM holds more than 1 MB resident: " + rss);
        }
    }
}
