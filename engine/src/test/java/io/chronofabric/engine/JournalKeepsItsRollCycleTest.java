package io.chronofabric.engine;

import java.nio.file.Path;

import io.chronofabric.engine.api.ConfigurationException;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.engine.EngineTestSupport.SEQUENCE_WRITER;
import static io.chronofabric.engine.EngineTestSupport.TYPE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Chronicle goes on with the roll cycle a journal was written with, whatever a later start asks for: a start that
 * configures another one is refused, naming the journal's, instead of running on with a setting that is not true.
 */
class JournalKeepsItsRollCycleTest
{
    @TempDir
    Path dir;

    @Test
    void shouldRefuseAStartOnAJournalWrittenWithAnotherRollCycleAndNameIt()
    {
        publishOne(EngineTestSupport.context(dir).rollCycle("TEST_SECONDLY").build());

        final ConfigurationException refused = assertThrows(ConfigurationException.class,
            () -> ChronoFabric.start(EngineTestSupport.context(dir).rollCycle("FAST_DAILY").build()));
        assertEquals(Settings.JOURNAL_ROLL_CYCLE.name(), refused.key());
        assertTrue(refused.getMessage().contains("journal.roll-cycle=FAST_DAILY is invalid; allowed: TEST_SECONDLY, " +
            "the roll cycle the journal in " + dir), refused.getMessage());

        // the refused start left the journal as it was: the same cycle, named in any case, continues it
        try (ChronoFabric engine = ChronoFabric.start(EngineTestSupport.context(dir).rollCycle("test_secondly")
            .build()))
        {
            assertEquals(1, engine.acknowledgedId());
            assertEquals(2, engine.newPublisher(1).publish(TYPE, SEQUENCE_WRITER, new long[] {1, 2}));
        }
    }

    private static void publishOne(final io.chronofabric.engine.config.EngineConfiguration context)
    {
        try (ChronoFabric engine = ChronoFabric.start(context))
        {
            final Publisher publisher = engine.newPublisher(1);
            assertEquals(1, publisher.publish(TYPE, SEQUENCE_WRITER, new long[] {1, 1}));
        }
    }
}
