package io.chronofabric.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Words what the command-line parser refused, before any command's own checks, as one line that says what was wrong
 * and what is allowed: Java's type names become the product's ("a whole number"), a value refused for an option or
 * parameter is followed by that option's description (which states its range), and an unknown option by the options
 * the command has.
 */
final class ParserRefusal
{
    private ParserRefusal()
    {
    }

    /**
     * @param ex what the parser refused.
     * @return one line: what was wrong, then what is allowed.
     */
    static String describe(final ParameterException ex)
    {
        final String what = inProductWords(oneLine(ex.getMessage()));
        if (ex instanceof UnmatchedArgumentException unmatched && null != ex.getCommandLine())
        {
            return what + allowedInstead(unmatched, ex.getCommandLine().getCommandSpec());
        }
        if (ex instanceof MissingParameterException missing && !missing.getMissing().isEmpty())
        {
            return what + "; allowed: " + missing.getMissing().stream().map(ParserRefusal::named)
                .collect(Collectors.joining("; "));
        }
        final ArgSpec arg = ex.getArgSpec();
        // a command's own check names what is allowed itself
        if (null == arg || 0 == arg.description().length || what.contains("allowed"))
        {
            return what;
        }
        return what + "; allowed: " + typeOf(arg) + descriptionOf(arg);
    }

    /** What the command takes where an argument it does not know stood, and picocli's guesses at what was meant. */
    private static String allowedInstead(final UnmatchedArgumentException unmatched, final CommandSpec command)
    {
        final String allowed;
        if (!command.subcommands().isEmpty())
        {
            allowed = "; allowed subcommands: " + String.join(", ", new TreeSet<>(command.subcommands().keySet()));
        }
        else if (unmatched.getUnmatched().stream().anyMatch(argument -> argument.startsWith("-")) ||
            command.positionalParameters().isEmpty())
        {
            allowed = "; allowed options: " + optionsOf(command);
        }
        else
        {
            allowed = "; allowed: " + command.positionalParameters().stream().map(ArgSpec::paramLabel)
                .collect(Collectors.joining(" ")) + " and options";
        }
        final List<String> suggestions = unmatched.getSuggestions();
        return allowed + (suggestions.isEmpty() ? "" : " (did you mean " + String.join(" or ", suggestions) + "?)");
    }

    private static String named(final ArgSpec arg)
    {
        final String name = arg instanceof OptionSpec option ? option.longestName() : arg.paramLabel();
        return name + ", " + typeOf(arg) + descriptionOf(arg);
    }

    /** The option's description, which states its range: the line goes on after it, so without its full stop. */
    private static String descriptionOf(final ArgSpec arg)
    {
        return oneLine(String.join(" ", arg.description())).replaceAll("\\.$", "");
    }

    private static String inProductWords(final String message)
    {
        // picocli says so of a value out of the type's range too
        return message.replace("is not a long", "is not a whole number in range").replace("is not an int",
            "is not a whole number in range").replace("is not a double", "is not a number");
    }

    private static String typeOf(final ArgSpec arg)
    {
        if (arg.converters().length > 0)
        {
            // the option reads its own forms (a time, an index): its description names them
            return "";
        }
        final Class<?> type = arg.type();
        if (long.class == type || int.class == type || Long.class == type || Integer.class == type)
        {
            return "a whole number: ";
        }
        if (double.class == type || Double.class == type)
        {
            return "a number: ";
        }
        if (Path.class == type)
        {
            return "a path: ";
        }
        return "";
    }

    private static String optionsOf(final CommandSpec command)
    {
        return command.options().stream().filter(option -> !option.hidden()).map(OptionSpec::longestName).sorted()
            .collect(Collectors.joining(", "));
    }

    /** @return the message on one line; "invalid input" for none. */
    static String oneLine(final String message)
    {
        return null == message ? "invalid input" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
