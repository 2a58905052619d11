package io.chronofabric.affinity;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelCommandLineTest
{
    @Test
    void shouldReadTheIsolationListsSkippingIsolcpusFlags()
    {
        final KernelCommandLine cmdline = new KernelCommandLine("BOOT_IMAGE=/vmlinuz root=/dev/sda1 quiet " +
            "isolcpus=domain,managed_irq,2-5 nohz_full=2-5 rcu_nocbs=2-5,7 -- isolcpus=9");
        assertTrue(cmdline.known());
        assertEquals("2-5", cmdline.cpus("isolcpus").toString(), "words after -- belong to init");
        assertEquals("2-5", cmdline.cpus("nohz_full").toString());
        assertEquals("2-5,7", cmdline.cpus("rcu_nocbs").toString());
        assertEquals("", cmdline.parameter("quiet").orElseThrow());
    }

    @Test
    void shouldTreatAnUnreadableCommandLineAsUnknownAndEmpty()
    {
        final KernelCommandLine cmdline = new KernelCommandLine(null);
        assertFalse(cmdline.known());
        assertTrue(cmdline.cpus("isolcpus").isEmpty());
        assertTrue(new KernelCommandLine("isolcpus=garbage").cpus("isolcpus").isEmpty());
    }
}
