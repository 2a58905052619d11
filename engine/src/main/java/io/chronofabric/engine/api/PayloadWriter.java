package io.chronofabric.engine.api;

import java.nio.ByteBuffer;

/**
 * Writes a payload straight into a claimed ring slot: the zero-allocation publish path, in the style of a Disruptor
 * event translator. Implement it as a stateless constant and pass the data as {@code source} so nothing is captured
 * and nothing is allocated per message.
 *
 * @param <A> the type of the data written.
 */
@FunctionalInterface
public interface PayloadWriter<A>
{
    /**
     * @param source  the data to write.
     * @param payload the slot's little-endian buffer, cleared, with the payload capacity as its limit; the payload is
     *     what lies between 0 and its position afterwards. Writing past the limit rejects the publish with
     *     {@link PayloadTooLargeException}.
     */
    void write(A source, ByteBuffer payload);
}
