package io.chronofabric.cli.journal;

import java.util.Locale;

import picocli.CommandLine;

/**
 * Where a record is in a journal: the queue index of its Chronicle document and which record of that document it is
 * (a batch's records share one document). Written {@code 0x4e6a00000005} for a document's first record and
 * {@code 0x4e6a00000005+2} for its third; {@code dump} prints that, and {@code --from} and {@code --until} take it
 * back.
 *
 * @param index  the document's queue index.
 * @param record the record within it, from 0.
 */
record RecordPosition(long index, int record)
{
    /** The whole document: as an upper bound, every record of it. */
    static final int WHOLE_DOCUMENT = Integer.MAX_VALUE;

    /**
     * @param index  a document's queue index.
     * @param record which of its records, from 0.
     * @return the position's text: the hex index, then {@code +record} unless it is the first record.
     */
    static String text(final long index, final int record)
    {
        return Indexes.hex(index) + (record > 0 && record != WHOLE_DOCUMENT ? "+" + record : "");
    }

    /**
     * @param value         {@code 0x4e6a00000005}, {@code 86214303989765}, either followed by {@code +K}.
     * @param defaultRecord the record meant when there is no {@code +K}: 0 for a start, {@link #WHOLE_DOCUMENT} for an
     *                      end.
     * @return the position.
     * @throws CommandLine.TypeConversionException naming the value and the allowed forms.
     */
    static RecordPosition parse(final String value, final int defaultRecord)
    {
        final String text = value.trim().toLowerCase(Locale.ROOT);
        final int plus = text.indexOf('+');
        final long index = IndexConverter.parse(plus < 0 ? text : text.substring(0, plus));
        if (plus < 0)
        {
            return new RecordPosition(index, defaultRecord);
        }
        try
        {
            final int record = Integer.parseInt(text.substring(plus + 1));
            if (record >= 0)
            {
                return new RecordPosition(index, record);
            }
        }
        catch (final NumberFormatException ignored)
        {
            // reported below with the allowed forms
        }
        throw new CommandLine.TypeConversionException("'" + value + "' is not a record position; allowed: a queue " +
            "index (decimal, or hexadecimal with 0x), optionally followed by +K for the K-th record after the first " +
            "of its document, e.g. 0x4e6a00000005+2");
    }

    /** @return the position as {@code dump} prints it. */
    String text()
    {
        return text(index, record);
    }

    /** @return the position in hex and decimal, for messages. */
    String both()
    {
        return Indexes.both(index) + (record > 0 && record != WHOLE_DOCUMENT ? " record +" + record : "");
    }

    /**
     * @param otherIndex  a document's queue index.
     * @param otherRecord a record within it.
     * @return true when that record comes after this position.
     */
    boolean isBefore(final long otherIndex, final int otherRecord)
    {
        return isAfter(otherIndex, otherRecord, index, record);
    }

    /**
     * @param index      a document's queue index.
     * @param record     a record within it.
     * @param thanIndex  another document's queue index.
     * @param thanRecord a record within that one.
     * @return true when the first record comes after the second in the journal.
     */
    static boolean isAfter(final long index, final int record, final long thanIndex, final int thanRecord)
    {
        return index > thanIndex || (index == thanIndex && record > thanRecord);
    }

    /** Reads {@code --from}: without {@code +K}, the document's first record. */
    static final class From implements CommandLine.ITypeConverter<RecordPosition>
    {
        @Override
        public RecordPosition convert(final String value)
        {
            return parse(value, 0);
        }
    }
}
