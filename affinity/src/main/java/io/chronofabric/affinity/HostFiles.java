package io.chronofabric.affinity;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the host's {@code /proc} and {@code /sys} files below a root folder: {@code /} on a real host, a folder of
 * prepared files in tests. Every read is optional: inside containers and VMs many of these files are missing or
 * unreadable, and a missing fact is reported as unknown, never as a failure.
 */
public final class HostFiles
{
    private static final HostFiles SYSTEM = new HostFiles(Path.of("/"));

    private final Path root;

    /**
     * @param root the folder that stands for {@code /}.
     */
    public HostFiles(final Path root)
    {
        this.root = root;
    }

    /** @return the files of the host this JVM runs on. */
    public static HostFiles system()
    {
        return SYSTEM;
    }

    /**
     * @param path an absolute host path such as {@code /proc/cmdline}.
     * @return its content, trimmed, or empty when it is missing or unreadable.
     */
    public Optional<String> read(final String path)
    {
        // not Files.readString: a /proc or /sys file reports size 0, so that reads one byte first, and a sysctl file
        // (/proc/sys/vm/swappiness: "60") then reads as its first character; read in one go with a whole buffer
        try (InputStream in = Files.newInputStream(resolve(path)))
        {
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
        }
        catch (final IOException | UncheckedIOException | SecurityException ex)
        {
            return Optional.empty();
        }
    }

    /**
     * @param path a host folder such as {@code /proc/irq}.
     * @return the names of its entries, sorted; empty when it is missing or unreadable.
     */
    public List<String> list(final String path)
    {
        final List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(resolve(path)))
        {
            entries.forEach(entry -> names.add(entry.getFileName().toString()));
        }
        catch (final IOException | UncheckedIOException | SecurityException ex)
        {
            return List.of();
        }
        names.sort(null);
        return names;
    }

    /** @param path an absolute host path. @return where it lies below the root. */
    public Path resolve(final String path)
    {
        return root.resolve(path.startsWith("/") ? path.substring(1) : path);
    }
}
