package io.chronofabric.engine.internal.layout;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.chronofabric.affinity.CpuRequest;
import io.chronofabric.affinity.CpuSet;
import io.chronofabric.affinity.HostCpus;
import io.chronofabric.affinity.ThreadPinner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.chronofabric.engine.internal.Engine;
import io.chronofabric.engine.api.Publisher;
import io.chronofabric.engine.api.ConfigurationException;
import io.chronofabric.engine.api.Stage;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.config.Profiles;
import io.chronofabric.engine.config.ThreadCpus;
import io.chronofabric.engine.config.ThreadLayout;
import io.chronofabric.engine.config.WaitStrategyKind;
import io.chronofabric.engine.EngineTestSupport;

/**
 * Fitting a requested thread layout to hosts of different sizes, with the reasons a fallback gives.
 */
class LayoutPlannerTest
{
    private static final HostCpus TWO_CORES = HostCpus.of(2, CpuSet.EMPTY);
    private static final HostCpus TUNED = HostCpus.of(8, CpuSet.parse("2-6"));

    @TempDir
    Path dir;

    private static int[] cpus(final LayoutPlan plan)
    {
        return plan.threads().stream().mapToInt(ThreadPlan::cpu).toArray();
    }

    private static void assertReason(final LayoutPlan plan, final String... parts)
    {
        for (final String part : parts)
        {
            assertTrue(plan.reasons().stream().anyMatch(reason -> reason.contains(part)),
                () -> "no reason mentions '" + part + "': " + plan.reasons());
        }
    }

    @Test
    void shouldFuseAndStopSpinningWhenLowLatencyRunsOnATwoCoreHost()
    {
        final LayoutPlan plan = LayoutPlanner.plan(Profiles.builder("low-latency").build(), TWO_CORES);

        assertTrue(plan.fellBack());
        assertEquals(ThreadLayout.FUSED, plan.layout());
        assertSame(WaitStrategyKind.SLEEPING, plan.waitStrategy());
        assertEquals(1, plan.threads().size());
        assertEquals("cf-journal+sequencer+router+delivery", plan.threads().get(0).name());
        assertReason(plan, "busy-spin needs at least 3 usable CPUs", "has 2", "isolated");
        final String warning = plan.warning();
        assertTrue(warning.contains("from [journal|sequencer|router|delivery, busy-spin, CPUs isolated"), warning);
        assertTrue(warning.contains("to [journal+sequencer+router+delivery, sleeping"), warning);
        assertEquals(ThreadLayout.PER_STAGE, plan.requestedLayout(), "the request is kept for reports");
    }

    @Test
    void shouldKeepOnePinnedBusyThreadPerStageOnIsolatedCpusOfATunedHost()
    {
        final LayoutPlan plan = LayoutPlanner.plan(Profiles.builder("low-latency").build(), TUNED);

        assertFalse(plan.fellBack(), plan::warning);
        assertEquals(ThreadLayout.PER_STAGE, plan.layout());
        assertSame(WaitStrategyKind.BUSY_SPIN, plan.waitStrategy());
        assertArrayEquals(new int[] {2, 3, 4, 5}, cpus(plan));
        assertEquals(6, plan.publisherCpu());
        assertTrue(plan.threads().stream().allMatch(ThreadPlan::isolated));
        assertEquals("", plan.warning());
    }

    @Test
    void shouldFuseTrailingStagesButKeepSpinningWhenSomeBusyThreadsFit()
    {
        final LayoutPlan plan = LayoutPlanner.plan(Profiles.builder("low-latency").build(),
            HostCpus.of(4, CpuSet.EMPTY));

        assertEquals(ThreadLayout.parse("journal|sequencer+router+delivery"), plan.layout());
        assertSame(WaitStrategyKind.BUSY_SPIN, plan.waitStrategy());
        assertReason(plan, "6 for 4 thread(s)", "4 usable CPUs", "share 2 thread(s)");
        assertEquals(1, cpus(plan)[0], "free non-isolated CPUs stand in, never CPU 0");
        assertEquals(2, cpus(plan)[1]);
        assertEquals(3, plan.publisherCpu());
    }

