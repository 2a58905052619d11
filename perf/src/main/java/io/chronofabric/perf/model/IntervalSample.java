package io.chronofabric.perf.model;

import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;

import org.HdrHistogram.Histogram;

/**
 * One sampling interval of a trial, kept small: its time span, count and percentiles for the over-time chart, and the
 * interval histogram itself compressed (a few hundred bytes instead of a few hundred KB) for the {@code .hlog} file.
 *
 * @param startMillis when the interval started, epoch milliseconds.
 * @param endMillis   when it ended, epoch milliseconds.
 * @param count       latencies recorded in it.
 * @param p50         its median, ns.
 * @param p99         its 99th percentile, ns.
 * @param max         its largest latency, ns.
 * @param compressed  the interval histogram, HdrHistogram's compressed encoding; null when not kept.
 */
public record IntervalSample(long startMillis, long endMillis, long count, long p50, long p99, long max, byte[] compressed)
{
    /**
     * @param interval an interval histogram with its time stamps set.
     * @param buffer   where to encode it, at least {@link Histogram#getNeededByteBufferCapacity()} bytes (reused so
     *                 that sampling a running trial makes little garbage); null not to keep the histogram itself.
     * @return its sample.
     */
    public static IntervalSample of(final Histogram interval, final ByteBuffer buffer)
    {
        byte[] compressed = null;
        if (null != buffer)
        {
            buffer.clear();
            final int length = interval.encodeIntoCompressedByteBuffer(buffer);
            compressed = new byte[length];
            buffer.flip();
            buffer.get(compressed);
        }
        return new IntervalSample(interval.getStartTimeStamp(), interval.getEndTimeStamp(), interval.getTotalCount(),
            interval.getValueAtPercentile(50), interval.getValueAtPercentile(99), interval.getMaxValue(), compressed);
    }

    /** @return the interval histogram, decoded, with its time stamps. */
    public Histogram histogram()
    {
        if (null == compressed)
        {
            throw new IllegalStateException("this interval's histogram was not kept");
        }
        try
        {
            final Histogram histogram = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(compressed), 0);
            histogram.setStartTimeStamp(startMillis);
            histogram.setEndTimeStamp(endMillis);
            return histogram;
        }
        catch (final DataFormatException ex)
        {
            throw new IllegalStateException("corrupt interval histogram", ex);
        }
    }
}
