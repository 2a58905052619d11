package io.chronofabric.engine.config;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.chronofabric.engine.api.Stage;

class ThreadLayoutTest
{
    @Test
    void shouldParseFusedLayoutIntoOneGroupOfAllStages()
    {
        final ThreadLayout layout = ThreadLayout.parse("journal+sequencer+router+delivery");
        assertEquals(List.of(List.of(Stage.JOURNAL, Stage.SEQUENCER, Stage.ROUTER, Stage.DELIVERY)), layout.groups());
        assertEquals(1, layout.threadCount());
        assertEquals(ThreadLayout.FUSED, layout);
        assertEquals("journal+sequencer+router+delivery", layout.toString());
    }

    @Test
    void shouldParsePerStageLayoutIntoOneGroupPerStage()
    {
        final ThreadLayout layout = ThreadLayout.parse("journal|sequencer|router|delivery");
        assertEquals(List.of(List.of(Stage.JOURNAL), List.of(Stage.SEQUENCER), List.of(Stage.ROUTER),
            List.of(Stage.DELIVERY)), layout.groups());
        assertEquals(4, layout.threadCount());
        assertEquals(ThreadLayout.PER_STAGE, layout);
    }

    @Test
    void shouldParseMixedLayoutIgnoringCaseAndSpacesAndRoundTripThroughToString()
    {
        final ThreadLayout layout = ThreadLayout.parse(" Journal | SEQUENCER+router + delivery ");
        assertEquals(List.of(List.of(Stage.JOURNAL), List.of(Stage.SEQUENCER, Stage.ROUTER, Stage.DELIVERY)),
            layout.groups());
        assertEquals("journal|sequencer+router+delivery", layout.toString());
        assertEquals(layout, ThreadLayout.parse(layout.toString()));
        assertEquals(layout.hashCode(), ThreadLayout.parse(layout.toString()).hashCode());
    }

    @Test
    void shouldNameThreadsAfterTheirStages()
    {
        assertEquals("cf-journal", ThreadLayout.threadName(List.of(Stage.JOURNAL)));
        assertEquals("cf-sequencer+router+delivery",
            ThreadLayout.threadName(List.of(Stage.SEQUENCER, Stage.ROUTER, Stage.DELIVERY)));
    }

    @Test
    void shouldRejectStagesOutOfOrderNamingTheMisplacedStage()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> ThreadLayout.parse("journal|router+sequencer|delivery"));
        assertTrue(ex.getMessage().contains("'router' out of place"), ex.getMessage());
        assertTrue(ex.getMessage().contains("journal|router+sequencer|delivery"), ex.getMessage());
        assertTrue(ex.getMessage().contains("in that order"), ex.getMessage());
    }

    @Test
    void shouldRejectAStageListedTwice()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> ThreadLayout.parse("journal+journal+sequencer+router+delivery"));
        assertTrue(ex.getMessage().contains("'journal' out of place"), ex.getMessage());
    }

    @Test
    void shouldRejectMissingStages()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> ThreadLayout.parse("journal|sequencer+router"));
        assertTrue(ex.getMessage().contains("misses stages"), ex.getMessage());
        assertTrue(ex.getMessage().contains("journal|sequencer+router"), ex.getMessage());

        final IllegalArgumentException skipped = assertThrows(IllegalArgumentException.class,
            () -> ThreadLayout.parse("journal|router|delivery"));
        assertTrue(skipped.getMessage().contains("'router' out of place"), skipped.getMessage());
    }

    @Test
    void shouldRejectUnknownStageNamingItAndTheAllowedStages()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> ThreadLayout.parse("journal|sequencer+matcher+router+delivery"));
        assertTrue(ex.getMessage().contains("unknown stage 'matcher'"), ex.getMessage());
        assertTrue(ex.getMessage().contains("journal, sequencer, router, delivery"), ex.getMessage());
    }

    @Test
    void shouldRejectEmptyGroups()
    {
        for (final String spec : new String[] {"", "journal||sequencer+router+delivery",
            "journal+sequencer+router+delivery|", "journal++sequencer+router+delivery"})
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> ThreadLayout.parse(spec), spec);
            assertTrue(ex.getMessage().contains("unknown stage ''"), spec + " -> " + ex.getMessage());
        }
    }
}
