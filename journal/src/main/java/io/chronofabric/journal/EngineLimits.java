package io.chronofabric.journal;

/**
 * The largest values any engine configuration allows, so that offline tools can read a journal written with any
 * settings.
 */
public final class EngineLimits
{
    /** Largest payload capacity an engine accepts: 1 MiB. */
    public static final int MAX_PAYLOAD = 1 << 20;
    /** Most dependencies per message an engine accepts. */
    public static final int MAX_DEPENDENCIES = 255;

    private EngineLimits()
    {
    }
}
