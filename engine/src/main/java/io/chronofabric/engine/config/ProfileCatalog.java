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
import io.chronofabric.engine.api.ConfigurationException;

/**
 * The profiles that ship with the engine, read from {@code io/chronofabric/profiles/index.properties} (the
 * repository's {@code profiles/index.properties}): their names, in listing order, and a one-line description each.
 * A test keeps the index in step with the profile files.
 */
public final class ProfileCatalog
{
    /** The classpath folder the profiles ship in. */
    public static final String FOLDER = "io/chronofabric/profiles/";

    private static final Map<String, String> PROFILES = load();

    private ProfileCatalog()
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
            throw new ConfigurationException("profile", profile, String.join(", ", PROFILES.keySet()));
        }
        return description;
    }

    private static Map<String, String> load()
    {
        final Properties index = new Properties();
        try (InputStream in = ProfileCatalog.class.getClassLoader().getResourceAsStream(FOLDER + "index.properties"))
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
