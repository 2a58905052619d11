package io.chronofabric.affinity;

import java.util.Locale;

/**
 * Where one thread should run, as a profile writes it: {@code none} (floats), {@code auto} (a free CPU, isolated ones
 * first, never CPU 0), {@code isolated} (an isolated CPU; a free non-isolated one when the host has none left) or a
 * CPU id.
 */
public final class CpuRequest
{
    /** What a request accepts, for error messages. */
    public static final String ALLOWED = "none, auto, isolated, or a CPU id in [0, " + CpuSet.MAX_CPU + "]";

    /** The thread floats. */
    public static final CpuRequest NONE = new CpuRequest(Kind.NONE, ThreadPinner.NO_CPU);
    /** Any free CPU, isolated ones first. */
    public static final CpuRequest AUTO = new CpuRequest(Kind.AUTO, ThreadPinner.NO_CPU);
    /** An isolated CPU. */
    public static final CpuRequest ISOLATED = new CpuRequest(Kind.ISOLATED, ThreadPinner.NO_CPU);

    /** The kinds of request. */
    public enum Kind
    {
        /** Not pinned. */
        NONE,
        /** A free CPU chosen by the planner. */
        AUTO,
        /** An isolated CPU chosen by the planner. */
        ISOLATED,
        /** The CPU named. */
        CPU
    }

    private final Kind kind;
    private final int cpu;

    private CpuRequest(final Kind kind, final int cpu)
    {
        this.kind = kind;
        this.cpu = cpu;
    }

    /** @param cpu a CPU id in [0, {@link CpuSet#MAX_CPU}]. @return a request for exactly that CPU. */
    public static CpuRequest cpu(final int cpu)
    {
        if (cpu < 0 || cpu > CpuSet.MAX_CPU)
        {
            throw new IllegalArgumentException("CPU '" + cpu + "' is out of range; allowed: " + ALLOWED);
        }
        return new CpuRequest(Kind.CPU, cpu);
    }

    /**
     * @param text {@code none}, {@code auto}, {@code isolated} or a CPU id.
     * @return the request.
     * @throws IllegalArgumentException naming the allowed values.
     */
    public static CpuRequest parse(final String text)
    {
        final String word = text.trim().toLowerCase(Locale.ROOT);
        switch (word)
        {
            case "none":
                return NONE;
            case "auto":
                return AUTO;
            case "isolated":
                return ISOLATED;
            default:
                try
                {
                    return cpu(Integer.parseInt(word));
                }
                catch (final NumberFormatException ex)
                {
                    throw new IllegalArgumentException("'" + text + "' is not a CPU; allowed: " + ALLOWED, ex);
                }
        }
    }

    /** @return the kind. */
    public Kind kind()
    {
        return kind;
    }

    /** @return the CPU id for {@link Kind#CPU}, else {@link ThreadPinner#NO_CPU}. */
    public int cpuId()
    {
        return cpu;
    }

    /** @return true unless the thread is to float. */
    public boolean pins()
    {
        return Kind.NONE != kind;
    }

    /** @return true when the planner picks the CPU ({@code auto} or {@code isolated}). */
    public boolean chosenByPlanner()
    {
        return Kind.AUTO == kind || Kind.ISOLATED == kind;
    }

    /** @return the form a profile writes: none, auto, isolated or the id. */
    @Override
    public String toString()
    {
        return Kind.CPU == kind ? String.valueOf(cpu) : kind.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof CpuRequest && ((CpuRequest)other).kind == kind && ((CpuRequest)other).cpu == cpu;
    }

    @Override
    public int hashCode()
    {
        return 31 * kind.hashCode() + cpu;
    }
}
