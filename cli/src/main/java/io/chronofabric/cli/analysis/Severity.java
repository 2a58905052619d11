package io.chronofabric.cli.analysis;

import java.util.Locale;

/**
 * How serious a diagnostic finding is, from fine to act now.
 */
public enum Severity
{
    /** Healthy. */
    OK,
    /** Worth knowing; nothing to do unless it matters to you. */
    INFO,
    /** Hurts latency, throughput or correctness under some load: fix it. */
    WARN,
    /** Wrong or about to fail: fix it now. */
    CRITICAL;

    /** @return the lower-case name used in reports, e.g. {@code warn}. */
    public String label()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
