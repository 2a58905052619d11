package io.chronofabric.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every command's help offers {@code -V, --version}; each prints the product's version (a black-box round found every
 * subcommand printing nothing, exit 0).
 */
class EveryCommandPrintsItsVersionTest
{
    @ParameterizedTest
    @ValueSource(strings = {"", "run", "perf", "profiles", "host-check", "clock", "diagnose", "nodes",
        "trace-anomalies", "journal", "journal latency", "journal verify"})
    void shouldPrintTheVersion(final String command)
    {
        final String line = (command + " -V").trim();
        final UsageErrors.Result result = UsageErrors.run(line.split(" "));
        assertEquals(0, result.code(), result::toString);
        assertEquals(Main.VERSION, result.out().trim(), result::toString);
    }
}
