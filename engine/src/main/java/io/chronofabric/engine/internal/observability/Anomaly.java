package io.chronofabric.engine.internal.observability;

import io.chronofabric.engine.api.Stage;

/**
 * One message flow anomaly: a stuck message, a slow hop or a dead letter.
 *
 * @param kind          what was found.
 * @param stage         the stage it happened in (for a hop: the stage the message was going through).
 * @param messageId     the message's id, or -1 when the stage cannot tell which message it is.
 * @param subscriberId  the subscriber it concerns, or -1 when none (or the message as a whole).
 * @param durationNanos how long the message was stuck or the hop took; 0 for a dead letter.
 * @param detail        a short explanation (the dead-letter reason, what the message waits for), never null.
 */
public record Anomaly(AnomalyKind kind, Stage stage, long messageId, int subscriberId, long durationNanos,
    String detail)
{
    /** @return one line for logs and tables. */
    public String describe()
    {
        final StringBuilder line = new StringBuilder(kind.label()).append(" in ").append(stage.label()).append(": ");
        line.append(-1 == messageId ? "message id unknown" : "message " + messageId);
        if (-1 != subscriberId)
        {
            line.append(", subscriber ").append(subscriberId);
        }
        if (0 != durationNanos)
        {
            line.append(", ").append(String.format("%.3f ms", durationNanos / 1e6));
        }
        if (!detail.isEmpty())
        {
            line.append(" (").append(detail).append(')');
        }
        return line.toString();
    }
}
