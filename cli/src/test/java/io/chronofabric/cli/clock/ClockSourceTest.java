package io.chronofabric.cli.clock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.chronofabric.affinity.HostFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The clock source as sysfs shows it, "unknown" where it does not. */
class ClockSourceTest
{
    private static final String FOLDER = "sys/devices/system/clocksource/clocksource0";

    @TempDir
    Path root;

    @Test
    void shouldReadTheCurrentAndTheAvailableClockSources() throws Exception
    {
        Files.createDirectories(root.resolve(FOLDER));
        Files.writeString(root.resolve(FOLDER).resolve("current_clocksource"), "tsc\n");
        Files.writeString(root.resolve(FOLDER).resolve("available_clocksource"), "tsc hpet acpi_pm \n");

        assertEquals(new ClockSource("tsc", List.of("tsc", "hpet", "acpi_pm")), ClockSource.read(new HostFiles(root)));
    }

    @Test
    void shouldSayUnknownWhenSysfsHidesTheClockSource()
    {
        assertEquals(new ClockSource("unknown", List.of()), ClockSource.read(new HostFiles(root)));
    }
}
