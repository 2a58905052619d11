package io.chronofabric.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.chronofabric.affinity.CpuRequest;
import io.chronofabric.affinity.CpuSet;
import io.chronofabric.affinity.HostCpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.chronofabric.engine.config.EngineConfiguration;
import io.chronofabric.engine.config.Profiles;
import io.chronofabric.engine.config.Setting;
import io.chronofabric.engine.config.Settings;
import io.chronofabric.engine.config.ThreadCpus;
import io.chronofabric.engine.config.ThreadLayout;
import io.chronofabric.engine.config.WaitStrategyKind;
import io.chronofabric.engine.internal.layout.LayoutPlan;
import io.chronofabric.engine.internal.layout.LayoutPlanner;

/**
 * The profiles in the repository's {@code profiles/} folder: every one listed in the index, parsed, valid, commented,
 * and holding the values the README promises.
 */
class ShippedProfilesTest
{
    private static final Path FOLDER = Path.of("..", "profiles");

    static List<String> profiles()
    {
        return Profiles.names();
    }

    @Test
    void shouldIndexExactlyTheProfileFilesOfTheFolder() throws IOException
    {
        final Set<String> files;
        try (Stream<Path> paths = Files.list(FOLDER))
        {
            files = paths.map(path -> path.getFileName().toString())
                .filter(name -> name.endsWith(".properties") && !"index.properties".equals(name))
                .map(name -> name.substring(0, name.length() - ".properties".length()))
                .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(files, new TreeSet<>(Profiles.names()), "profiles/index.properties lists every file");
        assertEquals(Profiles.DEFAULT, Profiles.names().get(0), "a builder's profile is the index's first");
        assertEquals("dev", Profiles.names().get(0), "dev, the default, is listed first");
        assertTrue(Profiles.names().containsAll(List.of("balanced", "low-latency", "throughput")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("profiles")
    void shouldParseEveryShippedProfileIntoSettingsTheEngineAccepts(final String profile)
    {
        final EngineConfiguration context = Profiles.builder(profile).build(); // concluded: checked as at start
        assertEquals(profile, context.profile());
        assertTrue(Profiles.read(profile).keySet().stream().allMatch(Settings::isKnown));
        assertFalse(Profiles.description(profile).isBlank(), "a one-line description in the index");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("profiles")
    void shouldSetOnlyKnownKeysAndOnlyWhereTheProfileDiffersFromTheDefault(final String profile)
    {
        for (final Map.Entry<String, String> written : Profiles.read(profile).entrySet())
        {
            assertTrue(Settings.isKnown(written.getKey()), () -> profile + ".properties sets " + written.getKey() +
                ", which is not a setting");
            final Setting<?> setting = Settings.byName(written.getKey());
            assertFalse(isDefault(setting, written.getValue()), () -> profile + ".properties sets " +
                written.getKey() + "=" + written.getValue() + ", the default: leave it out");
        }
    }

    private static <T> boolean isDefault(final Setting<T> setting, final String text)
    {
        return setting.defaultValue().equals(setting.parse(text)) ||
            setting.format(setting.defaultValue()).equals(setting.format(setting.parse(text)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("profiles")
    void shouldCommentEveryKeyOfEveryProfile(final String profile) throws IOException
    {
        final List<String> lines = Files.readAllLines(FOLDER.resolve(profile + ".properties"), StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++)
        {
            final String line = lines.get(i).trim();
            if (!line.isEmpty() && !line.startsWith("#"))
            {
                final int number = i + 1;
                assertTrue(i > 0 && lines.get(i - 1).trim().startsWith("#"),
                    () -> profile + ".properties line " + number + " (" + line + ") has no comment above it");
            }
        }
    }

    @Test
    void shouldGiveLowLatencyOnePinnedBusyThreadPerStageOnIsolatedCpus()
    {
        final EngineConfiguration context = Profiles.builder("low-latency").build();
        assertSame(WaitStrategyKind.BUSY_SPIN, context.waitStrategy());
        assertEquals(ThreadLayout.PER_STAGE, context.threadLayout());
        assertEquals(ThreadCpus.ISOLATED, context.threadCpus());
        assertEquals(CpuRequest.ISOLATED, context.publisherCpu());
        assertEquals(8_192, context.ringSize());
        assertEquals(20_000, context.targets().latencyP99Nanos());
    }

    @Test
    void shouldGiveThroughputALargeRingAndSeveralPinnedThreads()
    {
        final EngineConfiguration context = Profiles.builder("throughput").build();
        assertEquals(262_144, context.ringSize());
        assertEquals(3, context.threadLayout().threadCount());
        assertEquals(ThreadCpus.AUTO, context.threadCpus());
        assertFalse(context.waitStrategy().burnsCore());
        assertEquals(1_000_000, context.targets().throughputMsgsPerSec());
    }

    @Test
    void shouldFitDevAndBalancedOnATwoCoreHostWithoutFallbackOrBusySpinning()
    {
        for (final String profile : List.of("dev", "balanced"))
        {
            final EngineConfiguration context = Profiles.builder(profile).host(HostCpus.of(2, CpuSet.EMPTY)).build();
            final LayoutPlan plan = LayoutPlanner.plan(context, context.host());
            assertFalse(plan.fellBack(), () -> profile + ": " + plan.warning());
            assertFalse(plan.waitStrategy().burnsCore(), profile);
        }
    }

    @Test
    void shouldDefaultTheNewSettingsToTheDevProfileValues()
    {
        final EngineConfiguration defaults = EngineConfiguration.builder().build();
        final EngineConfiguration dev = Profiles.builder("dev").build();
        assertEquals(dev.threadCpus(), defaults.threadCpus());
        assertEquals(dev.publisherCpu(), defaults.publisherCpu());
        assertEquals(dev.layoutFallbackAllowed(), defaults.layoutFallbackAllowed());
        assertEquals(dev.targets().latencyMeanNanos(), defaults.targets().latencyMeanNanos());
        assertEquals(dev.targets().latencyP99Nanos(), defaults.targets().latencyP99Nanos());
        assertEquals(dev.targets().throughputMsgsPerSec(), defaults.targets().throughputMsgsPerSec());
        assertEquals(dev.targets().dropRate(), defaults.targets().dropRate());
        assertEquals(dev.targets().cpuPercent(), defaults.targets().cpuPercent());
        assertEquals(dev.targets().rssMb(), defaults.targets().rssMb());
    }
}
