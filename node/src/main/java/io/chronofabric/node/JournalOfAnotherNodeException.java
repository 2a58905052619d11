package io.chronofabric.node;

import java.nio.file.Path;

/**
 * A node was started on another node's journal: its messages there are the other node's, and the peers hold them as
 * that node's; this node would ship them as its own and issue ids that collide with them. Refused before the journal
 * is touched.
 */
public final class JournalOfAnotherNodeException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param journalDir the journal folder.
     * @param owner      the node id its identity file names.
     * @param nodeId     the node that was to start on it.
     */
    public JournalOfAnotherNodeException(final Path journalDir, final String owner, final int nodeId)
    {
        super("the journal " + journalDir + " is node " + owner + "'s (" + JournalIdentity.FILE + "), not node " +
            nodeId + "'s: a node keeps its own journal; allowed: node " + nodeId + "'s own journal, or a fresh folder");
    }
}
