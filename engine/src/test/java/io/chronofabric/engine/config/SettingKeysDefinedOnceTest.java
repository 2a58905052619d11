package io.chronofabric.engine.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each setting's key is written once in all main sources of all modules, in {@link Settings}: everything else names it
 * through the constant ({@code Settings.RING_SIZE.name()}), so that a key cannot drift between the parser, the
 * setter, the messages and {@code profiles show}.
 */
class SettingKeysDefinedOnceTest
{
    /** The repository root: tests run in the engine module's folder. */
    private static final Path ROOT = Path.of("..");
    private static final Path CATALOG = Path.of("engine", "src", "main", "java", "io", "chronofabric", "engine",
        "config", "Settings.java");

    @Test
    void shouldWriteEveryKeyOnceInTheMainSourcesOfAllModulesInTheCatalog() throws IOException
    {
        final List<Path> sources = mainSources();
        final Set<String> modules = sources.stream().map(path -> path.getName(0).toString())
            .collect(Collectors.toCollection(TreeSet::new));
        assertTrue(modules.containsAll(Set.of("affinity", "cli", "engine", "journal", "perf")), modules::toString);
        final List<String> problems = new ArrayList<>();
        for (final Setting<?> setting : Settings.all())
        {
            final String literal = "\"" + setting.name() + "\"";
            final List<String> places = new ArrayList<>();
            for (final Path source : sources)
            {
                // ISO-8859-1 reads any file, text or not, byte for byte
                final String[] lines = new String(Files.readAllBytes(ROOT.resolve(source)),
                    StandardCharsets.ISO_8859_1).split("\n", -1);
                for (int i = 0; i < lines.length; i++)
                {
                    if (lines[i].contains(literal))
                    {
                        places.add(source + ":" + (i + 1));
                    }
                }
            }
            if (1 != places.size() || !places.get(0).startsWith(CATALOG + ":"))
            {
                problems.add(literal + " at " + places);
            }
        }
        assertEquals(List.of(), problems, "each key is written once, in " + CATALOG +
            "; elsewhere name it through its constant, e.g. Settings.RING_SIZE.name()");
    }

    /** @return every file under a module's src/main, relative to the repository root. */
    private static List<Path> mainSources() throws IOException
    {
        final List<Path> sources = new ArrayList<>();
        try (Stream<Path> modules = Files.list(ROOT))
        {
            for (final Path module : (Iterable<Path>)modules.sorted()::iterator)
            {
                final Path main = module.resolve("src").resolve("main");
                if (Files.isDirectory(main))
                {
                    try (Stream<Path> files = Files.walk(main))
                    {
                        files.filter(Files::isRegularFile).forEach(file -> sources.add(ROOT.relativize(file)));
                    }
                }
            }
        }
        return sources;
    }
}
