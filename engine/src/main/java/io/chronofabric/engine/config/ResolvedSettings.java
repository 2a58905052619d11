package io.chronofabric.engine.config;

import java.util.Collections;
import java.util.List;

/**
 * The effective settings of a profile with overrides, as {@link Profiles#resolve} concludes them, and where each
 * value came from: the built-in default, the profile's file, or an override ({@code --set} on the command line).
 * Later sources win: default &lt; profile &lt; override.
 */
public final class ResolvedSettings
{
    /** Where a value came from. */
    public enum Source
    {
        /** The built-in default ({@link Setting#defaultValue()}). */
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

    /** One setting: its key, effective value, source, allowed values and description. */
    public static final class Entry
    {
        private final Setting<?> setting;
        private final String value;
        private final Source source;

        Entry(final Setting<?> setting, final String value, final Source source)
        {
            this.setting = setting;
            this.value = value;
            this.source = source;
        }

        /** @return the setting. */
        public Setting<?> setting()
        {
            return setting;
        }

        /** @return the key. */
        public String key()
        {
            return setting.name();
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
            return setting.allowed();
        }

        /** @return what the setting is, in one line. */
        public String doc()
        {
            return setting.doc();
        }
    }

    private final EngineConfiguration configuration;
    private final List<Entry> entries;

    ResolvedSettings(final EngineConfiguration configuration, final List<Entry> entries)
    {
        this.configuration = configuration;
        this.entries = Collections.unmodifiableList(entries);
    }

    /** @return the effective settings, concluded. */
    public EngineConfiguration configuration()
    {
        return configuration;
    }

    /** @return one entry per setting of {@link Settings#all()}, in that order. */
    public List<Entry> entries()
    {
        return entries;
    }
}
