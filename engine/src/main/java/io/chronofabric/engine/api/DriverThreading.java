package io.chronofabric.engine.api;

/**
 * Which threads run the Aeron media driver a node embeds ({@code node.driver-threading}). Each thread is a hand-off a
 * message crosses between two nodes, and on a host with few cores every thread more shares a core with the pipeline.
 */
public enum DriverThreading
{
    /**
     * On the node's own conductor thread, with the Aeron client's conductor (Aeron's invoker mode): the fewest threads
     * and hand-offs. The default: on 2 cores it halved the two-node median latency against a thread of its own.
     */
    NODE_THREAD,
    /** On one thread of its own for the driver's conductor, sender and receiver (Aeron's shared mode). */
    SHARED,
    /** On three threads of their own: conductor, sender, receiver (Aeron's dedicated mode), for hosts with the cores. */
    DEDICATED;

    /**
     * @param name a mode's name, case-insensitive, '-' for '_'.
     * @return the mode.
     * @throws IllegalArgumentException naming the allowed values.
     */
    public static DriverThreading parse(final String name)
    {
        return EnumLabels.parse(DriverThreading.class, name, "driver threading");
    }

    /** @return the accepted names, comma separated. */
    public static String allowed()
    {
        return EnumLabels.allowed(DriverThreading.class);
    }

    /** @return the lower-case name with '-', as profiles write it. */
    public String label()
    {
        return EnumLabels.label(this);
    }
}