    @Test
    void shouldLeaveAThreadUnpinnedWithAReasonWhenItsCpuIsBeyondTheHost()
    {
        final EngineConfiguration context = EngineConfiguration.builder().threadCpus(ThreadCpus.parse("7")).build();
        final LayoutPlan plan = LayoutPlanner.plan(context, TWO_CORES);

        assertEquals(ThreadPinner.NO_CPU, cpus(plan)[0]);
        assertReason(plan, "CPU 7 asked for cf-journal+sequencer+router+delivery", "usable CPUs: 0,1", "floats");
        assertEquals(ThreadLayout.FUSED, plan.layout(), "nothing else changes");
    }

    @Test
    void shouldUseFreeNonIsolatedCpusWhenTooFewAreIsolated()
    {
        final LayoutPlan plan = LayoutPlanner.plan(Profiles.builder("low-latency").build(),
            HostCpus.of(8, CpuSet.parse("2-3")));

        assertEquals(ThreadLayout.PER_STAGE, plan.layout());
        assertEquals(2, cpus(plan)[0]);
        assertEquals(3, cpus(plan)[1]);
        assertEquals(1, cpus(plan)[2]);
        assertEquals(4, cpus(plan)[3]);
        assertEquals(5, plan.publisherCpu());
        assertFalse(plan.threads().get(2).isolated());
        assertReason(plan, "5 thread(s) ask for isolated CPUs but this host has 2 (2,3)");
    }

    @Test
    void shouldFloatEveryThreadWhenThisHostCannotPin()
    {
        final LayoutPlan plan = LayoutPlanner.plan(Profiles.builder("low-latency").build(),
            TUNED.withoutPinning("no native affinity"));

        assertTrue(plan.threads().stream().allMatch(thread -> ThreadPinner.NO_CPU == thread.cpu()));
        assertEquals(ThreadPinner.NO_CPU, plan.publisherCpu());
        assertReason(plan, "cannot be pinned on this host (no native affinity)");
        assertSame(WaitStrategyKind.BUSY_SPIN, plan.waitStrategy(), "the host has the cores to spin");
    }

    @Test
    void shouldLetAutoThreadsFloatWhenTheHostHasTooFewFreeCpus()
    {
        final LayoutPlan plan = LayoutPlanner.plan(Profiles.builder("throughput").build(), TWO_CORES);

        assertEquals(3, plan.threads().size(), "sleeping threads are not fused");
        assertTrue(plan.threads().stream().allMatch(thread -> ThreadPinner.NO_CPU == thread.cpu()));
        assertReason(plan, "3 pipeline thread(s) ask for a free CPU of their own but this host has 1");
    }

    @Test
    void shouldLeaveSleepingLayoutsAsAskedOnSmallHosts()
    {
        final EngineConfiguration context = EngineConfiguration.builder().threadLayout(ThreadLayout.PER_STAGE).build();
        final LayoutPlan plan = LayoutPlanner.plan(context, TWO_CORES);
        assertFalse(plan.fellBack(), plan::warning);
        assertEquals(ThreadLayout.PER_STAGE, plan.layout());
    }

    @Test
    void shouldBlockInsteadOfSleepingWhenANodeRunsOnAHostWithoutACoreForItsNodeThread()
    {
        final LayoutPlan plan = LayoutPlanner.plan(Profiles.builder("dev").nodeId(1).build(), TWO_CORES);

        assertTrue(plan.fellBack());
        assertSame(WaitStrategyKind.LITE_BLOCKING, plan.waitStrategy());
        assertSame(WaitStrategyKind.SLEEPING, plan.requestedWaitStrategy());
        assertReason(plan, "node thread", "need 4 usable CPUs", "host has 2", "lite-blocking");
    }

