package io.chronofabric.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs command lines in-process and checks how bad input is refused: exit code 2 and exactly one line on stderr that
 * names what was wrong and what is allowed, with no stack trace anywhere in the output.
 */
public final class UsageErrors
{
    /** What one command line did. */
    public record Result(int code, String out, String err)
    {
        @Override
        public String toString()
        {
            return "exit " + code + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private UsageErrors()
    {
    }

    /**
     * @param args the command line.
     * @return its exit code and what it printed.
     */
    public static Result run(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    /**
     * Runs a command line and checks that it was refused as bad input.
     *
     * @param keywords words the one error line must contain.
     * @param args     the command line.
     * @return what it did.
     */
    public static Result assertRefused(final String[] keywords, final String... args)
    {
        final Result result = run(args);
        assertEquals(Main.EXIT_USAGE, result.code(), result::toString);
        assertOneLine(result, keywords);
        return result;
    }

    /**
     * @param result   what a command line did.
     * @param keywords words its one error line must contain.
     */
    public static void assertOneLine(final Result result, final String... keywords)
    {
        final String err = result.err().strip();
        assertEquals(1, err.lines().count(), () -> "expected exactly one line on stderr\n" + result);
        for (final String output : new String[] {result.out(), result.err()})
        {
            assertFalse(output.contains("Exception"), () -> "an exception leaked\n" + result);
            assertFalse(output.contains("at io."), () -> "a stack trace leaked\n" + result);
        }
        for (final String keyword : keywords)
        {
            assertTrue(err.contains(keyword), () -> "expected '" + keyword + "' in the error line\n" + result);
        }
    }

    /** @return the words, for {@link #assertRefused}. */
    public static String[] words(final String... words)
    {
        return words;
    }
}
