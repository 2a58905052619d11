package io.chronofabric.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * A fault drill, like Aeron's debug loss endpoints: when the system property {@value #PROPERTY} names a file, the
 * node treats the peers listed in it (node ids, separated by white space or commas) as cut off by the network: it
 * drops everything they send and sends them nothing, until they leave the file. Read once per heartbeat, off the
 * pipeline; without the property it costs nothing. For partition tests on one machine, where loopback cannot be cut.
 */
final class PartitionDrill
{
    /** The system property naming the file of cut-off peers. */
    static final String PROPERTY = "chronofabric.node.partition-file";

    private final Path file;

    private PartitionDrill(final Path file)
    {
        this.file = file;
    }

    /** @return the drill configured by {@value #PROPERTY}, or null when none. */
    static PartitionDrill fromSystemProperty()
    {
        final String file = System.getProperty(PROPERTY);
        return null == file || file.isBlank() ? null : new PartitionDrill(Path.of(file));
    }

    /** @return the peers cut off now; empty when the file is absent or unreadable. */
    Set<Integer> cutOff()
    {
        final Set<Integer> peers = new HashSet<>();
        try
        {
            if (Files.exists(file))
            {
                for (final String id : Files.readString(file).trim().split("[\\s,]+"))
                {
                    if (!id.isEmpty())
                    {
                        peers.add(Integer.parseInt(id));
                    }
                }
            }
        }
        catch (final IOException | NumberFormatException ex)
        {
            // a file being rewritten: the next heartbeat reads it again
        }
        return peers;
    }
}
