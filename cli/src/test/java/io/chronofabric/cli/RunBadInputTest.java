package io.chronofabric.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.cli.UsageErrors.assertRefused;
import static io.chronofabric.cli.UsageErrors.words;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code run} refuses bad options before it does any work: exit code 2 and one line naming the option, the value and
 * what is allowed; never a stack trace, a hang, or a failure after the run. (Too little free space for the journal is
 * the engine's refusal to start, exit 1, and comes as early.)
 */
class RunBadInputTest
{
    private static final Duration PROMPTLY = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void shouldRefuseAFileAsTheJournalFolder() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("journal.txt"), "not a journal");
        assertRefused(words("--journal", file.toString(), "is a file"), run(file, "--messages", "100"));
    }

    /** Settings valid for an engine but too small for the trading workload: refused before anything runs. */
    @Test
    void shouldRefuseSettingsTooSmallForTheWorkloadNamingWhatItNeeds()
    {
        final Path journal = dir.resolve("journal");
        assertRefused(words("payload.capacity=20", "too small", "allowed: 36 or more"),
            run(journal, "--messages", "100", "--set", "payload.capacity=20"));
        assertRefused(words("types.max=3", "allowed: 4 or more"),
            run(journal, "--messages", "100", "--set", "types.max=3"));
        assertRefused(words("dependencies.max=0", "allowed: 1 or more"),
            run(journal, "--messages", "100", "--set", "dependencies.max=0"));
        final List<String> node = new ArrayList<>(List.of(nodeRun("127.0.0.1:1", "2=127.0.0.1:2")));
        node.addAll(List.of("--set", "dependencies.max=1"));
        assertRefused(words("dependencies.max=1", "on a node", "allowed: 2 or more"), node.toArray(new String[0]));
    }

    @Test
    void shouldRefuseAJournalFolderUnderAFile() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("file"), "");
        assertRefused(words("--journal", "is a file"), run(file.resolve("journal"), "--messages", "100"));
    }

    @Test
    void shouldRefuseAReadOnlyJournalFolder() throws Exception
    {
        final Path journal = writtenJournal();
        try (ReadOnlyFolder ignored = ReadOnlyFolder.of(journal))
        {
            assertRefused(words("--journal", "not writable"), run(journal, "--messages", "100"));
        }
    }

    @Test
    void shouldRefuseAReadOnlyJournalFolderToResume() throws Exception
    {
        final Path journal = writtenJournal();
        try (ReadOnlyFolder ignored = ReadOnlyFolder.of(journal))
        {
            assertRefused(words("--journal", "not writable"), run(journal, "--messages", "100", "--resume"));
        }
    }

    @Test
    void shouldRefuseAMetricsFileInAMissingFolderBeforeRunning()
    {
        final Path journal = dir.resolve("journal");
        assertRefused(words("--metrics-out", "/nonexistent", "does not exist"),
            run(journal, "--messages", "100", "--metrics-out", "/nonexistent/x"));
        assertFalse(Files.exists(journal), "nothing ran");
    }

    /** A path no one can create a file or folder at, whatever the permissions say (root passes those). */
    @Test
    void shouldRefuseAMetricsFileOrJournalThatCannotBeCreatedBeforeRunning()
    {
        final Path journal = dir.resolve("journal");
        assertRefused(words("--metrics-out", "/proc/chronofabric-metrics.txt"),
            run(journal, "--messages", "100", "--metrics-out", "/proc/chronofabric-metrics.txt"));
        assertFalse(Files.exists(journal), "nothing ran");
        assertRefused(words("--journal", "/proc/chronofabric-journal"),
            run(Path.of("/proc/chronofabric-journal"), "--messages", "100"));
    }

    @Test
    void shouldRefuseAFolderAsTheMetricsFile()
    {
        assertRefused(words("--metrics-out", "is a folder"),
            run(dir.resolve("journal"), "--messages", "100", "--metrics-out", dir.toString()));
    }

    @Test
    void shouldRefuseANegativeWarmUp()
    {
        assertRefused(words("--warmup -5", ">= 0"), run(dir.resolve("journal"), "--messages", "100", "--warmup", "-5"));
    }

    @Test
    void shouldRefuseARateTooSmallToPacePromptly()
    {
        assertTimeoutPreemptively(PROMPTLY, () -> assertRefused(words("--rate 1e-300", "allowed", "max"),
            run(dir.resolve("journal"), "--messages", "10", "--rate", "1e-300")));
    }

    @Test
    void shouldRefuseRatesThatAreNotFiniteOrOutOfRange()
    {
        for (final String rate : new String[] {"NaN", "Infinity", "-1", "0", "0.5", "2e9"})
        {
            assertRefused(words("--rate " + rate, "[1, 1000000000]"),
                run(dir.resolve("journal"), "--messages", "10", "--rate", rate));
        }
    }

    @Test
    void shouldRefuseMessageCountsAndPortsOutOfRange()
    {
        assertRefused(words("--messages 0", ">= 1"), run(dir.resolve("journal"), "--messages", "0"));
        assertRefused(words("--metrics-port -1", "65535"),
            run(dir.resolve("journal"), "--messages", "10", "--metrics-port", "-1"));
        assertRefused(words("--metrics-port 70000", "65535"),
            run(dir.resolve("journal"), "--messages", "10", "--metrics-port", "70000"));
    }

    @Test
    void shouldRefuseAMetricsHostThatIsNeitherAHostNameNorAnIpLiteral()
    {
        assertRefused(words("metrics.host=http://0.0.0.0", "a host name or an IP literal"),
            run(dir.resolve("journal"), "--messages", "10", "--set", "metrics.host=http://0.0.0.0"));
    }

    @Test
    void shouldRefuseAMetricsEndpointThatCannotBeServedBeforeCreatingTheJournal() throws Exception
    {
        final Path journal = dir.resolve("journal");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            final int port = taken.getLocalPort();
            assertRefused(words("metrics.port=" + port, "in use"),
                run(journal, "--messages", "10", "--metrics-port", String.valueOf(port)));
        }
        assertFalse(Files.exists(journal), "a port in use: nothing ran");
        // 203.0.113.0/24 is reserved for documentation: no address of this machine; .invalid never resolves
        for (final String host : new String[] {"203.0.113.254", "no.such.host.invalid"})
        {
            assertRefused(words("metrics.host=" + host),
                run(journal, "--messages", "10", "--metrics-port", "19999", "--set", "metrics.host=" + host));
            assertFalse(Files.exists(journal), () -> "metrics.host=" + host + ": nothing ran");
        }
    }

    @Test
    void shouldRefuseMalformedNumbersAndUnknownOptionsInOneLine()
    {
        assertRefused(words("--warmup", "lots"), run(dir.resolve("journal"), "--warmup", "lots"));
        assertRefused(words("--no-such-option"), "run", "--no-such-option");
    }

    @Test
    void shouldRefuseANodeAddressThatIsNoAddressBeforeRunning()
    {
        final Path journal = dir.resolve("journal");
        assertRefused(words("--listen 999.1.1.1:21000", "address"),
            nodeRun("999.1.1.1:21000", "2=127.0.0.1:21001"));
        assertRefused(words("--peer 2=999.1.1.1:21001", "address"),
            nodeRun("127.0.0.1:21000", "2=999.1.1.1:21001"));
        assertFalse(Files.exists(journal), "nothing ran");
    }

    @Test
    void shouldRefuseAListenAddressOfAnotherHost()
    {
        // TEST-NET-3 (RFC 5737): a valid address that no host here has
        assertRefused(words("--listen 203.0.113.7:21000", "this host"),
            nodeRun("203.0.113.7:21000", "2=127.0.0.1:21001"));
    }

    @Test
    void shouldRefuseAPeerGivenTwice()
    {
        assertRefused(words("--peer 2", "twice", "127.0.0.1:21001", "127.0.0.1:21002"),
            nodeRun("127.0.0.1:21000", "2=127.0.0.1:21001", "2=127.0.0.1:21002"));
        assertRefused(words("--peer", "127.0.0.1:21001", "peers 2 and 3"),
            nodeRun("127.0.0.1:21000", "2=127.0.0.1:21001", "3=127.0.0.1:21001"));
    }

    @Test
    void shouldRefuseANodeIdSetAsASettingWithOrWithoutANode()
    {
        // with --node the setting was ignored (the run went on as --node said); without, a lone engine stamped its
        // messages as a node's
        final String[] withNode = nodeRun("127.0.0.1:21000", "2=127.0.0.1:21001");
        final String[] both = java.util.Arrays.copyOf(withNode, withNode.length + 2);
        both[withNode.length] = "--set";
        both[withNode.length + 1] = "node.id=3";
        assertRefused(words("--set node.id=3", "--node"), both);
        assertRefused(words("--set node.id=3", "--node"),
            run(dir.resolve("journal"), "--messages", "10", "--set", "node.id=3"));
    }

    @Test
    void shouldRefuseAPeerWaitOutOfRangeWithOrWithoutANode()
    {
        assertRefused(words("--peer-wait-ms 0", "[1, 3600000]"),
            run(dir.resolve("journal"), "--messages", "10", "--peer-wait-ms", "0"));
    }

    @Test
    void shouldRefuseAPeerWaitWithoutANode()
    {
        // a run that is not a node waits for no peer: the option would be ignored without a word
        assertRefused(words("--peer-wait-ms", "need --node"),
            run(dir.resolve("journal"), "--messages", "10", "--peer-wait-ms", "100"));
        assertFalse(Files.exists(dir.resolve("journal")), "nothing ran");
    }

    @Test
    void shouldRefuseAPeerWithThisNodesOwnIdSayingWhatIsAllowed()
    {
        assertRefused(words("--peer 1=127.0.0.1:21001", "own id", "allowed", "other nodes"),
            nodeRun("127.0.0.1:21000", "1=127.0.0.1:21001"));
    }

    @Test
    void shouldRefuseAPeerAtThisNodesOwnEndpoint()
    {
        assertRefused(words("--peer 2=127.0.0.1:21000", "--listen"),
            nodeRun("127.0.0.1:21000", "2=127.0.0.1:21000"));
        // listening on every address of this host takes the loopback one too
        assertRefused(words("--peer 2=127.0.0.1:21000", "own --listen endpoint"),
            nodeRun("0.0.0.0:21000", "2=127.0.0.1:21000"));
    }

    @Test
    void shouldRefuseAnIpv6AddressWithoutBracketsInOneLine()
    {
        assertRefused(words("--peer", "::1:21001", "[::1]:PORT"), nodeRun("127.0.0.1:21000", "2=::1:21001"));
        assertRefused(words("--listen", "::1:21000", "[::1]:PORT"), nodeRun("::1:21000", "2=127.0.0.1:21001"));
    }

    @Test
    void shouldRefuseAListenPortAnotherProcessHoldsBeforeTouchingTheJournal() throws Exception
    {
        final Path journal = writtenJournal();
        final long records = io.chronofabric.journal.JournalFiles.countRecords(journal);
        try (DatagramChannel holder = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0)))
        {
            final String listen = "127.0.0.1:" + ((InetSocketAddress)holder.getLocalAddress()).getPort();
            assertRefused(words("--listen " + listen, "in use", "free port"),
                run(journal, "--messages", "10", "--node", "731", "--listen", listen, "--peer", "2=127.0.0.1:21001"));
        }
        assertEquals(records, io.chronofabric.journal.JournalFiles.countRecords(journal), "the journal is as it was");
        assertFalse(Files.exists(dir.resolve("journal.previous")), "nothing was set aside");
    }

    /**
     * Node 1 resumed on node 2's journal would ship node 2's messages as its own and issue ids that collide with
     * them at the peers (a black-box round: accepted while node 2 was down, it left a journal that verifies as
     * corrupt and unequal counts after both ran, all with exit 0).
     */
    @Test
    void shouldRefuseToRunANodeOnAnotherNodesJournalBeforeTouchingIt() throws Exception
    {
        final Path journal = dir.resolve("journal");
        final int port2 = FreePorts.udp();
        final UsageErrors.Result node2 = UsageErrors.run(run(journal, "--messages", "10", "--node", "2", "--listen",
            "127.0.0.1:" + port2, "--peer", "1=127.0.0.1:21000", "--peer-wait-ms", "200"));
        assertEquals(1, node2.code(), "node 2 ran and gave up on its peer: " + node2);
        final long records = io.chronofabric.journal.JournalFiles.countRecords(journal);
        assertRefused(words("--node 1:", "is node 2's", "not node 1's", "allowed"),
            run(journal, "--resume", "--messages", "10", "--node", "1", "--listen", "127.0.0.1:" + FreePorts.udp(),
                "--peer", "2=127.0.0.1:" + port2));
        assertEquals(records, io.chronofabric.journal.JournalFiles.countRecords(journal), "the journal is as it was");
        // without --resume it would set node 2's journal aside, where node 2 no longer finds it
        assertRefused(words("--node 1:", "is node 2's", "not node 1's", "allowed"),
            run(journal, "--messages", "10", "--node", "1", "--listen", "127.0.0.1:" + FreePorts.udp(),
                "--peer", "2=127.0.0.1:" + port2));
        assertEquals(records, io.chronofabric.journal.JournalFiles.countRecords(journal), "the journal is as it was");
        assertFalse(Files.exists(dir.resolve("journal.previous")), "nothing was set aside");
    }

    @Test
    void shouldRefuseAJournalFileSystemBelowTheMinimumFreeSpaceBeforeCreatingOrSettingAsideAJournal()
    {
        final Path journal = writtenJournal();
        final long records = io.chronofabric.journal.JournalFiles.countRecords(journal);
        final UsageErrors.Result refused = UsageErrors.run(run(journal, "--messages", "10", "--set",
            "journal.min-free-bytes=" + (1L << 60)));
        assertEquals(1, refused.code(), "the engine's own refusal to start: " + refused);
        assertEquals(1, refused.err().strip().lines().count(), refused::toString);
        assertTrue(refused.err().contains("below journal.min-free-bytes=" + (1L << 60)), refused::toString);
        assertEquals(records, io.chronofabric.journal.JournalFiles.countRecords(journal), "the journal is as it was");
        assertFalse(Files.exists(dir.resolve("journal.previous")), "nothing was set aside");
        final Path fresh = dir.resolve("fresh");
        assertEquals(1, UsageErrors.run(run(fresh, "--messages", "10", "--set",
            "journal.min-free-bytes=" + (1L << 60))).code());
        assertFalse(Files.exists(fresh), "no folder created");
    }

    @Test
    void shouldRefuseAnEmptyJournalPathInsteadOfWritingIntoTheWorkingAndRootFolders()
    {
        assertRefused(words("journal.dir", "not empty"), "run", "--journal", "", "--messages", "10", "--warmup", "0");
        assertRefused(words("journal.dir", "not empty"), "run", "--set", "journal.dir=", "--messages", "10",
            "--warmup", "0");
    }

    /**
     * A refusal that only the engine's start can make (a metrics port another process holds) comes after the journal
     * was set aside: it is put back, and the older copy it would have replaced kept, however often it is repeated.
     */
    @Test
    void shouldPutTheJournalBackWhenTheEngineRefusesToStart() throws Exception
    {
        final Path journal = writtenJournal();
        UsageErrors.run(run(journal, "--messages", "150"));
        final long records = io.chronofabric.journal.JournalFiles.countRecords(journal);
        final long previousRecords = io.chronofabric.journal.JournalFiles.countRecords(dir.resolve("journal.previous"));
        try (java.net.ServerSocket holder = new java.net.ServerSocket(0, 1,
            java.net.InetAddress.getByName("127.0.0.1")))
        {
            for (int attempt = 0; attempt < 2; attempt++)
            {
                final UsageErrors.Result refused = UsageErrors.run(run(journal, "--messages", "10", "--set",
                    "metrics.host=127.0.0.1", "--metrics-port", Integer.toString(holder.getLocalPort())));
                assertEquals(2, refused.code(), refused::toString);
                assertEquals(records, io.chronofabric.journal.JournalFiles.countRecords(journal), "put back");
                assertEquals(previousRecords,
                    io.chronofabric.journal.JournalFiles.countRecords(dir.resolve("journal.previous")), "kept");
            }
        }
        try (java.util.stream.Stream<Path> files = Files.list(dir))
        {
            assertEquals(List.of("journal", "journal.previous"), files.map(f -> f.getFileName().toString()).sorted()
                .toList(), "nothing else left beside them");
        }
    }

    /** A journal keeps its roll cycle: resuming it with another configured is refused in one line naming it. */
    @Test
    void shouldRefuseToResumeAJournalWithAnotherRollCycleNamingTheJournals() throws Exception
    {
        final Path journal = dir.resolve("journal");
        final UsageErrors.Result written = UsageErrors.run(run(journal, "--messages", "200", "--set",
            "journal.roll-cycle=TEST_SECONDLY"));
        assertEquals(0, written.code(), written::toString);
        final long records = io.chronofabric.journal.JournalFiles.countRecords(journal);

        assertRefused(words("journal.roll-cycle=FAST_DAILY", "allowed: TEST_SECONDLY", "was written with"),
            run(journal, "--resume", "--messages", "10"));
        assertEquals(records, io.chronofabric.journal.JournalFiles.countRecords(journal), "left as it was");

        final UsageErrors.Result resumed = UsageErrors.run(run(journal, "--resume", "--messages", "10", "--json",
            "--set", "journal.roll-cycle=test_secondly"));
        assertEquals(0, resumed.code(), resumed::toString);
        assertTrue(resumed.out().matches("(?s).*\"roll_cycle\"\\s*:\\s*\"TEST_SECONDLY\".*"), resumed::toString);
    }

    private Path writtenJournal()
    {
        final Path journal = dir.resolve("journal");
        final UsageErrors.Result result = UsageErrors.run(run(journal, "--messages", "200"));
        assertEquals(0, result.code(), result::toString);
        return journal;
    }

    /** A run of node 1 on {@code dir/journal}, listening here, with these peers ({@code ID=HOST:PORT}). */
    private String[] nodeRun(final String listen, final String... peers)
    {
        final List<String> options = new ArrayList<>(List.of("--messages", "10", "--node", "1", "--listen", listen));
        for (final String peer : peers)
        {
            options.addAll(List.of("--peer", peer));
        }
        return run(dir.resolve("journal"), options.toArray(new String[0]));
    }

    /** A run on the journal, without a warm-up unless the options set one. */
    private static String[] run(final Path journal, final String... options)
    {
        final List<String> args = new ArrayList<>(List.of("run", "--journal", journal.toString()));
        args.addAll(List.of(options));
        if (!args.contains("--warmup"))
        {
            args.addAll(List.of("--warmup", "0"));
        }
        return args.toArray(new String[0]);
    }
}
