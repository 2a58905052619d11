package io.chronofabric.cli.analysis;

import java.util.List;

import static io.chronofabric.cli.analysis.Diagnostics.mib;

/**
 * Memory findings: heap use against its limit, resident memory against its target, growth since the engine started.
 */
final class MemoryDiagnosis
{
    private static final String AREA = "memory";
    private static final double GROWTH_FLOOR_BYTES = 256.0 * 1024 * 1024;

    private MemoryDiagnosis()
    {
    }

    static void analyze(final HealthSnapshot.Memory memory, final List<Finding> findings)
    {
        if (memory.heapMax() > 0)
        {
            final double used = memory.heapUsed() / memory.heapMax();
            final Severity severity = used >= 0.9 ? Severity.CRITICAL : used >= 0.75 ? Severity.WARN : Severity.OK;
            findings.add(new Finding(severity, AREA, "heap", String.format("heap %s of %s (%.0f%%)",
                mib(memory.heapUsed()), mib(memory.heapMax()), used * 100), Severity.OK == severity ? "none needed" :
                "raise -Xmx (CHRONOFABRIC_JAVA_OPTS for the launcher), or lower what is kept on the heap: " +
                "hold.capacity, retry queue limits, messages kept by subscribers"));
        }
        if (memory.resident() < 0)
        {
            findings.add(new Finding(Severity.INFO, AREA, "resident_memory", "resident memory unknown (no " +
                "/proc/self/status on this OS)", "watch the process's RSS with the OS's tools"));
            return;
        }
        final boolean over = memory.resident() > memory.targetResident();
        findings.add(new Finding(over ? Severity.WARN : Severity.OK, AREA, "resident_memory", "resident memory " +
            mib(memory.resident()) + " (target " + mib(memory.targetResident()) + ")", over ? "lower -Xmx, " +
            "ring.size x payload.capacity, or raise target.rss.mb if this host has the memory" : "none needed"));
        if (memory.residentAtStart() > 0)
        {
            final double growth = memory.resident() - memory.residentAtStart();
            final boolean growing = growth > GROWTH_FLOOR_BYTES && growth > 0.5 * memory.residentAtStart();
            findings.add(new Finding(growing ? Severity.WARN : Severity.OK, AREA, "memory_growth", "resident memory " +
                "grew by " + mib(growth) + " since the engine started (from " + mib(memory.residentAtStart()) + ")",
                growing ? "an engine stops growing once its heap, ring and journal window are touched; continued " +
                "growth points at held or retried messages or a subscriber keeping messages: compare " +
                "jvm_memory_used_bytes{area=\"heap\"} over time and cap hold.capacity and retry queues" :
                "none needed"));
        }
    }
}
