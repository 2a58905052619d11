package io.chronofabric.engine.internal.sequencing;

import java.util.ArrayDeque;
import java.util.Deque;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code temporal_coherence} is the fraction of the last {@value TemporalCounters#COHERENCE_WINDOW} (message,
 * subscriber) deliveries that were on time and in causal order: all of them while there are fewer. It read 1.0 until
 * the first 10,000 deliveries were complete, whatever the misses (630 of 2,000 late, and still 1.0).
 */
class TemporalCoherenceTest
{
    @Test
    void shouldCountTheMissesOfTheFirstDeliveriesBeforeAWholeWindow()
    {
        final TemporalCounters counters = new TemporalCounters();
        assertEquals(1.0, counters.coherence(), "before the first delivery");
        for (int i = 0; i < 2_000; i++)
        {
            counters.delivery(i < 630 ? 1_000 : 0, true);
        }
        assertEquals(1_370 / 2_000.0, counters.coherence(), 1e-12);
    }

    /** Against a model: a queue of the last window's outcomes. */
    @Property(tries = 30)
    void shouldBeTheCoherentFractionOfTheLastWindow(@ForAll @IntRange(min = 0, max = 35_000) final int deliveries,
        @ForAll @IntRange(min = 1, max = 50) final int everyNthLate,
        @ForAll @IntRange(min = 1, max = 70) final int everyNthAcausal)
    {
        final TemporalCounters counters = new TemporalCounters();
        final Deque<Boolean> model = new ArrayDeque<>();
        for (int i = 0; i < deliveries; i++)
        {
            final boolean late = 0 == i % everyNthLate;
            final boolean causal = 0 != i % everyNthAcausal;
            counters.delivery(late ? 5 : 0, causal);
            model.addLast(!late && causal);
            if (model.size() > TemporalCounters.COHERENCE_WINDOW)
            {
                model.removeFirst();
            }
        }
        final double expected = model.isEmpty() ? 1.0 :
            model.stream().filter(Boolean::booleanValue).count() / (double)model.size();
        assertEquals(expected, counters.coherence(), 1e-12, () -> deliveries + " deliveries");
    }
}
