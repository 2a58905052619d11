package io.chronofabric.affinity.host;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One host check: its name, verdict, what was found, the concrete fix (empty when none is needed) and the raw facts
 * behind the verdict.
 */
public final class HostCheckResult
{
    private final String name;
    private final Verdict verdict;
    private final String finding;
    private final String fix;
    private final Map<String, Object> facts;

    /**
     * @param name    the check's name, e.g. {@code clock_source}.
     * @param verdict ok, warn or unknown.
     * @param finding what was found, in one sentence.
     * @param fix     what to change on the host, or empty.
     * @param facts   the values read, by name (strings, numbers, booleans).
     */
    public HostCheckResult(final String name, final Verdict verdict, final String finding, final String fix,
        final Map<String, Object> facts)
    {
        this.name = name;
        this.verdict = verdict;
        this.finding = finding;
        this.fix = fix;
        this.facts = Collections.unmodifiableMap(new LinkedHashMap<>(facts));
    }

    /** @return the check's name. */
    public String name()
    {
        return name;
    }

    /** @return the verdict. */
    public Verdict verdict()
    {
        return verdict;
    }

    /** @return what was found. */
    public String finding()
    {
        return finding;
    }

    /** @return the fix, or empty when none is needed. */
    public String fix()
    {
        return fix;
    }

    /** @return the facts behind the verdict. */
    public Map<String, Object> facts()
    {
        return facts;
    }
}
