package io.chronofabric.affinity;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The kernel's boot parameters from {@code /proc/cmdline}, with the CPU lists that matter for latency:
 * {@code isolcpus}, {@code nohz_full} and {@code rcu_nocbs}.
 */
public final class KernelCommandLine
{
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private final boolean known;

    /**
     * @param cmdline the content of {@code /proc/cmdline}, or null when it could not be read.
     */
    public KernelCommandLine(final String cmdline)
    {
        this.known = null != cmdline;
        if (known)
        {
            for (final String word : cmdline.trim().split("\\s+"))
            {
                if ("--".equals(word))
                {
                    break; // what follows belongs to init, not to the kernel
                }
                final int equals = word.indexOf('=');
                parameters.put(equals < 0 ? word : word.substring(0, equals), equals < 0 ? "" : word.substring(equals + 1));
            }
        }
    }

    /** @param files the host's files. @return the command line of that host. */
    public static KernelCommandLine read(final HostFiles files)
    {
        return new KernelCommandLine(files.read("/proc/cmdline").orElse(null));
    }

    /** @return true when {@code /proc/cmdline} was readable. */
    public boolean known()
    {
        return known;
    }

    /** @param name a parameter name. @return its value ("" for a bare flag), or empty when absent. */
    public Optional<String> parameter(final String name)
    {
        return Optional.ofNullable(parameters.get(name));
    }

    /**
     * @param name {@code isolcpus}, {@code nohz_full} or {@code rcu_nocbs}.
     * @return the CPUs the parameter names (flags such as {@code domain,managed_irq,} before the list are skipped);
     *     empty when it is absent or unreadable.
     */
    public CpuSet cpus(final String name)
    {
        final String value = parameters.get(name);
        if (null == value)
        {
            return CpuSet.EMPTY;
        }
        final StringBuilder list = new StringBuilder();
        for (final String part : value.split(","))
        {
            if (!part.isEmpty() && Character.isDigit(part.charAt(0)))
            {
                list.append(0 == list.length() ? "" : ",").append(part);
            }
        }
        try
        {
            return CpuSet.parse(list.toString());
        }
        catch (final IllegalArgumentException ex)
        {
            return CpuSet.EMPTY;
        }
    }
}
