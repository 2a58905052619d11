package io.chronofabric.cli.journal;

import java.nio.file.Files;
import java.nio.file.Path;

import io.chronofabric.cli.common.Inputs;
import io.chronofabric.node.Node;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A node's journal ({@link Node#IDENTITY_FILE} in its folder) holds its own messages until every peer has journaled
 * them, which only the running node knows: deleting cycles from it with no engine running could delete messages a
 * peer still lacks, for good.
 */
final class NodeJournals
{
    private NodeJournals()
    {
    }

    /**
     * @param spec    the command.
     * @param dir     the journal folder.
     * @param command what the user ran, for the message.
     * @throws picocli.CommandLine.ParameterException (exit 2) when {@code dir} is a node's journal.
     */
    static void refuseDeleting(final CommandSpec spec, final Path dir, final String command)
    {
        if (Files.exists(dir.resolve(Node.IDENTITY_FILE)))
        {
            throw Inputs.refused(spec, command + ": " + dir + " is a node's journal (" + Node.IDENTITY_FILE + "), and "
                + "its peers may still lack some of its messages; allowed: let the running node prune it "
                + "(journal.retention.*, which keeps what a peer lacks), or journal prune --ignore-peers");
        }
    }
}
