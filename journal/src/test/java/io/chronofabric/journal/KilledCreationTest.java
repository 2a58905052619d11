package io.chronofabric.journal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.journal.JournalFileCheck.Depth.DOCUMENTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Real Chronicle writers ({@link WriterVictim}) SIGKILLed while creating roll files: what they leave never stops the
 * next start ({@link JournalFileCheck#setAsideUnfinished}, then the check), every document written before the kill is
 * read, promptly, and a writer carries on.
 */
@Timeout(120)
class KilledCreationTest
{
    private static final int KILLS = Integer.getInteger("killed.creation.kills", 3);
    private static final Duration PROMPTLY = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    /** Killed where Chronicle has created the file and not yet sized it: deterministic, through its own code. */
    @Test
    void shouldCarryOnAfterAKillRightAfterChronicleCreatedARollFile() throws Exception
    {
        try (Child victim = Child.start("created", dir.toString()))
        {
            victim.awaitLine("kill-me");
            victim.kill();
        }
        final List<Path> rollFiles = JournalFiles.rollFiles(dir);
        assertEquals(11, rollFiles.size(), rollFiles::toString);
        final Path created = rollFiles.get(10);
        assertEquals(0, Files.size(created), "created, not yet sized");

        final List<JournalCorruptionException> findings = JournalFileCheck.check(dir, false, DOCUMENTS);
        assertEquals(1, findings.size(), findings::toString);
        assertTrue(findings.get(0).unfinished(), findings.get(0)::getMessage);
        assertEquals(created, findings.get(0).file());
        assertEquals(List.of(created), setAside());

        assertEquals(sequence(0, 10), readAll());
        try (ChronicleQueue queue = SingleChronicleQueueBuilder.single(dir.toFile())
                 .rollCycle(TestRollCycles.TEST_SECONDLY).timeProvider(() -> WriterVictim.EPOCH_MILLIS + 11_000)
                 .build();
             ExcerptAppender appender = queue.createAppender())
        {
            assertTimeoutPreemptively(PROMPTLY, () -> appender.writeBytes(bytes -> bytes.writeLong(10)));
        }
        assertTrue(Files.size(created) > 0, "the cycle's file created again");
        assertEquals(sequence(0, 11), readAll());
    }

    /** Killed at random points of a writer that spends most of its time creating roll files. */
    @Test
    void shouldNeverRefuseWhatAKillAtARandomPointOfRollingLeaves() throws Exception
    {
        final long seed = Long.getLong("killed.creation.seed", System.nanoTime());
        final Random random = new Random(seed);
        final List<Long> expected = new ArrayList<>();
        final List<String> left = new ArrayList<>();
        for (int incarnation = 0; incarnation < KILLS; incarnation++)
        {
            try (Child victim = Child.start("rolling", dir.toString(), Integer.toString(incarnation)))
            {
                victim.awaitLine("ready");
                Thread.sleep(50 + random.nextInt(400));
                victim.kill();
            }
            final List<Path> rollFiles = JournalFiles.rollFiles(dir);
            left.add(state(rollFiles.get(rollFiles.size() - 1)));
            final List<Path> setAside = setAside();
            JournalFileCheck.requireReadable(dir, false, DOCUMENTS);

            final List<Long> read = readAll();
            final long first = incarnation * WriterVictim.PER_INCARNATION;
            final List<Long> before = read.subList(0, expected.size());
            assertEquals(expected, before, "what earlier incarnations wrote; seed " + seed);
            final List<Long> written = read.subList(expected.size(), read.size());
            assertTrue(written.size() >= 1, "its first document, written before it said ready; seed " + seed);
            assertEquals(sequence(first, written.size()), written, "no document lost; seed " + seed);
            expected.addAll(written);
            left.set(incarnation, left.get(incarnation) + (setAside.isEmpty() ? "" : ", set aside"));
        }
        System.out.println("killed creation: seed " + seed + ", the newest roll file after each kill: " + left);
    }

    /** @return the files set aside, as they were named. */
    private List<Path> setAside()
    {
        try (JournalLock lock = JournalLock.acquire(dir))
        {
            return JournalFileCheck.setAsideUnfinished(lock).stream().map(JournalFileCheck.SetAside::file).toList();
        }
    }

    /** @return every document of the queue, read with Chronicle, which must not wait for a header. */
    private List<Long> readAll()
    {
        return assertTimeoutPreemptively(PROMPTLY, () ->
        {
            final List<Long> values = new ArrayList<>();
            try (ChronicleQueue queue = JournalQueues.openForRead(dir); ExcerptTailer tailer = queue.createTailer())
            {
                while (tailer.readBytes(bytes -> values.add(bytes.readLong())))
                {
                    // every document
                }
            }
            return values;
        });
    }

    private static List<Long> sequence(final long first, final long count)
    {
        final List<Long> values = new ArrayList<>();
        for (long i = 0; i < count; i++)
        {
            values.add(first + i);
        }
        return values;
    }

    private static String state(final Path file) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file))
        {
            final ByteBuffer word = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(word, 0);
            return String.format("%s %d bytes header word 0x%08x", file.getFileName(), channel.size(), word.getInt(0));
        }
    }

    /** A {@link WriterVictim} in a child JVM started as this one was. */
    private static final class Child implements AutoCloseable
    {
        private final Process process;
        private final BufferedReader output;
        private final StringBuilder seen = new StringBuilder();

        private Child(final Process process)
        {
            this.process = process;
            this.output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        static Child start(final String... args) throws IOException
        {
            final List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(arg -> !arg.startsWith("-agentlib") && !arg.startsWith("-javaagent")).toList());
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), WriterVictim.class.getName()));
            command.addAll(List.of(args));
            return new Child(new ProcessBuilder(command).redirectErrorStream(true).start());
        }

        void awaitLine(final String wanted) throws IOException
        {
            for (String line = output.readLine(); null != line; line = output.readLine())
            {
                seen.append(line).append('\n');
                if (line.equals(wanted))
                {
                    return;
                }
            }
            fail("the victim ended without printing '" + wanted + "':\n" + seen);
        }

        /** SIGKILL. */
        void kill() throws InterruptedException
        {
            process.destroyForcibly();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the killed victim exits");
        }

        @Override
        public void close() throws InterruptedException
        {
            if (process.isAlive())
            {
                kill();
            }
        }
    }
}
