package io.chronofabric.perf.spi;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The probe's start-up / steady-state split goes by each message's intended send time, and loses nothing. */
class LatencyProbeTest
{
    @Test
    void shouldSplitByIntendedSendTimeOnlyOnceAsked()
    {
        final LatencyProbe probe = new LatencyProbe();
        probe.delivered(0, 1_000);
        probe.splitStartupAt(1_000_000);
        probe.delivered(999_999, 1_000_000 + 50_000);
        probe.delivered(1_000_000, 1_000_000 + 2_000);
        probe.delivered(5_000_000, 5_000_000 + 3_000);

        final Histogram startup = probe.startup();
        final Histogram steady = probe.steady();
        assertEquals(1, startup.getTotalCount());
        assertEquals(50_001, startup.getMaxValue(), 50);
        assertEquals(2, steady.getTotalCount());
        assertEquals(3_000, steady.getMaxValue(), 5);
        assertEquals(4, probe.interval(null).getTotalCount(), "every delivery is in the whole trial's histogram");
    }
}
