package io.chronofabric.engine.internal.sequencing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.chronofabric.engine.api.HoldOverflowPolicy;
import io.chronofabric.journal.DeadLetterReason;
import io.chronofabric.journal.MessageRecord;
import io.chronofabric.journal.RecordFlags;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties of the sequencer on random dependency DAGs, driven on the test thread: random priorities and deadlines,
 * dependencies on up to three of the dozen ids before (chains, diamonds, duplicates), ids no message carries (gaps:
 * whatever depends on them, transitively, can never be released), journal batches of random length (some ending on a
 * refused publish), idle ticks after random clock moves around the hold timeout, clock moves within a batch (a window
 * spanning more than the hold timeout), a small hold buffer under either overflow policy, release windows from 1
 * message up; live (in id order) or replayed (records fed out of id order, so
 * dependents can arrive before their dependencies). After the run the sequencer is shut down, which dead-letters what
 * is still held. Then:
 * <ul>
 *     <li>every message fed is handed on exactly once, released or dead-lettered;</li>
 *     <li>nothing is released before each of its dependencies was released;</li>
 *     <li>each dead letter has its cause: {@code dependency_dead_lettered} only after a dependency was dead-lettered,
 *     the other reasons only while some dependency was not released;</li>
 *     <li>a message whose dependencies were all released before it arrived is released;</li>
 *     <li>the hold buffer never holds more than its capacity.</li>
 * </ul>
 * The sequencer is deterministic on the test thread, so jqwik shrinks a failing scenario to a small one; it prints the
 * seed to rerun it with. (Named {@code *Test} so that surefire's default includes run it in {@code mvn verify}.)
 */
class TemporalSequencerPropertiesTest
{
    private static final int TYPE = 3;
    private static final long TIMEOUT = 1_000_000_000L;
    private static final long WALL = SequencerOnTestThread.WALL_START;

    /**
     * How the sequencer is set up.
     *
     * @param replay       fed from a journal out of id order rather than live.
     * @param holdCapacity {@code hold.capacity}.
     * @param overflow     {@code hold.overflow}.
     * @param window       {@code sequencer.window}.
     */
    record Setup(boolean replay, int holdCapacity, HoldOverflowPolicy overflow, int window)
    {
    }

    /**
     * One id of the scenario, the i-th from 1.
     *
     * @param priority       its priority.
     * @param deadlineMillis its deadline after publish, 0 for none.
     * @param back           its dependencies, as distances back from its id (those below 1 are dropped).
     * @param gap            no message carries this id.
     * @param batchEnd       the journal batch ends with it.
     * @param idle           then an idle tick after the clocks move by this many thirds of the hold timeout (0: none).
     * @param delay          replayed this many places later than its id says.
     * @param stall          before it is journaled, the clocks move by this many thirds of the hold timeout, with no
     *                       idle tick (a journal stall while publishers went on: one window spans that much).
     */
    record Step(int priority, int deadlineMillis, List<Integer> back, boolean gap, boolean batchEnd, int idle,
        int delay, int stall)
    {
    }

    /** What a run did. */
    private record Run(Setup setup, Map<Long, long[]> dependencies, List<Long> fed, Set<Long> readyOnArrival,
        List<RecordingReleaseSink.Out> outs, int maxHeld)
    {
        String report(final String property, final List<String> violations)
        {
            return property + " violated: " + violations.subList(0, Math.min(10, violations.size())) + "\n  " + setup +
                "\n  fed " + fed + "\n  dependencies " + declared() + "\n  handed on " + outs;
        }

        private Map<Long, List<Long>> declared()
        {
            final Map<Long, List<Long>> byId = new LinkedHashMap<>();
            for (final long id : fed)
            {
                final List<Long> list = new ArrayList<>();
                for (final long dependency : dependencies.get(id))
                {
                    list.add(dependency);
                }
                if (!list.isEmpty())
                {
                    byId.put(id, list);
                }
            }
            return byId;
        }
    }

    @Provide
    Arbitrary<Setup> setups()
    {
        return Combinators.combine(Arbitraries.of(false, true), Arbitraries.integers().between(1, 12),
            Arbitraries.of(HoldOverflowPolicy.class), Arbitraries.of(1, 2, 3, 5, 8, 1024)).as(Setup::new);
    }

    @Provide
    Arbitrary<List<Step>> scenarios()
    {
        final Arbitrary<Step> step = Combinators.combine(
            Arbitraries.integers().between(0, 3).map(level -> level * 85),
            Arbitraries.frequency(List.of(Tuple.of(2, 0), Tuple.of(1, 1),
                Tuple.of(1, 3))).map(value -> (int)value),
            Arbitraries.integers().between(1, 12).list().ofMaxSize(3),
            Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.just(false)),
                Tuple.of(1, Arbitraries.just(true))),
            Arbitraries.of(false, true),
            Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just(0)),
                Tuple.of(2, Arbitraries.integers().between(1, 6))),
            Arbitraries.integers().between(0, 6),
            Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.just(0)),
                Tuple.of(1, Arbitraries.integers().between(1, 6)))).as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(120);
    }

    @Property
    void everyMessageIsReleasedOrDeadLetteredExactlyOnce(@ForAll("setups") final Setup setup,
        @ForAll("scenarios") final List<Step> steps)
    {
        check(setup, steps, "every message handed on exactly once", run ->
        {
            final List<String> violations = new ArrayList<>();
            final Map<Long, Integer> times = new HashMap<>();
            for (final RecordingReleaseSink.Out out : run.outs())
            {
                times.merge(out.id(), 1, Integer::sum);
            }
            for (final long id : run.fed())
            {
                if (1 != times.getOrDefault(id, 0))
                {
                    violations.add(id + " handed on " + times.getOrDefault(id, 0) + " times");
                }
            }
            if (!new HashSet<>(run.fed()).containsAll(times.keySet()))
            {
                violations.add("handed on what was never fed: " + times.keySet());
            }
            return violations;
        });
    }

    @Property
    void noMessageIsReleasedBeforeEachOfItsDependencies(@ForAll("setups") final Setup setup,
        @ForAll("scenarios") final List<Step> steps)
    {
        check(setup, steps, "never released before a dependency", run ->
        {
            final List<String> violations = new ArrayList<>();
            final Set<Long> released = new HashSet<>();
            for (final RecordingReleaseSink.Out out : run.outs())
            {
                if (null == out.reason())
                {
                    for (final long dependency : run.dependencies().get(out.id()))
                    {
                        if (!released.contains(dependency))
                        {
                            violations.add(out.id() + " released before its dependency " + dependency);
                        }
                    }
                    released.add(out.id());
                }
            }
            return violations;
        });
    }

    @Property
    void everyDeadLetterHasItsCause(@ForAll("setups") final Setup setup, @ForAll("scenarios") final List<Step> steps)
    {
        check(setup, steps, "each dead letter has its cause", run ->
        {
            final List<String> violations = new ArrayList<>();
            final Set<Long> released = new HashSet<>();
            final Set<Long> dead = new HashSet<>();
            for (final RecordingReleaseSink.Out out : run.outs())
            {
                final long[] dependencies = run.dependencies().get(out.id());
                if (null == out.reason())
                {
                    released.add(out.id());
                    continue;
                }
                final boolean deadDependency = Arrays.stream(dependencies).anyMatch(dead::contains);
                final boolean unreleasedDependency = Arrays.stream(dependencies)
                    .anyMatch(dependency -> !released.contains(dependency));
                switch (out.reason())
                {
                    case DEPENDENCY_DEAD_LETTERED:
                        if (!deadDependency)
                        {
                            violations.add(out.id() + " dead-lettered for a dead dependency, none is dead");
                        }
                        break;
                    case DEPENDENCY_TIMEOUT:
                    case HOLD_OVERFLOW:
                    case ENGINE_CLOSED:
                        if (!unreleasedDependency)
                        {
                            violations.add(out.id() + " dead-lettered " + out.reason() + " with every dependency " +
                                "released");
                        }
                        break;
                    default:
                        violations.add(out.id() + " dead-lettered " + out.reason() + " by the sequencer");
                }
                dead.add(out.id());
            }
            return violations;
        });
    }

    @Property
    void aMessageWhoseDependenciesWereReleasedBeforeItArrivedIsReleased(@ForAll("setups") final Setup setup,
        @ForAll("scenarios") final List<Step> steps)
    {
        check(setup, steps, "ready on arrival, released", run ->
        {
            final List<String> violations = new ArrayList<>();
            for (final RecordingReleaseSink.Out out : run.outs())
            {
                if (null != out.reason() && run.readyOnArrival().contains(out.id()))
                {
                    violations.add(out.id() + " had its dependencies released before it arrived, yet was " +
                        "dead-lettered " + out.reason());
                }
            }
            return violations;
        });
    }

    /**
     * Live, every dependency arrives before its dependent, so only a gap can keep one from being released: a message
     * depending on no gap, transitively, is released whatever the clocks do (a window spanning more than the hold
     * timeout included) and however small the hold buffer.
     */
    @Property
    void liveAMessageDependingOnNoGapTransitivelyIsReleased(@ForAll("setups") final Setup setup,
        @ForAll("scenarios") final List<Step> steps)
    {
        check(setup, steps, "live, released unless it depends on a gap", run ->
        {
            if (run.setup().replay())
            {
                return List.of();
            }
            final Set<Long> fed = new HashSet<>(run.fed());
            final Set<Long> doomed = new HashSet<>();
            for (long id = 1; id <= steps.size(); id++)
            {
                final long self = id;
                if (!fed.contains(id) || Arrays.stream(run.dependencies().get(id))
                    .anyMatch(dependency -> !fed.contains(dependency) || doomed.contains(dependency)))
                {
                    doomed.add(self);
                }
            }
            final List<String> violations = new ArrayList<>();
            for (final RecordingReleaseSink.Out out : run.outs())
            {
                if (null != out.reason() && !doomed.contains(out.id()))
                {
                    violations.add(out.id() + " depends on no gap, yet was dead-lettered " + out.reason());
                }
            }
            return violations;
        });
    }

    @Property
    void theHoldBufferNeverHoldsMoreThanItsCapacity(@ForAll("setups") final Setup setup,
        @ForAll("scenarios") final List<Step> steps)
    {
        check(setup, steps, "held at most hold.capacity", run -> run.maxHeld() <= setup.holdCapacity() ? List.of() :
            List.of("held " + run.maxHeld() + " at once"));
    }

    private static void check(final Setup setup, final List<Step> steps, final String property,
        final Function<Run, List<String>> violationsOf)
    {
        final Run run = run(setup, steps);
        Statistics.label("mode").collect(setup.replay() ? "replay" : "live");
        Statistics.label("dead-lettered").collect(bucket(run.outs().stream().filter(out -> null != out.reason())
            .count()));
        final List<String> violations = violationsOf.apply(run);
        assertTrue(violations.isEmpty(), () -> run.report(property, violations));
    }

    private static String bucket(final long count)
    {
        return 0 == count ? "0" : count < 10 ? "1-9" : "10+";
    }

    private static Run run(final Setup setup, final List<Step> steps)
    {
        final SequencerOnTestThread s = SequencerOnTestThread.builder().holdCapacity(setup.holdCapacity())
            .holdOverflow(setup.overflow()).window(setup.window()).holdTimeoutNanos(TIMEOUT).build();
        final Map<Long, long[]> dependencies = new HashMap<>();
        for (int i = 0; i < steps.size(); i++)
        {
            final long id = i + 1;
            dependencies.put(id, steps.get(i).back().stream().mapToLong(back -> id - back).filter(dependency ->
                dependency >= 1).toArray());
        }
        final List<Long> fed = new ArrayList<>();
        final Set<Long> readyOnArrival = new HashSet<>();
        final int[] maxHeld = new int[1];
        final Runnable sample = () -> maxHeld[0] = Math.max(maxHeld[0], s.temporal.held());
        final List<Integer> order = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++)
        {
            order.add(i);
        }
        if (setup.replay())
        {
            order.sort(Comparator.comparingInt(i -> i + steps.get(i).delay()));
        }
        int parity = 0;
        int logical = 0;
        for (final int i : order)
        {
            final Step step = steps.get(i);
            final long id = i + 1;
            s.wall.advance(step.stall() * TIMEOUT / 3);
            s.clock.advance(step.stall() * TIMEOUT / 3);
            if (!step.gap())
            {
                final Set<Long> released = new HashSet<>(s.sink.released());
                if (Arrays.stream(dependencies.get(id)).allMatch(released::contains))
                {
                    readyOnArrival.add(id);
                }
                fed.add(id);
            }
            if (setup.replay())
            {
                if (!step.gap())
                {
                    final MessageRecord record = s.feed.record(id, TYPE, step.priority(), s.wall.epochNanos(),
                        logical++, parity | (step.batchEnd() ? RecordFlags.BATCH_END : 0), dependencies.get(id));
                    record.deadlineEpochNanos(0 == step.deadlineMillis() ? 0 :
                        record.hlcWall() + step.deadlineMillis() * 1_000_000L);
                    s.feed.replay(record);
                }
                if (step.batchEnd())
                {
                    parity ^= RecordFlags.BATCH_PARITY;
                }
            }
            else if (step.gap())
            {
                if (step.batchEnd())
                {
                    s.feed.endBatchOnARefusedPublish();
                }
                else
                {
                    s.feed.gap();
                }
            }
            else
            {
                s.feed.journalOne(s.feed.message(TYPE).priority(step.priority())
                    .deadlineIn(step.deadlineMillis() * 1_000_000L).dependsOn(dependencies.get(id)), step.batchEnd());
            }
            sample.run();
            if (0 != step.idle())
            {
                s.wall.advance(step.idle() * TIMEOUT / 3);
                s.clock.advance(step.idle() * TIMEOUT / 3);
                s.feed.idle();
                sample.run();
            }
        }
        s.sequencer.onShutdown();
        sample.run();
        return new Run(setup, dependencies, fed, readyOnArrival, new ArrayList<>(s.sink.outs()), maxHeld[0]);
    }
}
