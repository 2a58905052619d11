package io.chronofabric.engine.internal.sequencing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import io.chronofabric.engine.api.HoldOverflowPolicy;
import io.chronofabric.journal.DeadLetterReason;
import io.chronofabric.journal.RecordLayout;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cross-node dependencies on random interleavings, on the test thread: two origin nodes (2 and 3) each ship a stream
 * of messages in origin-id order (some origin ids skipped: messages not routed here), interleaved at random with local
 * messages; each message depends on up to three others: a local id a few back, or (node, origin id) of either origin,
 * shipped before it, after it, or never. Random journal batches, idle ticks after clock moves around the hold timeout,
 * sometimes a tiny hold buffer. After the run the sequencer is shut down. Then:
 * <ul>
 *     <li>every message is handed on exactly once, released or dead-lettered (nothing lost, nothing twice);</li>
 *     <li>every released message comes after each of its dependencies was released: a local id, or the shipped
 *     message with that node and origin id (and such a message exists: the rule is exact);</li>
 *     <li>a message dead-lettered as {@code dependency_dead_lettered} has a dependency dead-lettered before it.</li>
 * </ul>
 * The scenario comes from one random seed, printed with every failure (jqwik prints its own seed as well).
 */
class RemoteDependencyProperties
{
    private static final int TYPE = 2;
    private static final long TIMEOUT = 1_000_000_000L;
    private static final int[] NODES = {2, 3};

    @Property(tries = 400)
    void shouldReleaseEveryDependentAfterItsDependenciesAndLoseNothing(@ForAll final long seed,
        @ForAll @IntRange(min = 0, max = 40) final int shippedPerNode, @ForAll @IntRange(min = 0, max = 30) final int local)
    {
        final Random random = new Random(seed);
        final boolean tinyHold = random.nextInt(4) == 0;
        final SequencerOnTestThread s = SequencerOnTestThread.builder().holdTimeoutNanos(TIMEOUT)
            .holdCapacity(tinyHold ? 1 + random.nextInt(4) : 4096)
            .holdOverflow(random.nextBoolean() ? HoldOverflowPolicy.DEAD_LETTER_OLDEST : HoldOverflowPolicy.REJECT_NEW)
            .window(1 + random.nextInt(64)).build();
        final String scenario = "seed=" + seed + " shippedPerNode=" + shippedPerNode + " local=" + local +
            " tinyHold=" + tinyHold;

        // the origin ids each node ships here, ascending, some skipped
        final long[][] streams = new long[NODES.length][];
        final long[] highestOriginId = new long[NODES.length];
        for (int n = 0; n < NODES.length; n++)
        {
            streams[n] = new long[shippedPerNode];
            long originId = 0;
            for (int i = 0; i < shippedPerNode; i++)
            {
                originId += 1 + (random.nextInt(5) == 0 ? 1 : 0);
                streams[n][i] = originId;
            }
            highestOriginId[n] = originId + 2;
        }
        final int[] next = new int[NODES.length];
        int localLeft = local;
        final Map<Long, Long> idOfRemoteKey = new HashMap<>();
        final Map<Long, long[]> dependenciesOf = new HashMap<>();
        final List<Long> published = new ArrayList<>();
        while (localLeft > 0 || next[0] < shippedPerNode || next[1] < shippedPerNode)
        {
            final int pick = random.nextInt(3);
            final JournalFeed.Msg msg = s.feed.message(TYPE);
            long remoteKey = 0;
            if (pick < NODES.length && next[pick] < shippedPerNode)
            {
                final long originId = streams[pick][next[pick]++];
                msg.shipped(NODES[pick], originId);
                remoteKey = RecordLayout.remoteDependency(NODES[pick], originId);
            }
            else if (localLeft > 0)
            {
                localLeft--;
            }
            else
            {
                continue;
            }
            final int count = random.nextInt(4);
            final long[] dependencies = new long[count];
            final long nextId = s.feed.lastId() + 1;
            int used = 0;
            for (int d = 0; d < count; d++)
            {
                if (random.nextBoolean() && nextId > 1)
                {
                    dependencies[used++] = nextId - 1 - random.nextInt((int)Math.min(12, nextId - 1));
                }
                else
                {
                    final int node = random.nextInt(NODES.length);
                    final long originId = 1 + (long)random.nextInt((int)highestOriginId[node]);
                    final long dependency = RecordLayout.remoteDependency(NODES[node], originId);
                    if (dependency != remoteKey)
                    {
                        dependencies[used++] = dependency;
                    }
                }
            }
            final long[] declared = java.util.Arrays.copyOf(dependencies, used);
            final long id = msg.dependsOn(declared).publish();
            published.add(id);
            dependenciesOf.put(id, declared);
            if (0 != remoteKey)
            {
                idOfRemoteKey.put(remoteKey, id);
            }
            if (random.nextInt(3) == 0)
            {
                s.feed.endBatch();
            }
            if (random.nextInt(6) == 0)
            {
                s.feed.endBatch();
                final long move = (1 + random.nextInt(4)) * TIMEOUT / 3;
                s.wall.advance(move);
                s.clock.advance(move);
                s.feed.idle();
            }
        }
        s.feed.endBatch();
        s.sequencer.onShutdown();

        final List<RecordingReleaseSink.Out> outs = s.sink.outs();
        final Set<Long> handed = new HashSet<>();
        final Set<Long> releasedSoFar = new HashSet<>();
        final Set<Long> deadSoFar = new HashSet<>();
        for (final RecordingReleaseSink.Out out : outs)
        {
            assertTrue(handed.add(out.id()), scenario + ": " + out.id() + " handed on twice");
            final long[] dependencies = dependenciesOf.get(out.id());
            if (null == out.reason())
            {
                for (final long dependency : dependencies)
                {
                    final Long localId = RecordLayout.isRemoteDependency(dependency) ? idOfRemoteKey.get(dependency) :
                        Long.valueOf(dependency);
                    assertTrue(null != localId && releasedSoFar.contains(localId), scenario + ": " + out.id() +
                        " released before its dependency " + describe(dependency) + " (local id " + localId + ")");
                }
                releasedSoFar.add(out.id());
            }
            else
            {
                if (DeadLetterReason.DEPENDENCY_DEAD_LETTERED == out.reason())
                {
                    boolean cause = false;
                    for (final long dependency : dependencies)
                    {
                        final Long localId = RecordLayout.isRemoteDependency(dependency) ?
                            idOfRemoteKey.get(dependency) : Long.valueOf(dependency);
                        cause |= null != localId && deadSoFar.contains(localId);
                    }
                    assertTrue(cause, scenario + ": " + out.id() + " dead-lettered for a dependency none of which " +
                        "was dead-lettered before it");
                }
                deadSoFar.add(out.id());
            }
        }
        assertEquals(new HashSet<>(published), handed, scenario + ": every message is handed on once");
        assertEquals(0, s.temporal.held(), scenario);
    }

    private static String describe(final long dependency)
    {
        return RecordLayout.isRemoteDependency(dependency) ? "(node " + RecordLayout.remoteDependencyNode(dependency) +
            ", origin id " + RecordLayout.remoteDependencyOriginId(dependency) + ")" : Long.toString(dependency);
    }
}
