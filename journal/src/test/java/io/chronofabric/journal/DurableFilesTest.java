package io.chronofabric.journal;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A properties file is replaced whole and leaves no temporary file behind. (That it survives a power loss, which is
 * why it is forced with its folder, is not something a test on a running machine can show.)
 */
class DurableFilesTest
{
    @TempDir
    Path dir;

    @Test
    void replacesTheFileWholeAndLeavesNoTemporaryFile() throws IOException
    {
        final Path file = dir.resolve("summary.properties");
        final Properties first = new Properties();
        first.setProperty("a", "1");
        first.setProperty("b", "2");
        DurableFiles.storeProperties(file, first, "first");
        final Properties second = new Properties();
        second.setProperty("a", "3");
        DurableFiles.storeProperties(file, second, "second");

        final Properties read = new Properties();
        try (Reader reader = Files.newBufferedReader(file))
        {
            read.load(reader);
        }
        assertEquals(second, read, "the second write replaced the first entirely");
        assertEquals(second, DurableFiles.loadProperties(file));
        assertEquals(new Properties(), DurableFiles.loadProperties(dir.resolve("absent.properties")));
        assertFalse(Files.exists(dir.resolve("summary.properties.tmp")));
        try (var listing = Files.list(dir))
        {
            assertEquals(1, listing.count());
        }
    }
}