    @Test
    void shouldKeepSleepingWhenANodeHasCoresForItsPipelineAndNodeThreadOrIsNoNode()
    {
        final LayoutPlan node = LayoutPlanner.plan(Profiles.builder("dev").nodeId(1).build(), HostCpus.of(4,
            CpuSet.EMPTY));
        assertFalse(node.fellBack(), node::warning);
        assertSame(WaitStrategyKind.SLEEPING, node.waitStrategy());

        final LayoutPlan single = LayoutPlanner.plan(Profiles.builder("dev").build(), TWO_CORES);
        assertFalse(single.fellBack(), single::warning);
        assertSame(WaitStrategyKind.SLEEPING, single.waitStrategy());
    }

    @Test
    void shouldFuseLayoutsFromTheTailKeepingTheJournalAlone()
    {
        assertEquals(ThreadLayout.parse("journal|sequencer|router+delivery"), ThreadLayout.PER_STAGE.fuseTo(3));
        assertEquals(ThreadLayout.parse("journal|sequencer+router+delivery"), ThreadLayout.PER_STAGE.fuseTo(2));
        assertEquals(ThreadLayout.FUSED, ThreadLayout.PER_STAGE.fuseTo(1));
        assertSame(ThreadLayout.FUSED, ThreadLayout.FUSED.fuseTo(4));
        assertThrows(IllegalArgumentException.class, () -> ThreadLayout.FUSED.fuseTo(0));
    }

    @Test
    void shouldRunTheFallbackLayoutWhenStartedOnAHostTooSmallForTheProfile()
    {
        final EngineConfiguration context = Profiles.builder("low-latency").host(TWO_CORES)
            .journalDir(dir.resolve("journal")).build();
        final AtomicInteger delivered = new AtomicInteger();
        try (Engine engine = Engine.start(context))
        {
            assertTrue(engine.layoutPlan().fellBack());
            assertEquals(1, engine.threads().size());
            assertEquals("cf-journal+sequencer+router+delivery", engine.threads().get(0).threadName());
            assertEquals(List.of(Stage.JOURNAL, Stage.SEQUENCER, Stage.ROUTER, Stage.DELIVERY),
                engine.threads().get(0).stages());
            engine.subscribe(EngineTestSupport.TYPE, message -> delivered.incrementAndGet());
            final Publisher publisher = engine.newPublisher(1);
            final long[] data = {0, 0};
            for (int i = 0; i < 1_000; i++)
            {
                data[1] = i;
                publisher.publish(EngineTestSupport.TYPE, EngineTestSupport.SEQUENCE_WRITER, data);
            }
        }
        assertEquals(1_000, delivered.get(), "the fallback layout delivers everything");
    }

    @Test
    void shouldRefuseToStartWhenTheSettingsRefuseAFallback()
    {
        final EngineConfiguration context = Profiles.builder("low-latency").host(TWO_CORES)
            .journalDir(dir.resolve("journal")).layoutFallbackAllowed(false).build();
        final ConfigurationException ex = assertThrows(ConfigurationException.class, () -> Engine.start(context));
        assertEquals("layout.fallback", ex.key());
        assertTrue(ex.getMessage().contains("layout.fallback=refuse"), ex.getMessage());
        assertTrue(ex.getMessage().contains("allowed: layout.fallback=allow"), ex.getMessage());
        assertFalse(dir.resolve("journal").toFile().exists(), "nothing was opened");
    }

    @Test
    void shouldPinThePublisherThreadWhereThePlanSays() throws InterruptedException
    {
        final EngineConfiguration context = EngineConfiguration.builder().publisherCpu(CpuRequest.cpu(0))
            .host(HostCpus.of(1, CpuSet.EMPTY)).journalDir(dir.resolve("journal")).build();
        final int[] pinned = {Integer.MIN_VALUE};
        try (Engine engine = Engine.start(context))
        {
            assertEquals(0, engine.layoutPlan().publisherCpu());
            final Thread publisher = new Thread(() -> pinned[0] = engine.pinPublisherThread());
            publisher.start();
            publisher.join();
        }
        assertEquals(ThreadPinner.probe().isEmpty() ? 0 : ThreadPinner.NO_CPU, pinned[0],
            "CPU 0 exists on every host; only a host that refuses pinning leaves the publisher floating");
    }
}
