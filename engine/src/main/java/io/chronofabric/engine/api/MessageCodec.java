package io.chronofabric.engine.api;

import java.nio.ByteBuffer;

/**
 * Encodes and decodes one message type for the convenient object publish and subscribe path. Registered per type
 * on the {@code EngineConfiguration.Builder}. Must be thread-safe (stateless), as every publisher and the delivery
 * thread use it.
 *
 * @param <T> the message class.
 */
public interface MessageCodec<T>
{
    /** @return the message class this codec handles. */
    Class<T> messageClass();

    /**
     * @param message the message to encode.
     * @param payload the buffer to write it into, as for {@link PayloadWriter#write}.
     */
    void encode(T message, ByteBuffer payload);

    /**
     * @param payload a buffer positioned at the start of an encoded message.
     * @return the decoded message.
     */
    T decode(ByteBuffer payload);
}
