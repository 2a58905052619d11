package io.chronofabric.perf.model;

/**
 * One thread's use of the CPU during a trial.
 *
 * @param name        the thread's role and name, e.g. {@code publisher} or {@code cf-journal+sequencer+router+delivery}.
 * @param cpuNanos    CPU time it used during the trial.
 * @param utilisation that CPU time over the trial's wall time: 1.0 is one core kept fully busy.
 * @param allocatedBytes bytes it allocated during the trial, warm-up of the trial included.
 */
public record ThreadStat(String name, long cpuNanos, double utilisation, long allocatedBytes)
{
}
