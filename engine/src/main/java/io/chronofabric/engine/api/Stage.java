package io.chronofabric.engine.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The pipeline's stages, in the order every message passes through them.
 */
public enum Stage
{
    /** Appends the message to the Chronicle Queue journal before anything downstream sees it. */
    JOURNAL("journal"),
    /** Temporal sequencing: HLC bookkeeping and ordering; the home of causal holding and deadlines. */
    SEQUENCER("sequencer"),
    /** Resolves the subscribers of the message's type. */
    ROUTER("router"),
    /** Invokes the subscribers' handlers. */
    DELIVERY("delivery");

    private final String label;

    Stage(final String label)
    {
        this.label = label;
    }

    /**
     * @return the lower-case name used in layouts, thread names ({@code cf-journal}) and metrics.
     */
    public String label()
    {
        return label;
    }

    /**
     * @param label a stage label, case-insensitive.
     * @return the stage.
     * @throws IllegalArgumentException naming the allowed labels.
     */
    public static Stage ofLabel(final String label)
    {
        for (final Stage stage : values())
        {
            if (stage.label.equals(label.trim().toLowerCase(Locale.ROOT)))
            {
                return stage;
            }
        }
        throw new IllegalArgumentException("unknown stage '" + label + "'; allowed: " +
            Arrays.stream(values()).map(Stage::label).collect(Collectors.joining(", ")));
    }
}
