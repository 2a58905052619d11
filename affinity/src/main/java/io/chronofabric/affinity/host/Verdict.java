package io.chronofabric.affinity.host;

import java.util.Locale;

/**
 * The outcome of one host check.
 */
public enum Verdict
{
    /** The host is set up as low latency wants it (or the profile does not need it). */
    OK,
    /** The host is not set up as low latency wants it; the check's fix says what to change. */
    WARN,
    /** The fact could not be read here (typical inside containers and VMs); the finding says which file was missing. */
    UNKNOWN;

    /** @return the lower-case name used in reports. */
    public String label()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
