package io.chronofabric.perf.systems;

import java.nio.file.Path;
import java.util.List;

import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.perf.spi.LatencyProbe;
import io.chronofabric.perf.spi.SystemKind;
import io.chronofabric.perf.spi.SystemSpec;
import io.chronofabric.perf.spi.SystemUnderTest;

/**
 * The raw Chronicle Queue baseline: the sending thread appends each message's document (the same bytes as the
 * other journaling systems) straight to a queue and the message counts as delivered when the append returns. No
 * pipeline, no other thread: the floor for anything that journals. With a durability policy other than none, each
 * append is synced on its own (there are no batches to share a sync).
 */
public final class ChronicleSystem implements SystemUnderTest
{
    private final LatencyProbe probe = new LatencyProbe();
    private final RawJournal rawJournal;
    private final BaselineEvent event;
    private final byte[] template;
    private final int payloadBytes;
    private final int documentBytes;

    /**
     * @param spec the run's settings.
     * @param dir  the queue's folder; deleted on close.
     */
    public ChronicleSystem(final SystemSpec spec, final Path dir)
    {
        final EngineConfiguration context = spec.configuration();
        this.rawJournal = new RawJournal(dir, context);
        this.documentBytes = spec.documentBytes();
        this.event = new BaselineEvent(documentBytes);
        this.template = spec.payloadTemplate();
        this.payloadBytes = spec.payloadBytes();
    }

    @Override
    public SystemKind kind()
    {
        return SystemKind.CHRONICLE;
    }

    @Override
    public void send(final long intendedNanos)
    {
        event.fill(intendedNanos, template, payloadBytes);
        rawJournal.append(event.bytes, documentBytes);
        rawJournal.sync();
        probe.delivered(intendedNanos);
    }

    @Override
    public LatencyProbe probe()
    {
        return probe;
    }

    @Override
    public List<Thread> workerThreads()
    {
        return List.of();
    }

    @Override
    public void close()
    {
        rawJournal.close();
    }
}
