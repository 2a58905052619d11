package io.chronofabric.node;

/**
 * A node stopped for a cause it diagnosed itself ({@link Node#failure()}), its message saying what and what to do:
 * carrying on would lose or duplicate messages, and waiting would not change that. Logged as one line, without a stack
 * trace; any other failure of the node is logged with its trace.
 */
public class NodeStoppedException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was found, and what to do.
     */
    public NodeStoppedException(final String message)
    {
        super(message);
    }
}
