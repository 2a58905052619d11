package io.chronofabric.perf.model;

/**
 * One of the engine's performance promises, checked against this run.
 *
 * @param name        a stable key, e.g. {@code throughput_vs_disruptor_chronicle}.
 * @param description the promise in words.
 * @param value       what this run measured.
 * @param threshold   the bound the promise sets.
 * @param unit        the unit of both.
 * @param met         whether the value keeps the promise; null when this run could not tell (e.g. a system left out).
 */
public record Check(String name, String description, double value, double threshold, String unit, Boolean met)
{
}
