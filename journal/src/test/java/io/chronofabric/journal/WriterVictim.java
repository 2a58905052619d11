package io.chronofabric.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import net.openhft.chronicle.threads.Pauser;
import net.openhft.chronicle.threads.TimingPauser;

/**
 * A Chronicle Queue writer in its own process, for {@link KilledCreationTest} to SIGKILL while it creates roll files.
 * It writes 8-byte documents ({@code incarnation * 1,000,000 + n}, n from 0) to a TEST_SECONDLY queue whose clock
 * moves on a second per document, so that every document rolls the queue into a new cycle, a new file: most of its
 * time goes to creating roll files.
 *
 * <p>Modes: {@code rolling DIR INCARNATION} writes until killed, printing {@code ready} after its first document;
 * {@code created DIR} writes ten documents, then starts the eleventh and stops inside the creation of its roll file,
 * right after Chronicle created the file and before it sized it (Chronicle asks the queue's pauser supplier for the
 * file's pauser there, in {@code SingleChronicleQueue.StoreSupplier.acquire}), printing {@code kill-me}.
 */
public final class WriterVictim
{
    /** Time of the first document: far enough apart per incarnation for each to have cycles of its own. */
    static final long EPOCH_MILLIS = 1_700_000_000_000L;
    static final long INCARNATION_MILLIS = 10_000_000L;
    static final long PER_INCARNATION = 1_000_000L;

    private WriterVictim()
    {
    }

    /**
     * @param args mode, queue folder, and for {@code rolling} the incarnation.
     * @throws Exception on any failure (the parent sees a non-kill exit).
     */
    public static void main(final String[] args) throws Exception
    {
        final Path dir = Path.of(args[1]);
        final boolean rolling = "rolling".equals(args[0]);
        final long incarnation = rolling ? Long.parseLong(args[2]) : 0;
        final AtomicLong time = new AtomicLong(EPOCH_MILLIS + incarnation * INCARNATION_MILLIS);
        final AtomicBoolean armed = new AtomicBoolean();
        try (ChronicleQueue queue = SingleChronicleQueueBuilder.single(dir.toFile())
                 .rollCycle(TestRollCycles.TEST_SECONDLY)
                 .timeProvider(time::get)
                 .pauserSupplier(() -> pauser(armed.get(), dir))
                 .build();
             ExcerptAppender appender = queue.createAppender())
        {
            for (long n = 0; rolling || n <= 10; n++)
            {
                time.addAndGet(1_000);
                armed.set(!rolling && 10 == n);
                final long value = incarnation * PER_INCARNATION + n;
                appender.writeBytes(bytes -> bytes.writeLong(value));
                if (0 == n)
                {
                    System.out.println("ready");
                    System.out.flush();
                }
            }
        }
        throw new IllegalStateException("the creation was not stopped in");
    }

    private static TimingPauser pauser(final boolean armed, final Path dir)
    {
        if (armed && calledFrom("StoreSupplier", "acquire") && anEmptyRollFile(dir))
        {
            System.out.println("kill-me");
            System.out.flush();
            while (true)
            {
                try
                {
                    Thread.sleep(60_000);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }
        }
        return Pauser.timedBusy();
    }

    private static boolean calledFrom(final String className, final String method)
    {
        return Stream.of(new Throwable().getStackTrace())
            .anyMatch(frame -> frame.getClassName().endsWith(className) && frame.getMethodName().equals(method));
    }

    private static boolean anEmptyRollFile(final Path dir)
    {
        return JournalFiles.rollFiles(dir).stream().anyMatch(file ->
        {
            try
            {
                return 0 == Files.size(file);
            }
            catch (final IOException ex)
            {
                return false;
            }
        });
    }
}
