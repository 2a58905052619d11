package io.chronofabric.cli;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import io.chronofabric.engine.internal.Engine;
import io.chronofabric.node.Node;

/**
 * Bounds a node run's publishing by {@code --peer-wait-ms}: under {@code peer.lag-policy=block} a peer
 * {@code peer.max-lag} behind pauses the local publishers until it catches up, and one that never comes back would
 * keep the run's publish waiting without end. Once the publishers have stayed paused that long, this closes the
 * node (which lets them go) and says why; the run then stops publishing and fails naming the peer.
 */
final class PauseWatchdog implements AutoCloseable
{
    private static final long POLL_NANOS = 50_000_000L;

    private final Engine engine;
    private final Node node;
    private final long limitNanos;
    private final Thread thread;
    private volatile boolean closed;
    private volatile String gaveUp;

    private PauseWatchdog(final Engine engine, final Node node, final Duration limit)
    {
        this.engine = engine;
        this.node = node;
        this.limitNanos = limit.toNanos();
        this.thread = new Thread(this::watch, "cf-run-pause-watchdog");
        thread.setDaemon(true);
    }

    /**
     * @param engine the node's engine.
     * @param node   the node.
     * @param limit  {@code --peer-wait-ms}.
     * @return the started watchdog; close it when the run's publishing is over.
     */
    static PauseWatchdog start(final Engine engine, final Node node, final Duration limit)
    {
        final PauseWatchdog watchdog = new PauseWatchdog(engine, node, limit);
        watchdog.thread.start();
        return watchdog;
    }

    /** @return why the run gave up (the node is closed), or null while it has not. */
    String gaveUp()
    {
        return gaveUp;
    }

    private void watch()
    {
        long pausedSince = 0;
        while (!closed)
        {
            LockSupport.parkNanos(POLL_NANOS);
            final long now = System.nanoTime();
            if (!engine.publishersPaused())
            {
                pausedSince = 0;
            }
            else if (0 == pausedSince)
            {
                pausedSince = now;
            }
            else if (now - pausedSince >= limitNanos && !closed)
            {
                gaveUp = "local publishers stayed paused (peer.lag-policy=block) for the whole wait: " +
                    node.peers().stream().filter(peer -> peer.lagMessages() >= node.configuration().maxLag())
                        .map(peer -> "peer " + peer.peer() + " (" + peer.state().label() + ") is " +
                            peer.lagMessages() + " messages behind, at least peer.max-lag=" +
                            node.configuration().maxLag())
                        .collect(Collectors.joining("; "));
                node.close();
                return;
            }
        }
    }

    @Override
    public void close()
    {
        closed = true;
        LockSupport.unpark(thread);
    }
}
