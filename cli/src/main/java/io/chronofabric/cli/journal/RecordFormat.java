package io.chronofabric.cli.journal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.chronofabric.engine.internal.clock.HlcTimestamps;
import io.chronofabric.journal.MessageRecord;
import io.chronofabric.journal.RecordFlags;
import io.chronofabric.journal.RecordLayout;

/**
 * Renders one journaled message for {@code dump} and {@code tail}: a readable line, or the fields for one JSON
 * object. Payloads of known types are decoded, others shown as hex. A message of another node (flag
 * {@link RecordFlags#REMOTE}) shows its origin as {@code node:id}, and a cross-node dependency is shown the same way
 * ({@code 3:41}: the message node 3 gave id 41) instead of its negative encoding.
 */
final class RecordFormat
{
    private static final HexFormat HEX = HexFormat.of();

    private final PayloadDecoders decoders;

    RecordFormat(final PayloadDecoders decoders)
    {
        this.decoders = decoders;
    }

    /**
     * @param index      the queue index of the record's document.
     * @param inDocument which record of the document it is, from 0.
     * @param record     the record.
     * @return one line: position ({@link RecordPosition}), id, HLC, type, source, priority, deadline, dependencies,
     *     payload.
     */
    String line(final long index, final int inDocument, final MessageRecord record)
    {
        final StringBuilder line = new StringBuilder(160);
        line.append(RecordPosition.text(index, inDocument)).append(" id=").append(record.id())
            .append(" hlc=").append(HlcTimestamps.format(record.hlcWall(), record.hlcLogical()))
            .append(" type=").append(named(record.type(), decoders.typeName(record.type())))
            .append(" source=").append(named(record.source(), decoders.sourceName(record.source())))
            .append(" priority=").append(record.priority())
            .append(" deadline=")
            .append(0 == record.deadlineEpochNanos() ? "none" : instant(record.deadlineEpochNanos()))
            .append(" deps=").append(dependencies(record));
        if (0 != record.flags())
        {
            line.append(" flags=0x").append(Integer.toHexString(record.flags()));
        }
        if (remote(record))
        {
            line.append(" origin=").append(record.originNode()).append(':').append(record.originId());
        }
        else if (0 != record.originNode())
        {
            line.append(" origin=").append(record.originNode());
        }
        final Map<String, Object> fields = decoders.decode(record.type(), record.payload(), record.payloadLength());
        if (null == fields)
        {
            line.append(" payload=").append(HEX.formatHex(record.payload(), 0, record.payloadLength()));
        }
        else
        {
            line.append(" payload={");
            fields.forEach((name, value) -> line.append(name).append('=').append(value).append(", "));
            line.setLength(line.length() - (fields.isEmpty() ? 0 : 2));
            line.append('}');
        }
        return line.toString();
    }

    /**
     * @param index      the queue index of the record's document.
     * @param inDocument which record of the document it is, from 0.
     * @param record     the record.
     * @return the fields of one JSON object, in a stable order: {@code index} is the document's queue index,
     *     {@code index_hex} the record's position ({@link RecordPosition}), {@code record_in_document} which record of
     *     the document it is.
     */
    Map<String, Object> json(final long index, final int inDocument, final MessageRecord record)
    {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("index", index);
        json.put("index_hex", RecordPosition.text(index, inDocument));
        json.put("record_in_document", inDocument);
        json.put("id", record.id());
        json.put("hlc", HlcTimestamps.format(record.hlcWall(), record.hlcLogical()));
        json.put("hlc_wall_ns", record.hlcWall());
        json.put("hlc_logical", record.hlcLogical());
        json.put("type", record.type());
        json.put("type_name", decoders.typeName(record.type()));
        json.put("source", record.source());
        json.put("source_name", decoders.sourceName(record.source()));
        json.put("priority", record.priority());
        json.put("flags", record.flags());
        json.put("origin_node", record.originNode());
        json.put("origin_id", record.originId());
        json.put("deadline", 0 == record.deadlineEpochNanos() ? null : instant(record.deadlineEpochNanos()));
        json.put("deadline_ns", record.deadlineEpochNanos());
        json.put("dependencies", dependencies(record));
        json.put("payload_length", record.payloadLength());
        final Map<String, Object> fields = decoders.decode(record.type(), record.payload(), record.payloadLength());
        if (null == fields)
        {
            json.put("payload_hex", HEX.formatHex(record.payload(), 0, record.payloadLength()));
        }
        else
        {
            json.put("payload", fields);
        }
        return json;
    }

    /** @return the dependencies: a local one as its id, a cross-node one as {@code "node:id"}. */
    private static List<Object> dependencies(final MessageRecord record)
    {
        final List<Object> ids = new ArrayList<>(record.dependencyCount());
        for (int i = 0; i < record.dependencyCount(); i++)
        {
            final long dependency = record.dependency(i);
            ids.add(RecordLayout.isRemoteDependency(dependency) ? RecordLayout.remoteDependencyNode(dependency) + ":" +
                RecordLayout.remoteDependencyOriginId(dependency) : (Object)dependency);
        }
        return ids;
    }

    private static boolean remote(final MessageRecord record)
    {
        return 0 != (record.flags() & RecordFlags.REMOTE);
    }

    private static String named(final int number, final String name)
    {
        return null == name ? Integer.toString(number) : name + "(" + number + ")";
    }

    private static String instant(final long epochNanos)
    {
        return Instant.ofEpochSecond(0, epochNanos).toString();
    }
}
