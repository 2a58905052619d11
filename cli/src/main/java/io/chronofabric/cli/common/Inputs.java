package io.chronofabric.cli.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

import io.chronofabric.engine.config.Settings;
import io.chronofabric.journal.JournalFileCheck;
import io.chronofabric.journal.JournalFiles;
import io.chronofabric.journal.TraceLayout;
import io.chronofabric.journal.TraceReader;
import io.chronofabric.journal.WriteProbe;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The checks every command applies to its options and arguments before it does any work, so that bad input fails
 * the same way everywhere: a {@link ParameterException} that {@link Main} prints as one line, exit code 2, naming the
 * option, the value and what is allowed. Numbers are checked against a closed range (never NaN or infinite); paths
 * are checked for what the command will do with them (read a folder, write a file, write into a folder), since a
 * failure found only after the work is done loses the work.
 */
public final class Inputs
{
    private Inputs()
    {
    }

    /**
     * @param spec    the command.
     * @param option  the option or argument, e.g. {@code --rate}.
     * @param value   the value as given.
     * @param allowed what the option accepts.
     * @return the usage error to throw: "{@code OPTION VALUE is invalid; allowed: ALLOWED}".
     */
    public static ParameterException invalid(final CommandSpec spec, final String option, final Object value,
        final String allowed)
    {
        return refused(spec, option + " " + value + " is invalid; allowed: " + allowed);
    }

    /**
     * @param spec    the command.
     * @param message the whole line: what was wrong and what is allowed.
     * @return the usage error to throw.
     */
    public static ParameterException refused(final CommandSpec spec, final String message)
    {
        return new ParameterException(spec.commandLine(), message);
    }

    /**
     * @param spec   the command, parsed.
     * @param option an option that takes a value.
     * @return the value as the user wrote it (not as converted), for messages.
     */
    public static String given(final CommandSpec spec, final String option)
    {
        final List<String> values = spec.findOption(option).originalStringValues();
        return values.isEmpty() ? "" : values.get(values.size() - 1);
    }

    /**
     * @param spec   the command.
     * @param option the option.
     * @param value  its value.
     * @param min    the smallest value allowed.
     * @param max    the largest value allowed; {@link Long#MAX_VALUE} for no upper bound.
     * @param unit   what the value counts, e.g. {@code milliseconds}.
     * @return the value.
     * @throws ParameterException when it is out of range.
     */
    public static long inRange(final CommandSpec spec, final String option, final long value, final long min,
        final long max, final String unit)
    {
        if (value < min || value > max)
        {
            throw invalid(spec, option, value, Long.MAX_VALUE == max ? unit + " >= " + min :
                unit + " in [" + min + ", " + max + "]");
        }
        return value;
    }

    /**
     * @param spec   the command.
     * @param option the option.
     * @param text   its value as given.
     * @param min    the smallest value allowed, above 0 where the value divides a time.
     * @param max    the largest value allowed.
     * @param unit   what the value measures, e.g. {@code seconds}.
     * @return the value, finite and within [min, max].
     * @throws ParameterException when it is not a number, not finite, or out of range.
     */
    public static double number(final CommandSpec spec, final String option, final String text, final double min,
        final double max, final String unit)
    {
        return parse(text, min, max).orElseThrow(() -> invalid(spec, option, text, range(unit, min, max)));
    }

    /**
     * A rate or speed that may also be {@code max}: as fast as possible.
     *
     * @param spec   the command.
     * @param option the option.
     * @param text   its value as given.
     * @param min    the smallest value allowed: a smaller one would pace messages so far apart that the command
     *               would seem to hang.
     * @param max    the largest value allowed.
     * @param unit   what the value measures, e.g. {@code messages per second}.
     * @return the value, or 0 for {@code max}.
     * @throws ParameterException when it is neither {@code max} nor a finite number within [min, max].
     */
    public static double numberOrMax(final CommandSpec spec, final String option, final String text,
        final double min, final double max, final String unit)
    {
        if ("max".equals(text.trim().toLowerCase(Locale.ROOT)))
        {
            return 0;
        }
        return parse(text, min, max).orElseThrow(() -> invalid(spec, option, text,
            range(unit, min, max) + ", or max"));
    }

