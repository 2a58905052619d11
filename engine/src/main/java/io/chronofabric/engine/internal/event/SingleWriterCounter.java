package io.chronofabric.engine.internal.event;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A counter written by one thread and read by any: the writer pays an ordered store, never a CAS or a lock.
 */
public final class SingleWriterCounter
{
    private static final VarHandle VALUE;

    static
    {
        try
        {
            VALUE = MethodHandles.lookup().findVarHandle(SingleWriterCounter.class, "value", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    @SuppressWarnings("unused")
    private long value;

    /** Adds one; only the owning thread may call it. */
    public void increment()
    {
        VALUE.setRelease(this, (long)VALUE.getOpaque(this) + 1);
    }

    /** @param delta amount to add; only the owning thread may call it. */
    public void add(final long delta)
    {
        VALUE.setRelease(this, (long)VALUE.getOpaque(this) + delta);
    }

    /** @param value the new value; only the owning thread may call it. */
    public void set(final long value)
    {
        VALUE.setRelease(this, value);
    }

    /** @return the current value, from any thread. */
    public long get()
    {
        return (long)VALUE.getAcquire(this);
    }
}
