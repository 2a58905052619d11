package io.chronofabric.affinity;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Kernel files report size 0: each is read whole, as one read with a page-sized buffer returns it (a black-box round
 * saw host-check report swappiness "6" on a host whose /proc/sys/vm/swappiness holds "60").
 */
class HostFilesTest
{
    @Test
    void shouldReadSysctlAndProcFilesWhole() throws IOException
    {
        for (final String file : List.of("/proc/sys/vm/swappiness", "/proc/sys/kernel/pid_max", "/proc/sys/kernel/osrelease"))
        {
            assumeTrue(Files.isReadable(Path.of(file)), file + " exists on Linux only");
            assertEquals(oneRead(file), HostFiles.system().read(file).orElseThrow(), file);
        }
    }

    private static String oneRead(final String file) throws IOException
    {
        try (FileChannel channel = FileChannel.open(Path.of(file)))
        {
            final ByteBuffer buffer = ByteBuffer.allocate(4096);
            channel.read(buffer);
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).trim();
        }
    }
}