    /**
     * A journal folder a command reads.
     *
     * @param spec the command.
     * @param dir  the folder argument.
     * @return the folder, which exists and can be read, as can its queue folders and their Chronicle files.
     * @throws ParameterException when it is missing, a file, or it or anything the journal tool reads in it is
     *     unreadable by this user.
     */
    public static Path journalFolder(final CommandSpec spec, final Path dir)
    {
        if (Files.exists(dir) && !Files.isDirectory(dir))
        {
            throw refused(spec, dir + " is a file, not a journal folder; allowed: the folder a run wrote, e.g. " +
                "data/journal");
        }
        if (!Files.isDirectory(dir))
        {
            throw refused(spec, "journal folder " + dir + " does not exist");
        }
        if (!readableFolder(dir))
        {
            throw refused(spec, "journal folder " + dir + " is not readable by this user");
        }
        // every command reads the queues beside the records too (trace, dead letters, settlement log), and checks
        // their files before Chronicle maps them: a folder or file this user cannot read is a matter of permissions,
        // to be said as such, not a stack trace or a report of corruption
        for (final Path queueDir : JournalFileCheck.queueDirs(dir))
        {
            if (!queueDir.equals(dir) && Files.exists(queueDir) && !readableFolder(queueDir))
            {
                throw refused(spec, "journal folder " + queueDir + " is not readable by this user");
            }
            final Path unreadable = firstUnreadableFile(queueDir);
            if (null != unreadable)
            {
                throw refused(spec, (unreadable.equals(queueDir) ? "journal folder " : "journal file ") + unreadable +
                    " is not readable by this user");
            }
        }
        return dir;
    }

    /** Listing a folder takes read permission, opening what it holds takes execute (search) permission. */
    private static boolean readableFolder(final Path dir)
    {
        return Files.isReadable(dir) && Files.isExecutable(dir);
    }

    /**
     * @return the first Chronicle file (roll or metadata file) of a queue folder that this user cannot read; the
     *     folder itself when it cannot be listed; null when all can be read or the folder is absent.
     */
    private static Path firstUnreadableFile(final Path queueDir)
    {
        if (!Files.isDirectory(queueDir))
        {
            return null;
        }
        try (Stream<Path> files = Files.list(queueDir))
        {
            return files.filter(file -> isChronicleFile(file) && !Files.isReadable(file)).sorted().findFirst()
                .orElse(null);
        }
        catch (final IOException | UncheckedIOException ex)
        {
            return queueDir;
        }
    }

    private static boolean isChronicleFile(final Path file)
    {
        final String name = file.getFileName().toString();
        return name.endsWith(JournalFiles.ROLL_FILE_SUFFIX) || name.endsWith(JournalFileCheck.METADATA_SUFFIX);
    }

    /**
     * A journal folder a command reads, which must hold a journal.
     *
     * @param spec the command.
     * @param dir  the folder argument.
     * @return the folder, which exists, can be read and holds at least one roll file.
     * @throws ParameterException otherwise.
     */
    public static Path heldJournal(final CommandSpec spec, final Path dir)
    {
        journalFolder(spec, dir);
        if (JournalFiles.rollFiles(dir).isEmpty())
        {
            throw refused(spec, "folder " + dir + " holds no journal (no " + JournalFiles.ROLL_FILE_SUFFIX +
                " roll files)");
        }
        return dir;
    }

    /**
     * A journal folder whose latency trace a command reads.
     *
     * @param spec the command.
     * @param dir  the folder argument.
     * @return the folder, which holds a journal with a trace.
     * @throws ParameterException when it is no readable journal folder, holds no journal, or no trace.
     */
    public static Path tracedJournal(final CommandSpec spec, final Path dir)
    {
        heldJournal(spec, dir);
        if (!TraceReader.exists(dir))
        {
            throw refused(spec, "journal " + dir + " has no latency trace (no roll files in " +
                TraceLayout.traceDir(dir) + "): it was written with " + Settings.LATENCY_TRACE.name() + "=false, or " +
                "by no engine yet; run with " + Settings.LATENCY_TRACE.name() + "=true (the default) to record one");
        }
        return dir;
    }

