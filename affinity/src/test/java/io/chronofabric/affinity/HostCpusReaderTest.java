package io.chronofabric.affinity;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostCpusReaderTest
{
    @TempDir
    Path root;

    @Test
    void shouldCountIsolatedCpusAsUsableAlthoughTheProcessMaskExcludesThem()
    {
        final FakeHost host = new FakeHost(root).tuned()
            .file("/proc/cpuinfo", cpuinfo(8));
        final HostCpus cpus = HostCpusReader.read(host.files(), 3, Optional.empty());

        assertEquals("0-7", cpus.usable().toString());
        assertEquals("2-6", cpus.isolated().toString());
        assertEquals("2-6", cpus.nohzFull().toString());
        assertEquals("2-6", cpus.rcuNocbs().toString());
        assertEquals(1, cpus.sockets());
        assertEquals(8, cpus.coresPerSocket());
        assertEquals(1, cpus.threadsPerCore());
        assertEquals("0-7", cpus.numaNodes().get(0).toString());
        assertTrue(cpus.pinningProblem().isEmpty());
        assertEquals("8 usable CPUs (0-7), isolated 2-6", cpus.summary());
    }

    @Test
    void shouldFallBackToTheJvmsProcessorCountWhenNothingCanBeRead()
    {
        final HostCpus cpus = HostCpusReader.read(new HostFiles(root.resolve("missing")), 2,
            Optional.of("no native affinity"));

        assertEquals("0,1", cpus.usable().toString());
        assertTrue(cpus.isolated().isEmpty());
        assertEquals(HostCpus.UNKNOWN, cpus.sockets());
        assertTrue(cpus.numaNodes().isEmpty());
        assertEquals("no native affinity", cpus.pinningProblem().orElseThrow());
    }

    @Test
    void shouldReadThisHostWithoutFailing()
    {
        final HostCpus cpus = HostCpusReader.local();
        assertTrue(cpus.usable().size() >= 1, cpus::summary);
        assertTrue(cpus.availableProcessors() >= 1);
    }

    static String cpuinfo(final int cpus)
    {
        final StringBuilder text = new StringBuilder();
        for (int cpu = 0; cpu < cpus; cpu++)
        {
            text.append("processor\t: ").append(cpu).append("\nphysical id\t: 0\ncore id\t\t: ").append(cpu)
                .append("\n\n");
        }
        return text.toString();
    }
}
