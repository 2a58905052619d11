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
     * Reads the argument, before the journal is opened: a malformed one is refused without touching the journal.
     *
     * @param spec the command, for usage errors.
     * @param text the argument.
     * @return the cut, as a cycle number or a time.
     * @throws CommandLine.ParameterException for a malformed argument.
     */
    static CycleCut.Given parse(final CommandSpec spec, final String text)
    {
        final String value = text.trim();
        try
        {
            if (!value.isEmpty() && value.chars().allMatch(Character::isDigit))
            {
                return new Given(text, Integer.parseInt(value), 0);
            }
            return new Given(text, -1, value.contains("T") ? TimeConverter.parse(value) / 1_000_000L
                : LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
        }
        catch (final DateTimeParseException | CommandLine.TypeConversionException | NumberFormatException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--remove-before " + text + " is " +
                "invalid; allowed: a cycle number, a date (2026-11-24) or an ISO-8601 instant");
        }
    }

    /**
     * The {@code --remove-before} argument as read by {@link #parse}.
     *
     * @param text        the argument, for messages.
     * @param cycle       the cycle number given; -1 when a time was.
     * @param epochMillis the time given, in milliseconds since the epoch, when no cycle number was.
     */
    record Given(String text, int cycle, long epochMillis)
    {
    }

    /**
     * @param spec  the command, for usage errors.
     * @param given the argument, read by {@link #parse}.
     * @param dir   the journal folder.
     * @param facts its facts (roll cycle).
     * @return the first cycle to keep.
     * @throws CommandLine.ParameterException for a time outside the cycles or an unreadable roll cycle.
     */
    static int cycle(final CommandSpec spec, final Given given, final Path dir, final QueueFacts facts)
    {
        final RollCycle rollCycle = facts.rollCycle();
        if (null == rollCycle)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "cannot read the journal's roll cycle: " +
                facts.problem());
        }
        if (given.cycle() >= 0)
        {
            return given.cycle();
        }
        final String text = given.text();
        final long epochMillis = given.epochMillis();
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
