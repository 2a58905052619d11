package io.chronofabric.cli.analysis;

/**
 * One finding of a health report.
 *
 * @param severity how serious it is.
 * @param area     {@code latency}, {@code memory}, {@code temporal} or {@code delivery}.
 * @param check    what was checked, e.g. {@code wait_strategy_vs_cores}.
 * @param summary  what was found, with the numbers.
 * @param fix      a concrete fix (a setting, a command), or what keeps it healthy for an {@code ok} finding.
 */
public record Finding(Severity severity, String area, String check, String summary, String fix)
{
}
