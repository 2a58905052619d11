package io.chronofabric.engine.api;

/**
 * The engine met a fault it cannot survive and refuses publishes from then on: a pipeline stage failed, or the
 * journal could not be written ({@link JournalFailedException}). What was acknowledged before stays journaled; the
 * pipeline threads go on draining so that {@link ChronoFabric#close()} returns. The cause is the original fault.
 */
public class EngineFailedException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed and what it means for the caller.
     * @param cause   the fault.
     */
    public EngineFailedException(final String message, final Throwable cause)
    {
        super(message, cause);
    }

    /**
     * @param cause a fault.
     * @return it in one line for an operator, saying "disk full or file system error" when it is one: a write into a
     *     mapped page that the file system cannot back shows as an {@link InternalError}, not as an I/O exception.
     */
    public static String describe(final Throwable cause)
    {
        for (Throwable t = cause; null != t; t = t.getCause())
        {
            if (t instanceof InternalError || String.valueOf(t.getMessage()).contains("No space left"))
            {
                return "disk full or file system error: " + cause;
            }
        }
        return String.valueOf(cause);
    }
}
