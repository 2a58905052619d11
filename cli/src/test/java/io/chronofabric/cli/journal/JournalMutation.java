package io.chronofabric.cli.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;

/**
 * One change to one file of a copy of a journal folder, the way files get damaged: a flipped byte, a truncation, a
 * changed length field (Chronicle's document header, or a field of the record inside), a page of zeros, garbage
 * written over or appended, or the whole file replaced. Decoded from fuzzer input, so that the fuzzer steers which
 * file, where and what.
 */
record JournalMutation(Kind kind, int file, long offset, int value, byte[] bytes)
{
    private static final int PAGE = 4096;
    private static final int LENGTH_MASK = 0x3FFF_FFFF;

    /** What the mutation does. */
    enum Kind
    {
        /** XOR the byte at {@code offset} with {@code value}. */
        FLIP_BYTE,
        /** Cut the file to {@code offset} bytes. */
        TRUNCATE,
        /** Add {@code value} to the length bits of the header word of document number {@code offset}. */
        DOCUMENT_LENGTH,
        /** Overwrite bytes of document number {@code offset}, {@code value} bytes after its header word. */
        DOCUMENT_FIELD,
        /** Zero the page holding {@code offset}. */
        ZERO_PAGE,
        /** Write {@code bytes} at {@code offset}. */
        OVERWRITE,
        /** Write {@code bytes} after the last byte written (value 0) or past the end of the file (value 1). */
        APPEND,
        /** Replace the whole file by {@code bytes}. */
        REPLACE
    }

    /**
     * @param data  the fuzzer's input.
     * @param image the journal the mutations apply to.
     * @return one to three mutations.
     */
    static List<JournalMutation> decode(final FuzzedDataProvider data, final JournalImage image)
    {
        final List<JournalMutation> mutations = new ArrayList<>();
        for (int i = data.consumeInt(1, 3); i > 0; i--)
        {
            mutations.add(next(data, image));
        }
        return mutations;
    }

    private static JournalMutation next(final FuzzedDataProvider data, final JournalImage image)
    {
        final Kind kind = data.pickValue(Kind.values());
        final int file = data.consumeInt(0, image.files().size() - 1);
        final JournalImage.ImageFile target = image.files().get(file);
        // mostly where the file holds something; sometimes anywhere in its (sparse) length
        final long within = data.consumeInt(0, 7) == 0 ? target.size() : Math.max(1, target.dataEnd());
        final int documents = target.documents().length;
        return switch (kind)
        {
            case FLIP_BYTE -> new JournalMutation(kind, file, data.consumeLong(0, within - 1), data.consumeInt(1, 255),
                new byte[0]);
            case TRUNCATE -> new JournalMutation(kind, file, data.consumeLong(0, within), 0, new byte[0]);
            case DOCUMENT_LENGTH -> new JournalMutation(kind, file, data.consumeInt(0, Math.max(0, documents - 1)),
                data.consumeBoolean() ? data.consumeInt(-64, 64) : data.consumeInt(), new byte[0]);
            case DOCUMENT_FIELD -> new JournalMutation(kind, file, data.consumeInt(0, Math.max(0, documents - 1)),
                data.consumeInt(0, 60), data.consumeBytes(data.consumeInt(1, 8)));
            case ZERO_PAGE -> new JournalMutation(kind, file, data.consumeLong(0, within - 1), 0, new byte[0]);
            case OVERWRITE -> new JournalMutation(kind, file, data.consumeLong(0, within - 1), 0,
                data.consumeBytes(data.consumeInt(1, 64)));
            case APPEND -> new JournalMutation(kind, file, 0, data.consumeInt(0, 1),
                data.consumeBytes(data.consumeInt(1, 4096)));
            case REPLACE -> new JournalMutation(kind, file, 0, 0, data.consumeBytes(data.consumeInt(0, 8192)));
        };
    }

    /**
     * Applies the mutation to a copy of the journal the image was taken of.
     *
     * @param copy  the copy's folder.
     * @param image the image.
     */
    void apply(final Path copy, final JournalImage image) throws IOException
    {
        final JournalImage.ImageFile target = image.files().get(file);
        final Path path = copy.resolve(target.relative().toString());
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            switch (kind)
            {
                case FLIP_BYTE -> write(channel, offset, new byte[] {(byte)(read(channel, offset, 1)[0] ^ value)});
                case TRUNCATE -> channel.truncate(offset);
                case DOCUMENT_LENGTH -> changeLength(channel, target);
                case DOCUMENT_FIELD -> write(channel, documentPosition(target) + 4 + value, bytes);
                case ZERO_PAGE -> write(channel, offset / PAGE * PAGE, new byte[PAGE]);
                case OVERWRITE -> write(channel, offset, bytes);
                case APPEND -> write(channel, 0 == value ? target.dataEnd() : channel.size(), bytes);
                case REPLACE ->
                {
                    channel.truncate(0);
                    write(channel, 0, bytes);
                }
            }
        }
    }

    private void changeLength(final FileChannel channel, final JournalImage.ImageFile target) throws IOException
    {
        final long position = documentPosition(target);
        final ByteBuffer header = ByteBuffer.wrap(read(channel, position, 4)).order(ByteOrder.LITTLE_ENDIAN);
        final int word = header.getInt(0);
        header.putInt(0, (word & ~LENGTH_MASK) | ((word + value) & LENGTH_MASK));
        write(channel, position, header.array());
    }

    private long documentPosition(final JournalImage.ImageFile target)
    {
        return 0 == target.documents().length ? 0 : target.documents()[(int)offset];
    }

    private static byte[] read(final FileChannel channel, final long position, final int length) throws IOException
    {
        final ByteBuffer buffer = ByteBuffer.allocate(length);
        channel.read(buffer, position);
        return buffer.array();
    }

    private static void write(final FileChannel channel, final long position, final byte[] data) throws IOException
    {
        final ByteBuffer buffer = ByteBuffer.wrap(data);
        while (buffer.hasRemaining())
        {
            channel.write(buffer, position + buffer.position());
        }
    }

    @Override
    public String toString()
    {
        return kind + "(file " + file + ", offset " + offset + ", value " + value +
            (0 == bytes.length ? "" : ", bytes " + (bytes.length > 32 ? bytes.length + " bytes" :
                HexFormat.of().formatHex(bytes))) + ")";
    }
}
