package io.chronofabric.engine;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * Captures what the engine logs at WARN or above from the classes a test names, while open: the lines a user or an
 * operator reads are part of what the engine promises.
 */
public final class CapturedLog extends AbstractAppender implements AutoCloseable
{
    private final Logger logger = (Logger)LogManager.getLogger("io.chronofabric.engine");
    private final String loggerSuffix;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<String> withStackTrace = new CopyOnWriteArrayList<>();

    /** @param loggerSuffix how the names of the loggers to capture end, e.g. {@code "JournalRecovery"}. */
    public CapturedLog(final String loggerSuffix)
    {
        super("captured-" + loggerSuffix, null, null, true, Property.EMPTY_ARRAY);
        this.loggerSuffix = loggerSuffix;
        start();
        logger.addAppender(this);
    }

    @Override
    public void append(final LogEvent event)
    {
        if (event.getLevel().isMoreSpecificThan(Level.WARN) && event.getLoggerName().endsWith(loggerSuffix))
        {
            lines.add(event.getMessage().getFormattedMessage());
            if (null != event.getThrown())
            {
                withStackTrace.add(event.getMessage().getFormattedMessage());
            }
        }
    }

    /** @return the lines captured so far, in order. */
    public List<String> lines()
    {
        return List.copyOf(lines);
    }

    /** @return the lines captured so far that were logged with a stack trace, in order. */
    public List<String> linesWithStackTrace()
    {
        return List.copyOf(withStackTrace);
    }

    @Override
    public void close()
    {
        logger.removeAppender(this);
        stop();
    }
}
