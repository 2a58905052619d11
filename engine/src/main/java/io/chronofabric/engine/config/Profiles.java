package io.chronofabric.engine.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import io.chronofabric.engine.api.ConfigurationException;

/**
 * The named profiles and the one loader of "profile + overrides". Profiles ship on the classpath under
 * {@value #FOLDER} (copied from the repository's {@code profiles/} folder): {@code index.properties} lists their
 * names, in listing order, with a one-line description each, and {@code NAME.properties} holds the settings in which
 * a profile differs from the defaults of {@link Settings}. A value comes from the default, then the profile, then an
 * override ({@code --set key=value}); later sources win.
 */
public final class Profiles
{
    /** The classpath folder the profiles ship in. */
    public static final String FOLDER = "io/chronofabric/profiles/";
    /** The default profile: the built-in defaults themselves. */
    public static final String DEFAULT = "dev";

    private static final Map<String, String> PROFILES = loadIndex();

    private Profiles()
    {
    }

    /** @return the profile names, in listing order ({@code dev}, the default, first). */
    public static List<String> names()
    {
        return List.copyOf(PROFILES.keySet());
    }

    /**
     * @param profile a profile name.
     * @return its one-line description.
     * @throws ConfigurationException for an unknown profile.
     */
    public static String description(final String profile)
    {
        final String description = PROFILES.get(profile);
        if (null == description)
        {
            throw unknown(profile);
        }
        return description;
    }

    /**
     * Reads a named profile's keys and values as written, in key order.
     *
     * @param profile a profile name.
     * @return its settings.
     * @throws ConfigurationException for an unknown profile.
     */
    public static Map<String, String> read(final String profile)
    {
        final String resource = FOLDER + profile + ".properties";
        try (InputStream in = Profiles.class.getClassLoader().getResourceAsStream(resource))
        {
            if (null == in || !PROFILES.containsKey(profile))
            {
                throw unknown(profile);
            }
            final Properties properties = new Properties();
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8))
            {
                properties.load(reader);
            }
            final Map<String, String> settings = new TreeMap<>();
            properties.forEach((k, v) -> settings.put(k.toString().trim(), v.toString().trim()));
            return settings;
        }
        catch (final IOException ex)
        {
            throw new ConfigurationException("profile " + profile + " cannot be read: " + ex.getMessage(), "profile", ex);
        }
    }

    /**
     * @param profile a profile name.
     * @return a builder holding the profile's settings.
     * @throws ConfigurationException for an unknown profile or a bad key or value in it.
     */
    public static EngineConfiguration.Builder builder(final String profile)
    {
        return builder(profile, Map.of());
    }

    /**
     * @param profile   a profile name.
     * @param overrides key to value as text, applied after the profile.
     * @return a builder holding the defaults, overridden by the profile, overridden by the overrides.
     * @throws ConfigurationException for an unknown profile, an unknown key or a bad value.
     */
    public static EngineConfiguration.Builder builder(final String profile, final Map<String, String> overrides)
    {
        return builder(profile, read(profile), overrides);
    }

    /**
     * @param profile   a profile name.
     * @param overrides key to value as text, applied after the profile.
     * @return the effective settings, concluded as the engine would at start, and where each came from.
     * @throws ConfigurationException for an unknown profile, key or bad value, or settings that do not fit together.
     */
    public static ResolvedSettings resolve(final String profile, final Map<String, String> overrides)
    {
        final Map<String, String> fromProfile = read(profile);
        final EngineConfiguration configuration = builder(profile, fromProfile, overrides).build();
        final List<ResolvedSettings.Entry> entries = new ArrayList<>();
        for (final Setting<?> setting : Settings.all())
        {
            final ResolvedSettings.Source source = overrides.containsKey(setting.name()) ?
                ResolvedSettings.Source.OVERRIDE : fromProfile.containsKey(setting.name()) ?
                ResolvedSettings.Source.PROFILE : ResolvedSettings.Source.DEFAULT;
            entries.add(new ResolvedSettings.Entry(setting, text(configuration, setting), source));
        }
        return new ResolvedSettings(configuration, entries);
    }

    private static EngineConfiguration.Builder builder(final String profile, final Map<String, String> fromProfile,
        final Map<String, String> overrides)
    {
        final EngineConfiguration.Builder builder = EngineConfiguration.builder().profile(profile);
        fromProfile.forEach(builder::set);
        overrides.forEach(builder::set);
        return builder;
    }

    private static <T> String text(final EngineConfiguration configuration, final Setting<T> setting)
    {
        return setting.format(configuration.get(setting));
    }

    private static ConfigurationException unknown(final String profile)
    {
        return new ConfigurationException("profile", profile, String.join(", ", PROFILES.keySet()));
    }

    private static Map<String, String> loadIndex()
    {
        final Properties index = new Properties();
        try (InputStream in = Profiles.class.getClassLoader().getResourceAsStream(FOLDER + "index.properties"))
        {
            if (null == in)
            {
                throw new IllegalStateException(FOLDER + "index.properties is missing from the classpath; the " +
                    "engine jar is built wrongly");
            }
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8))
            {
                index.load(reader);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + FOLDER + "index.properties", ex);
        }
        final List<String> names = new ArrayList<>();
        for (final String name : index.getProperty("profiles", "").split(","))
        {
            if (!name.isBlank())
            {
                names.add(name.trim());
            }
        }
        final Map<String, String> profiles = new LinkedHashMap<>();
        names.forEach(name -> profiles.put(name, index.getProperty(name + ".description", "").trim()));
        return Collections.unmodifiableMap(profiles);
    }
}
