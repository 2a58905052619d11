package io.chronofabric.cli.clock;

import java.util.Arrays;
import java.util.List;

import io.chronofabric.affinity.HostFiles;

/**
 * The kernel's clock source, which decides what a clock read costs ({@code tsc}: tens of nanoseconds, from user
 * space; {@code hpet} or {@code acpi_pm}: a system call and hundreds of nanoseconds).
 *
 * @param current   the clock source in use, or {@value #UNKNOWN} when it cannot be read.
 * @param available the clock sources the kernel offers; empty when they cannot be read.
 */
public record ClockSource(String current, List<String> available)
{
    /** What stands for a fact the host does not show. */
    public static final String UNKNOWN = "unknown";

    private static final String FOLDER = "/sys/devices/system/clocksource/clocksource0/";

    /**
     * @param files the host's files.
     * @return its clock source, {@value #UNKNOWN} for what cannot be read.
     */
    public static ClockSource read(final HostFiles files)
    {
        final String current = files.read(FOLDER + "current_clocksource").filter(text -> !text.isBlank())
            .orElse(UNKNOWN);
        final List<String> available = files.read(FOLDER + "available_clocksource")
            .map(text -> text.isBlank() ? List.<String>of() : Arrays.asList(text.trim().split("\\s+")))
            .orElse(List.of());
        return new ClockSource(current, List.copyOf(available));
    }
}
