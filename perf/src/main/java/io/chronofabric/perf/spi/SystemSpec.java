package io.chronofabric.perf.spi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

import io.chronofabric.affinity.HostCpusReader;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.config.Profiles;
import io.chronofabric.engine.config.Settings;
import io.chronofabric.engine.internal.layout.LayoutPlan;
import io.chronofabric.engine.internal.layout.LayoutPlanner;
import io.chronofabric.journal.JournalFiles;
import io.chronofabric.journal.RecordLayout;

/**
 * What every system of a run is built from: the engine profile (with overrides), whose ring size, wait strategy,
 * thread layout and roll cycle the baselines copy, the payload size, and the folder journals are created in.
 *
 * @param profile      the engine profile name.
 * @param overrides    profile settings to override, key to value.
 * @param payloadBytes the payload of every message, at least {@link #MIN_PAYLOAD} bytes.
 * @param dataDir      the folder each trial's fresh journal or queue is created in (and deleted from).
 */
public record SystemSpec(String profile, Map<String, String> overrides, int payloadBytes, Path dataDir)
{
    /** Smallest payload: the intended send time travels in its first 8 bytes. */
    public static final int MIN_PAYLOAD = Long.BYTES;
    /** The message type the harness publishes on ChronoFabric. */
    public static final int MESSAGE_TYPE = 1;
    /** The type of the two-node system's one message that checks the path end to end before a trial. */
    public static final int READY_TYPE = MESSAGE_TYPE + 1;

    /**
     * @throws IllegalArgumentException when the payload is too small to carry the send time.
     */
    public SystemSpec
    {
        if (payloadBytes < MIN_PAYLOAD || payloadBytes > Settings.MAX_PAYLOAD_CAPACITY)
        {
            throw new IllegalArgumentException("--payload " + payloadBytes + " must be in [" + MIN_PAYLOAD + ", " +
                Settings.MAX_PAYLOAD_CAPACITY + "] bytes (the first 8 carry the intended send time)");
        }
        overrides = Map.copyOf(overrides);
    }

    /**
     * @return a fresh engine configuration builder from the profile and overrides, its payload capacity raised to the
     *     payload size when the profile's is smaller.
     */
    public EngineConfiguration.Builder newBuilder()
    {
        final EngineConfiguration.Builder settings = Profiles.builder(profile, overrides);
        if (settings.get(Settings.PAYLOAD_CAPACITY) < payloadBytes)
        {
            if (overrides.containsKey(Settings.PAYLOAD_CAPACITY.name()))
            {
                // raised silently, the report would name an override that was not what ran
                throw new IllegalArgumentException("--set " + Settings.PAYLOAD_CAPACITY.name() + "=" +
                    overrides.get(Settings.PAYLOAD_CAPACITY.name()) + " is smaller than --payload " + payloadBytes +
                    "; allowed: at least the payload, or no such --set (perf sizes it to --payload)");
            }
            settings.payloadCapacity(payloadBytes);
        }
        if (settings.get(Settings.TYPES_MAX) <= READY_TYPE)
        {
            throw new IllegalArgumentException("--set " + Settings.TYPES_MAX.name() + "=" +
                settings.get(Settings.TYPES_MAX) + " is too small for the message types perf publishes (" +
                MESSAGE_TYPE + " and " + READY_TYPE + "); allowed: " + (READY_TYPE + 1) + " or more");
        }
        return settings;
    }

    /**
     * @return the engine configuration of {@link #newBuilder()}, concluded.
     * @throws io.chronofabric.engine.api.ConfigurationException for bad settings.
     */
    public EngineConfiguration configuration()
    {
        return newBuilder().build();
    }

    /**
     * @return how ChronoFabric lays its pipeline out on this host (the profile's layout, wait strategy and CPUs, or
     *     the fallback the engine takes when the host lacks the cores): the baselines copy it, thread for thread.
     */
    public LayoutPlan layoutPlan()
    {
        final EngineConfiguration context = configuration();
        return LayoutPlanner.plan(context, null == context.host() ? HostCpusReader.local() : context.host());
    }

    /** @return the bytes of one journal record: ChronoFabric's record for this payload (header + payload + CRC). */
    public int documentBytes()
    {
        return RecordLayout.recordLength(0, payloadBytes);
    }

    /**
     * @return a new payload template: the bytes every message carries after its 8-byte send time.
     */
    public byte[] payloadTemplate()
    {
        final byte[] template = new byte[payloadBytes];
        for (int i = 0; i < template.length; i++)
        {
            template[i] = (byte)(31 * i + 7);
        }
        return template;
    }

    /**
     * Deletes a folder and everything in it; a folder that is already gone is fine.
     *
     * @param dir the folder.
     */
    public static void deleteRecursively(final Path dir)
    {
        try
        {
            JournalFiles.deleteFolder(dir);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot delete " + dir, ex);
        }
    }
}
