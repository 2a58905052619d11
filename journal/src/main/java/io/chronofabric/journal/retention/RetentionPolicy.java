package io.chronofabric.journal.retention;

/**
 * Which roll cycles of a journal retention wants gone, oldest first; a cycle is deleted only when it also holds no
 * unsettled message. Each limit is off at 0; a cycle is wanted gone when any limit that is on says so.
 *
 * @param maxAgeMillis a cycle whose end lies more than this far in the past is wanted gone.
 * @param maxBytes     while the journal's roll files take more disk than this, its oldest cycle is wanted gone.
 * @param keepCycles   every cycle but the newest this many is wanted gone.
 */
public record RetentionPolicy(long maxAgeMillis, long maxBytes, int keepCycles)
{
    /** No retention: nothing is ever deleted. */
    public static final RetentionPolicy OFF = new RetentionPolicy(0, 0, 0);

    /**
     * @throws IllegalArgumentException for a negative limit.
     */
    public RetentionPolicy
    {
        if (maxAgeMillis < 0 || maxBytes < 0 || keepCycles < 0)
        {
            throw new IllegalArgumentException("retention limits are >= 0 (0: off): max-age-ms=" + maxAgeMillis +
                ", max-bytes=" + maxBytes + ", keep-cycles=" + keepCycles);
        }
    }

    /** @return true when no limit is on. */
    public boolean isOff()
    {
        return 0 == maxAgeMillis && 0 == maxBytes && 0 == keepCycles;
    }

    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder();
        if (0 < maxAgeMillis)
        {
            text.append("max-age ").append(maxAgeMillis).append(" ms");
        }
        if (0 < maxBytes)
        {
            text.append(text.isEmpty() ? "" : ", ").append("max-bytes ").append(maxBytes);
        }
        if (0 < keepCycles)
        {
            text.append(text.isEmpty() ? "" : ", ").append("keep-cycles ").append(keepCycles);
        }
        return text.isEmpty() ? "off" : text.toString();
    }
}
