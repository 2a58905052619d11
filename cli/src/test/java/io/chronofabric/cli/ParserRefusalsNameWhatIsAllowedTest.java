package io.chronofabric.cli;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the command-line parser itself refuses (a value of the wrong type, an unknown option, a missing parameter),
 * before any command's own checks: one line, exit 2, naming what was wrong and what is allowed, in the product's
 * words rather than Java's ("a whole number", not "a long").
 */
class ParserRefusalsNameWhatIsAllowedTest
{
    static Stream<Arguments> refusals()
    {
        return Stream.of(
            Arguments.of(new String[] {"'abc'", "--messages", "whole number", "allowed:", ">= 1"},
                new String[] {"run", "--messages", "abc"}),
            Arguments.of(new String[] {"'x'", "--rounds", "whole number", "allowed:"},
                new String[] {"perf", "--rounds", "x"}),
            Arguments.of(new String[] {"'1.5'", "--warmup", "whole number", "allowed:"},
                new String[] {"run", "--warmup", "1.5"}),
            Arguments.of(new String[] {"--bogus", "allowed options:", "--messages", "--journal"},
                new String[] {"run", "--bogus"}),
            Arguments.of(new String[] {"--journal", "allowed options:", "--json"},
                new String[] {"journal", "stats", "--journal", "/tmp/x"}),
            Arguments.of(new String[] {"DIR", "allowed:", "journal folder"},
                new String[] {"journal", "verify"}),
            Arguments.of(new String[] {"verfy", "allowed subcommands:", "verify", "did you mean"},
                new String[] {"journal", "verfy", "/tmp/x"}),
            Arguments.of(new String[] {"'b'", "allowed: DIR and options"},
                new String[] {"journal", "verify", "/tmp/a", "b"}),
            Arguments.of(new String[] {"'99999999999'", "whole number in range", "allowed:"},
                new String[] {"perf", "--rounds", "99999999999"}));
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void shouldRefuseInOneLineNamingWhatWasWrongAndWhatIsAllowed(final String[] keywords, final String[] args)
    {
        final UsageErrors.Result result = UsageErrors.assertRefused(keywords, args);
        UsageErrors.assertOneLine(result, "chronofabric:");
        if (result.err().contains(" a long") || result.err().contains(" an int"))
        {
            throw new AssertionError("Java's type name in the refusal: " + result.err());
        }
    }
}
