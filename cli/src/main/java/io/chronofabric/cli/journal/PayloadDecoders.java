package io.chronofabric.cli.journal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.chronofabric.cli.workload.TradingMessages;

/**
 * The names and payload decoders the tool knows: message types with a name and a decoder show their payload as
 * fields, others as hex. {@link #trading()} knows the built-in workload's tick, signal and order.
 */
final class PayloadDecoders
{
    /** Turns a payload into named fields; returns null when the bytes do not fit the layout. */
    interface Decoder
    {
        /**
         * @param payload the payload, little-endian, position 0, limit at its end.
         * @return the fields in layout order, or null when the payload is too short for the layout.
         */
        Map<String, Object> decode(ByteBuffer payload);
    }

    private final Map<Integer, String> typeNames = new TreeMap<>();
    private final Map<Integer, Decoder> decoders = new TreeMap<>();
    private final Map<Integer, String> sourceNames = new TreeMap<>();

    private PayloadDecoders()
    {
    }

    /** @return the decoders of the built-in trading workload. */
    static PayloadDecoders trading()
    {
        final PayloadDecoders decoders = new PayloadDecoders();
        decoders.type(TradingMessages.TICK, "tick", PayloadDecoders::tick);
        decoders.type(TradingMessages.SIGNAL, "signal", PayloadDecoders::signal);
        decoders.type(TradingMessages.ORDER, "order", PayloadDecoders::order);
        decoders.sourceNames.put(TradingMessages.FEED_SOURCE, "feed");
        decoders.sourceNames.put(TradingMessages.STRATEGY_SOURCE, "strategy");
        decoders.sourceNames.put(TradingMessages.OMS_SOURCE, "oms");
        return decoders;
    }

    private void type(final int type, final String name, final Decoder decoder)
    {
        typeNames.put(type, name);
        decoders.put(type, decoder);
    }

    /** @param type a message type. @return its name, or null when unknown. */
    String typeName(final int type)
    {
        return typeNames.get(type);
    }

    /** @param source a source id. @return its name, or null when unknown. */
    String sourceName(final int source)
    {
        return sourceNames.get(source);
    }

    /**
     * @param text a type number or a known type name.
     * @return the type number.
     * @throws IllegalArgumentException naming the allowed names.
     */
    int parseType(final String text)
    {
        final String value = text.trim().toLowerCase(Locale.ROOT);
        final String allowed = "allowed: a type number (0.." + Integer.MAX_VALUE + ") or one of " +
            typeNames.entrySet().stream().map(e -> e.getValue() + " (" + e.getKey() + ")")
                .collect(Collectors.joining(", "));
        if (!value.isEmpty() && value.chars().allMatch(Character::isDigit))
        {
            try
            {
                return Integer.parseInt(value);
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("message type " + text + " is too large; " + allowed, ex);
            }
        }
        return typeNames.entrySet().stream().filter(e -> e.getValue().equals(value)).map(Map.Entry::getKey)
            .findFirst().orElseThrow(() -> new IllegalArgumentException("unknown message type '" + text + "'; " +
                allowed));
    }

    /**
     * @param type    the message type.
     * @param payload the payload bytes.
     * @param length  the payload length.
     * @return the decoded fields, or null when no decoder knows the type or the bytes do not fit it.
     */
    Map<String, Object> decode(final int type, final byte[] payload, final int length)
    {
        final Decoder decoder = decoders.get(type);
        return null == decoder ? null : decoder.decode(ByteBuffer.wrap(payload, 0, length).slice()
            .order(ByteOrder.LITTLE_ENDIAN));
    }

    private static Map<String, Object> tick(final ByteBuffer payload)
    {
        if (payload.remaining() < 36)
        {
            return null;
        }
        final Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("instrument", payload.getInt(0));
        fields.put("bid", payload.getLong(4));
        fields.put("ask", payload.getLong(12));
        fields.put("bid_size", payload.getInt(20));
        fields.put("ask_size", payload.getInt(24));
        fields.put("feed_sequence", payload.getLong(28));
        return fields;
    }

    private static Map<String, Object> signal(final ByteBuffer payload)
    {
        if (payload.remaining() < 17)
        {
            return null;
        }
        final Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("instrument", payload.getInt(0));
        fields.put("side", side(payload.get(4)));
        fields.put("strength", payload.getInt(5));
        fields.put("tick_id", payload.getLong(9));
        return fields;
    }

    private static Map<String, Object> order(final ByteBuffer payload)
    {
        if (payload.remaining() < 33)
        {
            return null;
        }
        final Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("order_id", payload.getLong(0));
        fields.put("instrument", payload.getInt(8));
        fields.put("side", side(payload.get(12)));
        fields.put("price", payload.getLong(13));
        fields.put("quantity", payload.getInt(21));
        fields.put("signal_id", payload.getLong(25));
        return fields;
    }

    private static String side(final byte side)
    {
        return side > 0 ? "buy" : side < 0 ? "sell" : "none";
    }
}
