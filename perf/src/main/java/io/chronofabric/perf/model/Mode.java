package io.chronofabric.perf.model;

/**
 * How a trial offers its load.
 */
public enum Mode
{
    /** As fast as the system accepts: measures throughput (latency then includes the time queued in the ring). */
    THROUGHPUT("throughput"),
    /** At a fixed offered rate, latency measured from each message's intended send time. */
    LATENCY("latency"),
    /** One step of the rate sweep: a fixed offered rate, judged by its p99. */
    SWEEP("sweep");

    private final String label;

    Mode(final String label)
    {
        this.label = label;
    }

    /** @return the lower-case name used in tables, files and JSON. */
    public String label()
    {
        return label;
    }
}
