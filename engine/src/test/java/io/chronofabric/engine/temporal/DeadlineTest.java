package io.chronofabric.engine.temporal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.api.DeadlinePolicy;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.api.RetryPolicy;
import io.chronofabric.engine.api.Subscription;
import io.chronofabric.engine.api.TemporalStats;
import io.chronofabric.engine.config.ThreadLayout;
import io.chronofabric.engine.api.ManualWallClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.engine.temporal.TemporalTestSupport.Gate;
import static io.chronofabric.engine.temporal.TemporalTestSupport.awaitTrue;
import static io.chronofabric.engine.temporal.TemporalTestSupport.context;
import static io.chronofabric.engine.temporal.TemporalTestSupport.publish;
import static io.chronofabric.engine.temporal.TemporalTestSupport.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Deadlines against wall clock steps, end to end: a publisher fixes each deadline as a monotonic target at publish
 * (and the journal stage stamps it in epoch time), so a wall clock step, forwards or back, neither expires nor excuses
 * one. Messages are made late by holding the pipeline thread in a {@link Gate} (a subscriber of a barrier type) past
 * their deadline. The deadline policies themselves (one miss per message and subscriber, retries included; expired
 * per subscriber; dependents of an expired message) are driven on the test thread in
 * {@code io.chronofabric.engine.internal.pipeline.SubscriberAttemptsTest} and {@code DeliveryStageTest}, and release
 * order in {@code io.chronofabric.engine.internal.sequencing.TemporalSequencerReleaseOrderTest}.
 */
class DeadlineTest
{
    private static final int BARRIER = 1;
    private static final int TYPE = 2;
    private static final long LATE_BUDGET = 1_000_000L;
    private static final long ROOMY_BUDGET = TimeUnit.SECONDS.toNanos(60);

    @TempDir
    Path dir;

    /** Deadlines are kept on the monotonic clock: wall clock steps, forwards or back, neither expire nor excuse. */
    @Test
    void shouldNotBeFooledByAWallClockStep()
    {
        final ManualWallClock clock = new ManualWallClock(System.currentTimeMillis() * 1_000_000L);
        final EngineConfiguration context = context(dir).wallClock(clock).deadlinePolicy(DeadlinePolicy.EXPIRE).build();
        final Gate gate = new Gate();
        final List<Long> delivered = Collections.synchronizedList(new ArrayList<>());
        final List<Long> expired = Collections.synchronizedList(new ArrayList<>());
        final long roomy;
        final long tight;
        try (ChronoFabric engine = ChronoFabric.start(context))
        {
            engine.subscribe(BARRIER, gate);
            engine.subscribe(TYPE, message -> delivered.add(message.id()));
            engine.subscribeDeadLetters(letter -> expired.add(letter.message().id()));
            final Publisher publisher = engine.newPublisher(1);
            try
            {
                publish(publisher, BARRIER, 0);
                gate.awaitClosedOnPipeline();
                roomy = publish(publisher.deadlineIn(ROOMY_BUDGET), TYPE, 1);
                clock.advance(TimeUnit.HOURS.toNanos(1));
                tight = publish(publisher.deadlineIn(LATE_BUDGET), TYPE, 2);
                clock.advance(-TimeUnit.HOURS.toNanos(2));
                sleep(5 * LATE_BUDGET / 1_000_000L);
            }
            finally
            {
                gate.open();
            }
            awaitTrue(() -> delivered.contains(roomy) && expired.contains(tight), () -> delivered + " / " + expired);
            assertEquals(0, engine.stats().temporal().deadlineMisses());
        }
        assertEquals(List.of(roomy), new ArrayList<>(delivered), "a 60 s deadline survives a 1 hour forward step");
        assertEquals(List.of(tight), new ArrayList<>(expired), "a 1 ms deadline is missed despite a 2 hour step back");
    }
}
