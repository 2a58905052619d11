package io.chronofabric.engine.crash;

import java.io.FileOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.config.Profiles;
import io.chronofabric.engine.api.PayloadWriter;
import io.chronofabric.engine.api.Publisher;

/**
 * The process {@link CrashRecoveryTest} kills: starts an engine on a journal (recovering what a previous victim left),
 * then publishes forever, appending "id run seq" to an ack file once each message is acknowledged. The ack file is
 * the publisher's view of what was promised; the kill can land anywhere, including inside a journal append.
 */
public final class CrashingWriter
{
    static final int TYPE = 7;
    static final int PAYLOAD_LENGTH = 40;

    /** Writes the deterministic payload of (run, seq). */
    static final PayloadWriter<long[]> PAYLOAD = (runAndSeq, buffer) -> fill(buffer, runAndSeq[0], runAndSeq[1]);

    private CrashingWriter()
    {
    }

    static void fill(final ByteBuffer buffer, final long run, final long seq)
    {
        long x = run * 0x9E3779B97F4A7C15L ^ seq;
        buffer.putLong(run).putLong(seq);
        for (int i = 16; i < PAYLOAD_LENGTH; i += 8)
        {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            buffer.putLong(x);
        }
    }

    /**
     * @param args journal folder, ack file, run number.
     * @throws Exception on any failure (the parent sees a non-kill exit).
     */
    public static void main(final String[] args) throws Exception
    {
        final Path journal = Path.of(args[0]);
        final long run = Long.parseLong(args[2]);
        try (ChronoFabric engine = ChronoFabric.start(Profiles.builder("dev").journalDir(journal),
                 e -> e.subscribe(TYPE, message -> { }));
             FileOutputStream acks = new FileOutputStream(args[1], true))
        {
            final Publisher publisher = engine.newPublisher((int)run);
            final long[] runAndSeq = {run, 0};
            System.out.println("started recovered=" + engine.recoveredMessages());
            System.out.flush();
            for (long seq = 0; ; seq++)
            {
                runAndSeq[1] = seq;
                final long id = publisher.publish(TYPE, PAYLOAD, runAndSeq);
                if (0 == seq % 64)
                {
                    engine.awaitAcknowledged(id);
                    acks.write((id + " " + run + " " + seq + "\n").getBytes(StandardCharsets.US_ASCII));
                }
            }
        }
    }
}
