package io.chronofabric.cli.journal;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import io.chronofabric.journal.JournalQueues;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Turns the {@code --remove-before} argument of {@code rolls} into a roll cycle number: a cycle as listed, a date
 * (its start, UTC) or an ISO-8601 instant; a time means the first cycle that starts at or after it, so that every
 * cycle before the cut has ended by then.
 */
final class CycleCut
{
    private CycleCut()
    {
    }

    /**
     * @param spec  the command, for usage errors.
     * @param text  the argument.
     * @param dir   the journal folder.
     * @param facts its facts (roll cycle).
     * @return the first cycle to keep.
     * @throws CommandLine.ParameterException for a malformed argument or an unreadable roll cycle.
     */
    static int parse(final CommandSpec spec, final String text, final Path dir, final QueueFacts facts)
    {
        final RollCycle rollCycle = facts.rollCycle();
        if (null == rollCycle)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "cannot read the journal's roll cycle: " +
                facts.problem());
        }
        final String value = text.trim();
        final long epochMillis;
        try
        {
            if (!value.isEmpty() && value.chars().allMatch(Character::isDigit))
            {
                return Integer.parseInt(value);
            }
            epochMillis = value.contains("T") ? TimeConverter.parse(value) / 1_000_000L
                : LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        }
        catch (final DateTimeParseException | CommandLine.TypeConversionException | NumberFormatException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--remove-before " + text + " is " +
                "invalid; allowed: a cycle number, a date (2026-11-24) or an ISO-8601 instant");
        }
        try (ChronicleQueue queue = JournalQueues.openForRead(dir))
        {
            final long epoch = ((SingleChronicleQueue)queue).epoch();
            final long length = rollCycle.lengthInMillis();
            final long cycle = Math.floorDiv(epochMillis - epoch + length - 1, length);
            if (cycle < 0 || cycle > Integer.MAX_VALUE)
            {
                // a cycle is an int: cast, a later time wrapped into a cycle of today and removed real files
                throw new CommandLine.ParameterException(spec.commandLine(), "--remove-before " + text + " is " +
                    "outside the cycles roll cycle " + facts.rollCycleName() + " can number; allowed: a time from " +
                    Instant.ofEpochMilli(epoch) + " to " + Instant.ofEpochMilli(epoch + Integer.MAX_VALUE * length));
            }
            return (int)cycle;
        }
    }
}
