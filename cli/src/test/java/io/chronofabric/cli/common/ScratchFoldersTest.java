package io.chronofabric.cli.common;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A scratch folder a killed process left (a warm-up journal of hundreds of megabytes) is deleted by the next process
 * that makes one of its kind; the folders of live processes, of other kinds, and of names not of the form are kept.
 */
class ScratchFoldersTest
{
    private static final String PREFIX = "chronofabric-warmup";

    @TempDir
    Path tmp;

    @Test
    void shouldDeleteOnlyTheFoldersOfProcessesNoLongerAlive() throws Exception
    {
        final Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        final long dead = finished.pid();
        final long alive = ProcessHandle.current().pid();
        final Path leftBehind = folderWithAFile(PREFIX + "-" + dead + "-123");
        final Path live = folderWithAFile(PREFIX + "-" + alive + "-456");
        final Path otherKind = folderWithAFile("chronofabric-replay-" + dead + "-789");
        final Path oldName = folderWithAFile(PREFIX + "8127361");

        ScratchFolders.deleteLeftBehind(tmp, PREFIX);

        assertFalse(Files.exists(leftBehind), "left by a process no longer alive");
        assertTrue(Files.exists(live.resolve("file")), "a live process's");
        assertTrue(Files.exists(otherKind.resolve("file")), "another kind's");
        assertTrue(Files.exists(oldName.resolve("file")), "a name without a process id");
    }

    @Test
    void shouldReadTheProcessIdOnlyFromANameOfTheForm()
    {
        assertEquals(42, ScratchFolders.pidOf(PREFIX + "-42-8817", PREFIX));
        assertEquals(-1, ScratchFolders.pidOf(PREFIX + "-x42-8817", PREFIX));
        assertEquals(-1, ScratchFolders.pidOf(PREFIX + "--8817", PREFIX));
        assertEquals(-1, ScratchFolders.pidOf(PREFIX + "42", PREFIX));
        assertEquals(-1, ScratchFolders.pidOf("chronofabric-replay-42-1", PREFIX));
    }

    @Test
    void shouldNameTheFolderWithThisProcessAndDeleteItWhole() throws Exception
    {
        final Path folder = ScratchFolders.create(PREFIX);
        try
        {
            assertEquals(ProcessHandle.current().pid(), ScratchFolders.pidOf(folder.getFileName().toString(), PREFIX));
            Files.createDirectories(folder.resolve("a/b"));
            Files.writeString(folder.resolve("a/b/c"), "x");
        }
        finally
        {
            ScratchFolders.delete(folder);
        }
        assertFalse(Files.exists(folder));
    }

    private Path folderWithAFile(final String name) throws Exception
    {
        final Path folder = Files.createDirectory(tmp.resolve(name));
        Files.writeString(folder.resolve("file"), "journal");
        return folder;
    }
}
