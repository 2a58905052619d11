package io.chronofabric.engine.internal.sequencing;

import io.chronofabric.engine.api.HoldOverflowPolicy;
import io.chronofabric.engine.api.ManualWallClock;
import io.chronofabric.engine.internal.clock.ManualMonotonicClock;
import io.chronofabric.engine.internal.event.PipelineCounters;

/**
 * A {@link TemporalSequencer} alone on the test thread: built from plain values with a manual wall clock and a manual
 * monotonic clock, fed by a {@link JournalFeed}, releasing into a {@link RecordingReleaseSink}. Settings default to the
 * engine's, except a smaller payload.
 */
public final class SequencerOnTestThread
{
    /** Where the wall clock starts: 2023-11-14, epoch nanoseconds. */
    public static final long WALL_START = 1_700_000_000_000_000_000L;
    /** Where the monotonic clock starts. */
    public static final long MONOTONIC_START = 5_000_000_000L;

    public final ManualWallClock wall = new ManualWallClock(WALL_START);
    public final ManualMonotonicClock clock = new ManualMonotonicClock(MONOTONIC_START);
    public final PipelineCounters counters = new PipelineCounters();
    public final TemporalCounters temporal = new TemporalCounters();
    public final RecordingReleaseSink sink = new RecordingReleaseSink();
    public final TemporalSequencer sequencer;
    public final JournalFeed feed;
    public final int holdCapacity;

    private SequencerOnTestThread(final Builder builder)
    {
        this.holdCapacity = builder.holdCapacity;
        this.sequencer = new TemporalSequencer(counters, temporal, builder.floor, builder.holdCapacity,
            builder.holdOverflow, builder.holdTimeoutNanos, builder.window, builder.dependencyWindow,
            builder.maxDependencies, builder.payloadCapacity, wall, clock);
        sequencer.releaseTo(sink);
        sequencer.onStart();
        this.feed = new JournalFeed(sequencer, wall, clock, builder.maxDependencies, builder.payloadCapacity);
    }

    /** @return a builder with the engine's default settings. */
    public static Builder builder()
    {
        return new Builder();
    }

    /** @return a sequencer with the engine's default settings. */
    public static SequencerOnTestThread withDefaults()
    {
        return builder().build();
    }

    /** The sequencer's settings, as in an engine context. */
    public static final class Builder
    {
        private int holdCapacity = 4096;
        private HoldOverflowPolicy holdOverflow = HoldOverflowPolicy.DEAD_LETTER_OLDEST;
        private long holdTimeoutNanos = 1_000_000_000L;
        private int window = 1024;
        private int dependencyWindow = 1 << 20;
        private int maxDependencies = 8;
        private int payloadCapacity = 16;
        private long floor;

        private Builder()
        {
        }

        public Builder holdCapacity(final int value)
        {
            this.holdCapacity = value;
            return this;
        }

        public Builder holdOverflow(final HoldOverflowPolicy value)
        {
            this.holdOverflow = value;
            return this;
        }

        public Builder holdTimeoutNanos(final long value)
        {
            this.holdTimeoutNanos = value;
            return this;
        }

        public Builder window(final int value)
        {
            this.window = value;
            return this;
        }

        public Builder dependencyWindow(final int value)
        {
            this.dependencyWindow = value;
            return this;
        }

        public Builder maxDependencies(final int value)
        {
            this.maxDependencies = value;
            return this;
        }

        public Builder floor(final long value)
        {
            this.floor = value;
            return this;
        }

        public SequencerOnTestThread build()
        {
            return new SequencerOnTestThread(this);
        }
    }
}
