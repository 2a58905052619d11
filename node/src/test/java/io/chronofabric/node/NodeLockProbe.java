package io.chronofabric.node;

import java.nio.file.Path;

/** Run in a child JVM: tries to take a node id's lock and prints {@code acquired} or {@code refused}. */
public final class NodeLockProbe
{
    private NodeLockProbe()
    {
    }

    /** @param args the folder holding the node directories, and the node id. */
    public static void main(final String[] args)
    {
        try (NodeLock lock = NodeLock.acquire(Path.of(args[0]), Integer.parseInt(args[1])))
        {
            System.out.println("acquired");
        }
        catch (final NodeInUseException ex)
        {
            System.out.println("refused");
        }
    }
}
