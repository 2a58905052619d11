package io.chronofabric.node;

/**
 * A peer refused this node, and said why ({@link PeerState#REFUSED} there): this node restarted on another journal
 * than the one whose messages the peer holds, or sent a record the peer cannot take. The node stops with it
 * ({@link Node#failure()}): the peer takes nothing from this process, and waiting would not change that.
 */
public final class PeerRefusedException extends NodeStoppedException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param nodeId this node's id.
     * @param peer   the peer that refused it.
     * @param reason the peer's reason.
     */
    public PeerRefusedException(final int nodeId, final int peer, final String reason)
    {
        super("peer " + peer + " refuses node " + nodeId + ": " + reason);
    }
}
