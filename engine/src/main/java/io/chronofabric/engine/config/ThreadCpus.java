package io.chronofabric.engine.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.chronofabric.affinity.CpuRequest;

/**
 * Where the pipeline threads run, as the {@code threads.cpus} setting writes it: one request for every thread group
 * ({@code none}, {@code auto} or {@code isolated}), or a list of CPU ids, one per thread group of the
 * {@link ThreadLayout} in order, e.g. {@code 2,3,4,5} for {@code journal|sequencer|router|delivery}.
 */
public final class ThreadCpus
{
    /** What the setting accepts, for error messages. */
    public static final String ALLOWED = "none, auto (free CPUs, isolated ones first, never CPU 0), isolated, or " +
        "CPU ids separated by ',' (each at most once), one per thread group of thread.layout, e.g. 2,3,4,5";

    /** Every thread floats: the default. */
    public static final ThreadCpus NONE = new ThreadCpus(CpuRequest.NONE, List.of());
    /** Every thread on a free CPU of the planner's choosing. */
    public static final ThreadCpus AUTO = new ThreadCpus(CpuRequest.AUTO, List.of());
    /** Every thread on an isolated CPU. */
    public static final ThreadCpus ISOLATED = new ThreadCpus(CpuRequest.ISOLATED, List.of());

    private final CpuRequest all;
    private final List<Integer> cpus;

    private ThreadCpus(final CpuRequest all, final List<Integer> cpus)
    {
        this.all = all;
        this.cpus = cpus;
    }

    /**
     * @param text {@code none}, {@code auto}, {@code isolated} or a list of CPU ids.
     * @return the setting.
     * @throws IllegalArgumentException naming the problem and the allowed forms.
     */
    public static ThreadCpus parse(final String text)
    {
        if (!text.contains(","))
        {
            final CpuRequest one;
            try
            {
                one = CpuRequest.parse(text);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException("'" + text + "' is not a CPU list; allowed: " + ALLOWED, ex);
            }
            return CpuRequest.Kind.CPU == one.kind() ? list(List.of(one.cpuId())) :
                one.equals(CpuRequest.AUTO) ? AUTO : one.equals(CpuRequest.ISOLATED) ? ISOLATED : NONE;
        }
        final List<Integer> ids = new ArrayList<>();
        for (final String part : text.split(",", -1))
        {
            final CpuRequest one;
            try
            {
                one = CpuRequest.parse(part);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException("'" + part.trim() + "' in '" + text + "' is not a CPU id; " +
                    "allowed: " + ALLOWED, ex);
            }
            if (CpuRequest.Kind.CPU != one.kind())
            {
                throw new IllegalArgumentException("'" + part.trim() + "' cannot be part of a list; allowed: " + ALLOWED);
            }
            ids.add(one.cpuId());
        }
        return list(ids);
    }

    /**
     * @param ids CPU ids, one per thread group, each at most once.
     * @return the setting.
     */
    public static ThreadCpus list(final List<Integer> ids)
    {
        final Set<Integer> seen = new HashSet<>();
        for (final int id : ids)
        {
            CpuRequest.cpu(id);
            if (!seen.add(id))
            {
                throw new IllegalArgumentException("CPU " + id + " is listed twice (two threads on one CPU wait on " +
                    "each other); allowed: " + ALLOWED);
            }
        }
        return new ThreadCpus(null, Collections.unmodifiableList(new ArrayList<>(ids)));
    }

    /** @return true when this is a list of CPU ids. */
    public boolean isList()
    {
        return null == all;
    }

    /** @return the listed CPU ids (empty unless {@link #isList()}). */
    public List<Integer> cpus()
    {
        return cpus;
    }

    /** @param group a thread group's index. @return where that group's thread should run. */
    public CpuRequest forGroup(final int group)
    {
        return isList() ? CpuRequest.cpu(cpus.get(group)) : all;
    }

    /** @return true unless every thread floats. */
    public boolean pins()
    {
        return isList() || all.pins();
    }

    @Override
    public String toString()
    {
        if (!isList())
        {
            return all.toString();
        }
        final StringBuilder text = new StringBuilder();
        cpus.forEach(cpu -> text.append(0 == text.length() ? "" : ",").append(cpu));
        return text.toString();
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof ThreadCpus && ((ThreadCpus)other).toString().equals(toString());
    }

    @Override
    public int hashCode()
    {
        return toString().hashCode();
    }
}
