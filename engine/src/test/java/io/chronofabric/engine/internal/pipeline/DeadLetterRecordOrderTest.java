package io.chronofabric.engine.internal.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.chronofabric.engine.api.DeadlinePolicy;
import io.chronofabric.engine.api.RetryPolicy;
import io.chronofabric.engine.internal.pipeline.StagesOnTestThread.Released;
import io.chronofabric.journal.DeadLetterReason;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A restart counts the dead letters written after the settlement log's last document as settlements, newest first,
 * down to the first one the log records (a crash between a dead letter and the document recording it must neither
 * dead-letter the message again nor invoke the subscriber once more). That holds only if the log records dead letters
 * in the order they were journaled: at every document, those it and the documents before it record are the oldest
 * ones. Checked here on the delivery stage, on the test thread, with random subscribers (retry policies of one to
 * three attempts, short overall timeouts, small retry queues, handlers failing at random rates), random dependencies
 * on the messages just before (parked behind retries, dead-lettered with a dead dependency, beyond the dependent
 * queue), deadlines under either policy, messages the sequencer dead-lettered, random batches and idle ticks; then the
 * close runs the retries to their end, after which every dead letter is recorded. And every dead letter is synced
 * before a document is written (under the sync policy, no document outlives a power loss its dead letters do not). jqwik prints the seed of a failing
 * try.
 */
class DeadLetterRecordOrderTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int TYPES = 3;
    private static final int MESSAGES = 60;

    @Property(tries = 200, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void theSettlementLogRecordsDeadLettersInTheOrderTheyWereJournaled(@ForAll final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final StagesOnTestThread s = StagesOnTestThread.builder()
            .deadlinePolicy(random.nextBoolean() ? DeadlinePolicy.EXPIRE : DeadlinePolicy.DELIVER_LATE)
            .dependentQueueLimit(2 + random.nextInt(8))
            .jitterSeed(seed)
            .build();
        final List<String> violations = new ArrayList<>();
        s.settlements.afterEachWrite(() ->
        {
            s.settlements.recordedOutOfOrder(s.deadLetterLog).ifPresent(violations::add);
            if (s.deadLetterLog.synced() != s.deadLetterLog.letters().size())
            {
                violations.add("document " + s.settlements.documents().size() + " written with dead letters " +
                    s.deadLetterLog.briefs().subList(s.deadLetterLog.synced(), s.deadLetterLog.letters().size()) +
                    " not synced");
            }
        });
        for (int type = 1; type <= TYPES; type++)
        {
            for (int n = 1 + random.nextInt(3); n > 0; n--)
            {
                final double failureRate = new double[] {0, 0.3, 0.7, 1}[random.nextInt(4)];
                s.subscribe(type, message ->
                {
                    if (random.nextDouble() < failureRate)
                    {
                        throw new IllegalStateException("venue down");
                    }
                }, random.nextInt(4) == 0 ? null : new RetryPolicy(1 + random.nextInt(3), MS, MS,
                    (2 + random.nextInt(8)) * MS, 1 + random.nextInt(4)));
            }
        }
        final List<Released> batch = new ArrayList<>();
        for (int i = 1; i <= MESSAGES; i++)
        {
            final Released message = s.message(1 + random.nextInt(TYPES));
            final int dependencies = i > 1 ? random.nextInt(3) : 0;
            final long[] ids = new long[dependencies];
            for (int d = 0; d < dependencies; d++)
            {
                ids[d] = Math.max(1, message.id() - 1 - random.nextInt(6));
            }
            message.dependsOn(ids);
            if (random.nextInt(4) == 0)
            {
                message.deadlineIn(random.nextInt(3) * MS);
            }
            if (random.nextInt(20) == 0)
            {
                message.deadLettered(DeadLetterReason.DEPENDENCY_TIMEOUT);
            }
            batch.add(message);
            if (random.nextInt(3) == 0 || MESSAGES == i)
            {
                s.deliver(batch.toArray(new Released[0]));
                batch.clear();
                s.clock.advance(random.nextInt(3) * MS);
                if (random.nextBoolean())
                {
                    s.deliveryIdle();
                }
            }
        }
        s.clock.advance(20 * MS);
        s.deliveryIdle();
        s.closeDelivery();
        assertEquals(List.of(), violations, "seed " + seed + ", dead letters " + s.deadLetterLog.briefs());
        assertEquals(0, s.settlements.unrecorded(s.deadLetterLog), "seed " + seed + ": dead letters " +
            s.deadLetterLog.briefs() + " not all recorded after the close");
    }
}