    /**
     * A file a command writes: checked before the work that produces it.
     *
     * @param spec   the command.
     * @param option the option naming the file.
     * @param file   the file.
     * @return the file: not a folder, in an existing folder this user can write, and writable if it exists.
     * @throws ParameterException otherwise.
     */
    public static Path outputFile(final CommandSpec spec, final String option, final Path file)
    {
        final String allowed = "; allowed: a file in an existing folder this user can write";
        final Path absolute = file.toAbsolutePath();
        if (Files.isDirectory(absolute))
        {
            throw refused(spec, option + " " + file + " is a folder" + allowed);
        }
        final Path folder = absolute.getParent();
        if (null == folder || !Files.exists(folder))
        {
            throw refused(spec, option + " " + file + ": folder " + folder + " does not exist" + allowed);
        }
        if (!Files.isDirectory(folder))
        {
            throw refused(spec, option + " " + file + ": " + folder + " is a file, not a folder" + allowed);
        }
        if (!Files.isWritable(folder) || Files.exists(absolute) && !Files.isWritable(absolute))
        {
            throw refused(spec, option + " " + file + " is not writable by this user" + allowed);
        }
        final String cannot = WriteProbe.cannotWrite(absolute);
        if (null != cannot)
        {
            throw refused(spec, option + " " + file + " cannot be written: " + cannot + allowed);
        }
        return file;
    }

    /**
     * A folder a command creates if absent and writes into, with everything already in it (a journal appends to its
     * roll files and adds folders and files beside them).
     *
     * @param spec    the command.
     * @param subject how the message names the folder, e.g. {@code --journal data/journal}.
     * @param dir     the folder.
     * @return the folder.
     * @throws ParameterException when it is a file, cannot be created, or it or anything in it is read-only.
     */
    public static Path writableFolder(final CommandSpec spec, final String subject, final Path dir)
    {
        final String allowed = "; allowed: a folder this user can write (created if absent)";
        if (Files.exists(dir) && !Files.isDirectory(dir))
        {
            throw refused(spec, subject + " is a file, not a folder" + allowed);
        }
        if (!Files.exists(dir))
        {
            Path ancestor = dir.toAbsolutePath().getParent();
            while (null != ancestor && !Files.exists(ancestor))
            {
                ancestor = ancestor.getParent();
            }
            if (null != ancestor && !Files.isDirectory(ancestor))
            {
                throw refused(spec, subject + " cannot be created: " + ancestor + " is a file, not a folder" + allowed);
            }
            if (null == ancestor || !Files.isWritable(ancestor))
            {
                throw refused(spec, subject + " cannot be created: folder " + ancestor + " is not writable" + allowed);
            }
            final String cannot = WriteProbe.cannotCreate(dir);
            if (null != cannot)
            {
                throw refused(spec, subject + " cannot be created: " + cannot + allowed);
            }
            return dir;
        }
        final Path readOnly = firstNotWritable(dir);
        if (null != readOnly)
        {
            throw refused(spec, subject + " is not writable (" + (readOnly.equals(dir) ? "the folder itself" :
                readOnly.toString()) + " is read-only for this user)" + allowed);
        }
        return dir;
    }

    private static Path firstNotWritable(final Path dir)
    {
        try (Stream<Path> paths = Files.walk(dir))
        {
            return paths.filter(path -> !Files.isWritable(path)).findFirst().orElse(null);
        }
        catch (final UncheckedIOException ex)
        {
            return unlistable(dir, ex.getCause());
        }
        catch (final IOException ex)
        {
            return unlistable(dir, ex);
        }
    }

    /** A folder inside that cannot even be listed cannot be written to either. */
    private static Path unlistable(final Path dir, final IOException ex)
    {
        return ex instanceof FileSystemException && null != ((FileSystemException)ex).getFile() ?
            Path.of(((FileSystemException)ex).getFile()) : dir;
    }

    private static Optional<Double> parse(final String text, final double min, final double max)
    {
        try
        {
            final double value = Double.parseDouble(text.trim().replace("_", ""));
            return value >= min && value <= max ? Optional.of(value) : Optional.empty();
        }
        catch (final NumberFormatException ex)
        {
            return Optional.empty();
        }
    }

    private static String range(final String unit, final double min, final double max)
    {
        return unit + " in [" + plain(min) + ", " + plain(max) + "]";
    }

    private static String plain(final double value)
    {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
