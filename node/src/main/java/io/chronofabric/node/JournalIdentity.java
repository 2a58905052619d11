package io.chronofabric.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

import io.chronofabric.journal.DurableFiles;

/**
 * Which journal a node's origin ids belong to, kept in {@value #FILE} in the journal folder: the node id it is the
 * journal of (another node id is refused on it), this node's journal epoch
 * (a random id made with the journal, so a node id restarted on a fresh journal is a new epoch) and the epoch of each
 * peer whose messages this journal holds. A peer whose epoch changed while this journal holds its messages restarted
 * on another journal: its origin ids start again and would be taken for duplicates, so the node refuses it instead of
 * losing its stream quietly.
 */
final class JournalIdentity
{
    static final String FILE = "node.properties";
    private static final String SELF = "epoch";
    private static final String NODE = "node";
    private static final String PEER = "peer.";

    private final Path file;
    private final Properties properties = new Properties();

    private JournalIdentity(final Path file)
    {
        this.file = file;
    }

    /**
     * @param journalDir the node's journal folder.
     * @param nodeId     the node starting on it.
     * @return its identity; a journal without one gets a new epoch and this node id, written at once.
     * @throws JournalOfAnotherNodeException when the journal is another node's.
     */
    static JournalIdentity of(final Path journalDir, final int nodeId)
    {
        requireNode(journalDir, nodeId);
        final JournalIdentity identity = new JournalIdentity(journalDir.resolve(FILE));
        try
        {
            identity.properties.putAll(DurableFiles.loadProperties(identity.file));
            final boolean made = null == identity.properties.getProperty(SELF) ||
                null == identity.properties.getProperty(NODE);
            if (null == identity.properties.getProperty(SELF))
            {
                identity.properties.setProperty(SELF, Long.toString(ThreadLocalRandom.current().nextLong(1,
                    Long.MAX_VALUE)));
            }
            identity.properties.setProperty(NODE, Integer.toString(nodeId));
            if (made)
            {
                identity.save();
            }
        }
        catch (final IOException | IllegalArgumentException ex)
        {
            throw new IllegalStateException("cannot read or write the node identity " + identity.file + ": " +
                ex.getMessage(), ex);
        }
        return identity;
    }

    /**
     * A journal is one node's: its own messages (and the ids its peers hold of them) are that node's, and another
     * node started on it would ship them as its own and issue ids that collide with them.
     *
     * @param journalDir a journal folder.
     * @param nodeId     the node to start on it.
     * @throws JournalOfAnotherNodeException when {@value #FILE} names another node.
     */
    static void requireNode(final Path journalDir, final int nodeId)
    {
        final String owner = ownerOf(journalDir);
        if (null != owner && !owner.equals(Integer.toString(nodeId)))
        {
            throw new JournalOfAnotherNodeException(journalDir, owner, nodeId);
        }
    }

    /**
     * @param journalDir a journal folder.
     * @return the node id {@value #FILE} names, or null when the folder is no node's journal (or none yet).
     */
    static String ownerOf(final Path journalDir)
    {
        if (!java.nio.file.Files.isDirectory(journalDir))
        {
            return null; // none yet, or not a folder, which the engine refuses as such
        }
        final Path file = journalDir.resolve(FILE);
        try
        {
            return DurableFiles.loadProperties(file).getProperty(NODE);
        }
        catch (final IOException | IllegalArgumentException ex)
        {
            throw new IllegalStateException("cannot read the node identity " + file + ": " + ex.getMessage(), ex);
        }
    }

    /** @return this journal's epoch. */
    long epoch()
    {
        return Long.parseLong(properties.getProperty(SELF));
    }

    /** @param peer a peer. @return the epoch of the peer journal this one holds messages of, 0 when none known. */
    long peerEpoch(final int peer)
    {
        final String epoch = properties.getProperty(PEER + peer);
        return null == epoch ? 0 : Long.parseLong(epoch);
    }

    /** Records the epoch of a peer's journal, once this node first hears of it. */
    void peerEpoch(final int peer, final long epoch)
    {
        properties.setProperty(PEER + peer, Long.toString(epoch));
        try
        {
            save();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write the node identity " + file, ex);
        }
    }

    private void save() throws IOException
    {
        DurableFiles.storeProperties(file, properties,
            "ChronoFabric node: the node this journal is, its epoch and its peers' (do not edit)");
    }
}
