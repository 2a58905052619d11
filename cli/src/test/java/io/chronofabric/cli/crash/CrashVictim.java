package io.chronofabric.cli.crash;

import io.chronofabric.engine.ChronoFabric;
import java.nio.file.Path;
import java.util.SplittableRandom;

import io.chronofabric.cli.workload.TradingWorkload;
import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.config.Profiles;
import io.chronofabric.journal.JournalFiles;
import io.chronofabric.journal.JournalReader;
import io.chronofabric.journal.MessageRecord;

/**
 * One incarnation of the process {@link CrashAtScaleTest} kills: starts the engine on the shared journal with the
 * five {@link CrashSubscribers} subscribed before recovery (so that whatever a previous incarnation left undelivered
 * reaches them), prints {@code started}, publishes the trading workload (paced at 50,000 messages/s or unpaced,
 * chosen by the seed), closes the engine cleanly and prints {@code closed}, unless it is killed first. Every
 * delivery its handlers complete is in its {@link DeliveryLog}, whenever it dies.
 */
public final class CrashVictim
{
    private static final double PACED_RATE = 50_000;
    private static final long LOG_SLACK = 4_096;

    private CrashVictim()
    {
    }

    /**
     * @param args journal folder, delivery log file, incarnation number, seed, messages to publish.
     */
    public static void main(final String[] args)
    {
        final Path journal = Path.of(args[0]);
        final Path logFile = Path.of(args[1]);
        final int incarnation = Integer.parseInt(args[2]);
        final long seed = Long.parseLong(args[3]);
        final long messages = Long.parseLong(args[4]);
        final double rate = rate(seed);

        final EngineConfiguration context = Profiles.builder("dev").journalDir(journal).build();
        final DeliveryLog log = DeliveryLog.create(logFile, incarnation,
            2 * (lastJournaledId(context) + messages) + LOG_SLACK);
        final CrashSubscribers subscribers = new CrashSubscribers(log);
        try (ChronoFabric engine = ChronoFabric.start(context, subscribers::subscribeAll))
        {
            System.out.println("started incarnation=" + incarnation + " recovered=" + engine.recoveredMessages() +
                " rate=" + (0 == rate ? "max" : (long)rate + "/s") + " messages=" + messages);
            System.out.flush();
            new TradingWorkload(engine::newPublisher, seed).publish(messages, rate, published -> true);
        }
        System.out.println("closed incarnation=" + incarnation + " checksum=" + subscribers.checksum());
        System.out.flush();
    }

    /**
     * @param seed an incarnation's seed.
     * @return the rate it publishes at: 50,000 messages/s or, for about half the seeds, 0 (as fast as it can).
     */
    static double rate(final long seed)
    {
        return new SplittableRandom(seed).nextBoolean() ? PACED_RATE : 0;
    }

    /**
     * @param context the settings naming the journal.
     * @return the id of the last message the journal holds, 0 when it holds none: a bound on what the engine can
     *     recover, to size the delivery log.
     */
    static long lastJournaledId(final EngineConfiguration context)
    {
        if (JournalFiles.rollFiles(context.journalDir()).isEmpty())
        {
            return 0;
        }
        final MessageRecord last = new MessageRecord(context.maxDependencies(), context.payloadCapacity());
        return JournalReader.readLast(context.journalDir(), last) ? last.id() : 0;
    }
}
