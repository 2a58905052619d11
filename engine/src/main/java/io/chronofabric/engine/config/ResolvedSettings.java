package io.chronofabric.engine.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The effective settings of a profile with overrides, and where each value came from: the built-in default, the
 * profile's file, or an override ({@code --set} on the command line, a setter in the embedding API). Later sources
 * win: default &lt; profile &lt; override.
 */
public final class ResolvedSettings
{
    /** Where a value came from. */
    public enum Source
    {
        /** The built-in default ({@link EngineContext}'s initial value). */
        DEFAULT("default"),
        /** The profile's {@code NAME.properties} file. */
        PROFILE("profile"),
        /** A {@code --set key=value} override. */
        OVERRIDE("--set");

        private final String label;

        Source(final String label)
        {
            this.label = label;
        }

        /** @return how reports name it. */
        public String label()
        {
            return label;
        }
    }

    /** One setting: its key, effective value, source and allowed values. */
    public static final class Entry
    {
        private final String key;
        private final String value;
        private final Source source;
        private final String allowed;

        Entry(final String key, final String value, final Source source, final String allowed)
        {
            this.key = key;
            this.value = value;
            this.source = source;
            this.allowed = allowed;
        }

        /** @return the key. */
        public String key()
        {
            return key;
        }

        /** @return the effective value, as a profile would write it. */
        public String value()
        {
            return value;
        }

        /** @return where it came from. */
        public Source source()
        {
            return source;
        }

        /** @return what the key accepts. */
        public String allowed()
        {
            return allowed;
        }
    }

    private final EngineContext context;
    private final List<Entry> entries;

    private ResolvedSettings(final EngineContext context, final List<Entry> entries)
    {
        this.context = context;
        this.entries = Collections.unmodifiableList(entries);
    }

    /**
     * @param profile   a profile name.
     * @param overrides key to value, applied after the profile.
     * @return the effective settings, validated as the engine would at start.
     * @throws ConfigurationException for an unknown profile, key or bad value.
     */
    public static ResolvedSettings resolve(final String profile, final Map<String, String> overrides)
    {
        final Map<String, String> fromProfile = EngineSettings.loadProfile(profile);
        final EngineContext context = new EngineContext().profile(profile);
        fromProfile.forEach((key, value) -> EngineSettings.apply(context, key, value));
        overrides.forEach((key, value) -> EngineSettings.apply(context, key, value));
        context.validate();
        final List<Entry> entries = new ArrayList<>();
        EngineSettings.keys().forEach((key, allowed) ->
        {
            final Source source = overrides.containsKey(key) ? Source.OVERRIDE :
                fromProfile.containsKey(key) ? Source.PROFILE : Source.DEFAULT;
            final String written = Source.OVERRIDE == source ? overrides.get(key) : fromProfile.get(key);
            final String value = SettingValues.of(context, key).orElse(null == written ? "(built-in)" : written);
            entries.add(new Entry(key, value, source, allowed));
        });
        return new ResolvedSettings(context, entries);
    }

    /** @return the context holding the effective settings. */
    public EngineContext context()
    {
        return context;
    }

    /** @return one entry per known key, in the keys' order. */
    public List<Entry> entries()
    {
        return entries;
    }
}
