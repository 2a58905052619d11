package io.chronofabric.cli.observability;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * A Log4j2 appender attached to one logger for the length of a test: what the engine really logs, level and text.
 */
final class CapturedLog extends AbstractAppender implements AutoCloseable
{
    private final Logger logger;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    /** @param loggerClass the class whose logger to capture. */
    CapturedLog(final Class<?> loggerClass)
    {
        super("captured-" + loggerClass.getSimpleName(), null, null, true, Property.EMPTY_ARRAY);
        this.logger = (Logger)LogManager.getLogger(loggerClass);
        start();
        logger.addAppender(this);
    }

    @Override
    public void append(final LogEvent event)
    {
        lines.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
    }

    /** @param level a level. @return the lines logged at it, "LEVEL text" each. */
    List<String> at(final Level level)
    {
        return lines.stream().filter(line -> line.startsWith(level.name() + " ")).collect(Collectors.toList());
    }

    @Override
    public void close()
    {
        logger.removeAppender(this);
        stop();
    }
}
