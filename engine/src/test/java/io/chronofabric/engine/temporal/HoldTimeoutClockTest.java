package io.chronofabric.engine.temporal;

import io.chronofabric.engine.internal.Engine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.api.ManualWallClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.engine.temporal.TemporalTestSupport.LONG_WRITER;
import static io.chronofabric.engine.temporal.TemporalTestSupport.awaitTrue;
import static io.chronofabric.engine.temporal.TemporalTestSupport.context;
import static io.chronofabric.engine.temporal.TemporalTestSupport.publish;
import static io.chronofabric.engine.temporal.TemporalTestSupport.publishGap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hold timeout against a remote clock ahead of this one, end to end (publisher, journal stage HLC, sequencer): a
 * message waits for a missing dependency about {@code hold.timeout-ms}, not much less because a remote timestamp pushed
 * the HLC ahead of the local clock. The sequencer measures hold ages in HLC time; how it does so against clocks that
 * step is driven on the test thread in {@code io.chronofabric.engine.internal.sequencing.TemporalSequencerTimeoutTest}.
 */
class HoldTimeoutClockTest
{
    private static final int TYPE = 6;

    @TempDir
    Path dir;

    /**
     * Hold timeouts run on HLC time (so that a replay takes the same decisions), and a remote timestamp can move HLC
     * time ahead by at most hlc.max-offset-ms: a hold times out at most that much early. With the offset (500 ms)
     * below the timeout (1 s), a message stamped 400 ms ahead must not time out a hold that is milliseconds old.
     */
    @Test
    void shouldNotTimeOutAHeldMessageEarlyWhenAMessageStampedAheadByAnotherNodeArrives()
    {
        final ManualWallClock clock = new ManualWallClock(System.currentTimeMillis() * 1_000_000L);
        final long holdTimeout = TimeUnit.SECONDS.toNanos(1);
        final EngineConfiguration context = context(dir).wallClock(clock).holdTimeoutNanos(holdTimeout)
            .hlcMaxOffsetNanos(TimeUnit.MILLISECONDS.toNanos(500)).build();
        final List<Long> delivered = Collections.synchronizedList(new ArrayList<>());
        final List<Long> dead = Collections.synchronizedList(new ArrayList<>());
        try (Engine engine = Engine.start(context))
        {
            engine.subscribe(TYPE, message -> delivered.add(message.id()));
            engine.subscribeDeadLetters(letter -> dead.add(letter.message().id()));
            final Publisher publisher = engine.newPublisher(1);
            final long first = publish(publisher, TYPE, 0);
            final long held = publish(publisher, TYPE, 1, publishGap(publisher, TYPE, first));
            awaitTrue(() -> 1 == engine.temporal().held(), () -> "held now " + engine.temporal().held());
            // within hlc.max-offset-ms, so accepted; it moves this node's HLC 400 ms ahead of its wall clock
            final long remote = publisher.remoteTimestamp(2, clock.epochNanos() + TimeUnit.MILLISECONDS.toNanos(400), 0)
                .publish(TYPE, LONG_WRITER, 2L);
            awaitTrue(() -> delivered.contains(remote), () -> "delivered " + delivered);
            assertTrue(dead.isEmpty(), "message " + held + " was dead-lettered as soon as a remote message 400 ms ahead " +
                "arrived, although it had been held for milliseconds (hold.timeout-ms=1000): dead letters " + dead);
            assertEquals(1, engine.temporal().held());
        }
    }
}
