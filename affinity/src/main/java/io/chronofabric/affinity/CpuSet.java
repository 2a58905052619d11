package io.chronofabric.affinity;

import java.util.BitSet;
import java.util.stream.IntStream;

/**
 * An immutable set of CPU ids, read and written in the Linux list format ({@code 0-3,8,10-11}) that
 * {@code /sys/devices/system/cpu/online}, {@code isolcpus=} and {@code smp_affinity_list} use.
 */
public final class CpuSet
{
    /** The empty set. */
    public static final CpuSet EMPTY = new CpuSet(new BitSet());

    /** CPU ids are accepted up to this bound (Linux's default NR_CPUS on large builds). */
    public static final int MAX_CPU = 8191;

    private final BitSet cpus;

    private CpuSet(final BitSet cpus)
    {
        this.cpus = cpus;
    }

    /**
     * @param list a Linux CPU list such as {@code 0-3,8}; blank means empty.
     * @return the set.
     * @throws IllegalArgumentException naming the part that is not a CPU id or range.
     */
    public static CpuSet parse(final String list)
    {
        final BitSet cpus = new BitSet();
        final String trimmed = list.trim();
        if (trimmed.isEmpty())
        {
            return EMPTY;
        }
        for (final String part : trimmed.split(","))
        {
            final String range = part.trim();
            final int dash = range.indexOf('-');
            final int from = cpu(dash < 0 ? range : range.substring(0, dash), list);
            final int to = dash < 0 ? from : cpu(range.substring(dash + 1), list);
            if (to < from)
            {
                throw new IllegalArgumentException("CPU list '" + list + "' has the backwards range " + range);
            }
            cpus.set(from, to + 1);
        }
        return new CpuSet(cpus);
    }

    /** @param ids CPU ids. @return the set of them. */
    public static CpuSet of(final int... ids)
    {
        final BitSet cpus = new BitSet();
        IntStream.of(ids).forEach(cpus::set);
        return new CpuSet(cpus);
    }

    /** @param count a CPU count. @return the set 0 .. count-1. */
    public static CpuSet range(final int count)
    {
        final BitSet cpus = new BitSet();
        cpus.set(0, Math.max(0, count));
        return new CpuSet(cpus);
    }

    /** @param bits CPU bits, copied. @return the set. */
    public static CpuSet of(final BitSet bits)
    {
        return new CpuSet((BitSet)bits.clone());
    }

    private static int cpu(final String text, final String list)
    {
        try
        {
            final int cpu = Integer.parseInt(text.trim());
            if (cpu >= 0 && cpu <= MAX_CPU)
            {
                return cpu;
            }
        }
        catch (final NumberFormatException ignored)
        {
            // reported below, with the whole list
        }
        throw new IllegalArgumentException("CPU list '" + list + "' has '" + text.trim() + "', not a CPU id in [0, " +
            MAX_CPU + "]; write ids and ranges such as 0-3,8");
    }

    /** @param cpu a CPU id. @return true when the set holds it. */
    public boolean contains(final int cpu)
    {
        return cpu >= 0 && cpus.get(cpu);
    }

    /** @return how many CPUs the set holds. */
    public int size()
    {
        return cpus.cardinality();
    }

    /** @return true when the set holds no CPU. */
    public boolean isEmpty()
    {
        return cpus.isEmpty();
    }

    /** @return the ids in ascending order. */
    public int[] toArray()
    {
        return cpus.stream().toArray();
    }

    /** @param other another set. @return the CPUs in both. */
    public CpuSet and(final CpuSet other)
    {
        final BitSet both = (BitSet)cpus.clone();
        both.and(other.cpus);
        return new CpuSet(both);
    }

    /** @param other another set. @return the CPUs in either. */
    public CpuSet or(final CpuSet other)
    {
        final BitSet either = (BitSet)cpus.clone();
        either.or(other.cpus);
        return new CpuSet(either);
    }

    /** @param other another set. @return the CPUs in this set and not in the other. */
    public CpuSet minus(final CpuSet other)
    {
        final BitSet rest = (BitSet)cpus.clone();
        rest.andNot(other.cpus);
        return new CpuSet(rest);
    }

    /** @return the set as a {@link BitSet} (a copy), as OpenHFT Affinity takes it. */
    public BitSet toBitSet()
    {
        return (BitSet)cpus.clone();
    }

    /** @return the Linux list form, e.g. {@code 0-3,8}; empty for the empty set. */
    @Override
    public String toString()
    {
        final StringBuilder list = new StringBuilder();
        int cpu = cpus.nextSetBit(0);
        while (cpu >= 0)
        {
            final int end = cpus.nextClearBit(cpu) - 1;
            list.append(0 == list.length() ? "" : ",").append(cpu);
            if (end > cpu)
            {
                list.append(end == cpu + 1 ? "," : "-").append(end);
            }
            cpu = cpus.nextSetBit(end + 1);
        }
        return list.toString();
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof CpuSet && ((CpuSet)other).cpus.equals(cpus);
    }

    @Override
    public int hashCode()
    {
        return cpus.hashCode();
    }
}
