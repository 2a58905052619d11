package io.chronofabric.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import net.openhft.chronicle.core.OS;
import net.openhft.chronicle.wire.Wires;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.table.ReadonlyTableStore;

/**
 * Checks the files of a journal folder's queues before Chronicle maps them. Chronicle trusts its files: on a roll file
 * without a complete header it waits for the writer it assumes is creating it (ten seconds, again at every lookup),
 * then a writer renames the file to {@code *.discard} and starts the cycle afresh, and a reader carries on as if the
 * cycle were empty; a file shorter than its header says faults the first read past its end. So the engine and the
 * tool check each file first, reading it through a channel, never mapped, and refuse a queue they cannot read.
 *
 * <p>A roll file ({@code .cq4}) must start with a complete Chronicle header in the layout of a queue store
 * ({@link ChronicleHeader}), hold the whole header, and be long enough for the last document its header records (its
 * write position) and the header word after it. The metadata file ({@code metadata.cq4t}) must start with a complete
 * table store header, hold each document it frames, be at least a page long, and list cycles that roll files in its
 * folder have ({@link CycleListing}). At {@link Depth#HEADERS} the check
 * reads a few kilobytes per file, whatever the journal's size; at {@link Depth#DOCUMENTS} it also walks what was
 * written ({@link ChronicleFraming}). The records themselves are checked as they are read (CRC32C).
 *
 * <p>One finding is not damage: a file a process killed while Chronicle was creating it left unfinished, holding
 * nothing ({@link UnfinishedCreation}; {@link JournalCorruptionException#unfinished()}). Chronicle cannot open its
 * queue either, so the check reports it like the others, but an engine holding the folder's lock sets it aside
 * ({@link #setAsideUnfinished}) instead of refusing to start.
 */
public final class JournalFileCheck
{
    /** The suffix of Chronicle's metadata file. */
    public static final String METADATA_SUFFIX = ".cq4t";
    /** The name of Chronicle's metadata file in a queue folder. */
    public static final String METADATA_FILE = "metadata" + METADATA_SUFFIX;

    /** Chronicle refuses a first header longer than this. */
    static final int MAX_HEADER_LENGTH = 64 << 10;
    static final int HEADER_WORD = 4;

    /** How much of each file to check. */
    public enum Depth
    {
        /**
         * The header of each file and the end of the last document it records: a few kilobytes per file, whatever the
         * journal's size. What an engine checks before it opens a journal.
         */
        HEADERS,
        /**
         * Also every document's length and every position in Chronicle's index ({@link ChronicleFraming}): reads what
         * was written, once. What the journal tool checks before it reads a journal through.
         */
        DOCUMENTS
    }

    private JournalFileCheck()
    {
    }

    /**
     * The queue folders of a journal folder: the records, and the queues beside them.
     *
     * @param journalDir a journal folder.
     * @return the journal folder, its trace, dead-letter and settlement folders.
     */
    public static List<Path> queueDirs(final Path journalDir)
    {
        return List.of(journalDir, TraceLayout.traceDir(journalDir), journalDir.resolve(DeadLetterJournal.FOLDER),
            SettlementLayout.settlementDir(journalDir));
    }

    /**
     * Checks every file of every queue of a journal folder, as an engine must before it opens them for writing:
     * Chronicle would otherwise set an unreadable roll file aside and start its cycle again, losing what it held.
     *
     * @param journalDir a journal folder; an absent one, or absent queue folders, pass.
     * @throws JournalCorruptionException naming the first file that cannot be read and the byte offset of the damage.
     */
    public static void requireReadable(final Path journalDir)
    {
        requireReadable(journalDir, false, Depth.HEADERS);
    }

    /**
     * Checks every file of every queue of a journal folder.
     *
     * @param journalDir a journal folder; an absent one, or absent queue folders, pass.
     * @param live       true when a writer may be appending right now (see {@link #check}).
     * @param depth      what to check.
     * @throws JournalCorruptionException naming the first file that cannot be read and the byte offset of the damage.
     */
    public static void requireReadable(final Path journalDir, final boolean live, final Depth depth)
    {
        for (final Path queueDir : queueDirs(journalDir))
        {
            final List<JournalCorruptionException> problems = check(queueDir, live, depth);
            if (!problems.isEmpty())
            {
                throw problems.get(0);
            }
        }
    }

    /**
     * The files a live check lets through unread ({@link #check}, {@code live}): the newest roll file of a queue whose
     * Chronicle header is not complete. A writer creating the file completes it within milliseconds; one that stays
     * so is damage, and a reader opening the queue would wait for it without end.
     *
     * @param journalDir a journal folder.
     * @return each queue's newest roll file whose header is not complete; empty when there is none.
     */
    public static List<Path> headerPending(final Path journalDir)
    {
        final List<Path> pending = new ArrayList<>();
        for (final Path queueDir : queueDirs(journalDir))
        {
            final List<Path> rollFiles = Files.isDirectory(queueDir) ? JournalFiles.rollFiles(queueDir) : List.of();
            if (!rollFiles.isEmpty() && headerIncomplete(rollFiles.get(rollFiles.size() - 1)))
            {
                pending.add(rollFiles.get(rollFiles.size() - 1));
            }
        }
        return pending;
    }

    private static boolean headerIncomplete(final Path rollFile)
    {
        try (FileChannel channel = FileChannel.open(rollFile, StandardOpenOption.READ))
        {
            return null == readHeader(rollFile, channel, channel.size(), true);
        }
        catch (final JournalCorruptionException | IOException ex)
        {
            return false; // complete but damaged, or gone: the check reports the one, the other is no file to wait for
        }
    }

    /**
     * Checks the files of one queue folder.
     *
     * @param queueDir a queue folder; an absent one passes.
     * @param live     true when a writer may be appending right now: the newest roll file may then be one it is
     *                 creating, so that file's missing or incomplete header is not a finding (Chronicle waits for it);
     *                 Chronicle's listing is read before the roll files (a roll in between adds a file the listing
     *                 does not name yet, which is no finding), and a roll file retention deleted meanwhile is none.
     * @param depth    what to check.
     * @return one exception per file that cannot be read, naming the file and the byte offset; empty when all pass.
     */
    public static List<JournalCorruptionException> check(final Path queueDir, final boolean live, final Depth depth)
    {
        final List<JournalCorruptionException> problems = new ArrayList<>();
        if (!Files.isDirectory(queueDir))
        {
            return problems;
        }
        final QueueFolder folder = QueueFolder.read(queueDir);
        final UnfinishedCreation unfinished = live ? null : UnfinishedCreation.find(folder);
        final List<Path> rollFiles = folder.rollFiles();
        for (int i = 0; i < rollFiles.size(); i++)
        {
            final Path rollFile = rollFiles.get(i);
            final boolean mayBeInCreation = live && i == rollFiles.size() - 1;
            final JournalCorruptionException problem = null != unfinished && unfinished.file().equals(rollFile) ?
                unfinished.finding() : checkRollFile(rollFile, mayBeInCreation, depth);
            if (null != problem && !(live && Files.notExists(rollFile)))
            {
                problems.add(problem);
            }
        }
        final Path metadataFile = queueDir.resolve(METADATA_FILE);
        // checked after the roll files were listed: Chronicle creates it before a queue's first roll file
        if (!rollFiles.isEmpty() && Files.notExists(metadataFile))
        {
            problems.add(JournalCorruptionException.missing(metadataFile, "the queue has " + rollFiles.size() +
                " roll file(s) but not Chronicle's metadata file (its listing of cycles, and what retention pruned); " +
                "opened without it, Chronicle would make a new one from the folder, and what it kept would be lost"));
        }
        final Path settingAside = null == unfinished || unfinished.metadata() ? null : unfinished.file();
        for (final MetadataScan metadata : folder.metadata())
        {
            final JournalCorruptionException problem = null != unfinished && unfinished.file().equals(metadata.file()) ?
                unfinished.finding() : null != metadata.problem() ? metadata.problem() :
                metadata.listing().problem(rollFiles, settingAside);
            if (null != problem)
            {
                problems.add(problem);
            }
        }
        if (problems.isEmpty() && !rollFiles.isEmpty())
        {
            final JournalCorruptionException refused = openProblem(queueDir, metadataFile);
            if (null != refused)
            {
                problems.add(refused);
            }
        }
        return problems;
    }

    /**
     * Chronicle takes more from a queue's metadata file than the listing checked above: the roll cycle's file name
     * format and length, the epoch. A queue it cannot open with what it finds there is refused here, as damage to
     * that file, and not later by an exception from inside Chronicle.
     *
     * @return why Chronicle cannot open the queue, or null when it can.
     */
    private static JournalCorruptionException openProblem(final Path queueDir, final Path metadataFile)
    {
        try (SingleChronicleQueue queue = (SingleChronicleQueue)JournalQueues.openForRead(queueDir))
        {
            if (queue.metaStore() instanceof ReadonlyTableStore)
            {
                // Chronicle could not read the file's header and went on with defaults (a writer on the same folder
                // is then forced read-only, and the engine's first append fails)
                return new JournalCorruptionException(metadataFile, 0, "Chronicle cannot read its header (the roll " +
                    "cycle, the listing): the file is damaged");
            }
            queue.firstIndex();
            queue.lastCycle();
            return null;
        }
        catch (final RuntimeException | AssertionError ex)
        {
            return new JournalCorruptionException(metadataFile, 0, "Chronicle cannot open the queue with it (" + ex +
                "): its header or listing is damaged");
        }
    }

    /**
     * What an engine does first on a journal folder it holds the lock of: sets aside each file that a process killed
     * while Chronicle was creating it left unfinished, holding nothing ({@link JournalCorruptionException#unfinished}:
     * the newest roll file of a queue, 0 bytes or all zero or its header still being written; or the metadata file of
     * a queue without roll files), so that Chronicle and the check accept the folder and the cycle is written again.
     * A roll file is renamed {@code <name>.unfinished}, after Chronicle's metadata listing is made to agree with the
     * folder without it (so that a kill during this leaves a folder the next start repairs the same way). Nothing is
     * changed when any file of the folder has a finding that is not such a creation: the check then throws it.
     *
     * @param held the lock of the journal folder, held by the caller: no writer can be creating a file now.
     * @return what was set aside, one entry per file, for the caller to report; empty when nothing was.
     * @throws JournalCorruptionException the first finding that is not an unfinished creation, the folder untouched.
     * @throws UncheckedIOException       when a file cannot be renamed or the metadata written.
     */
    public static List<SetAside> setAsideUnfinished(final JournalLock held)
    {
        if (!held.held())
        {
            throw new IllegalStateException("the lock of " + held.dir() + " is not held");
        }
        requireStartable(held.dir());
        final List<SetAside> setAside = new ArrayList<>();
        for (final Path queueDir : queueDirs(held.dir()))
        {
            if (Files.isDirectory(queueDir))
            {
                final SetAside listed = finishListingAfterDeletion(QueueFolder.read(queueDir));
                if (null != listed)
                {
                    setAside.add(listed);
                }
                final UnfinishedCreation unfinished = UnfinishedCreation.find(QueueFolder.read(queueDir));
                if (null != unfinished)
                {
                    setAside.add(unfinished.setAside());
                }
            }
        }
        return setAside;
    }

    /**
     * A deletion of the oldest roll files that a kill cut short before Chronicle listed the folder again
     * ({@link CycleListing#oldestCycleBelowWhichDeleted}): its listing's lowest cycle is made the oldest roll file's.
     *
     * @return what was done, or null when the folder is not in that state.
     */
    private static SetAside finishListingAfterDeletion(final QueueFolder folder)
    {
        final MetadataScan scan = folder.chronicleMetadata();
        if (null == scan || null != scan.problem())
        {
            return null;
        }
        try (FileChannel channel = FileChannel.open(scan.file(), StandardOpenOption.WRITE))
        {
            final String change = scan.listing().repointLowest(channel, folder.rollFiles());
            return null == change ? null : new SetAside(scan.file(), scan.file(), "a deletion of the oldest cycles " +
                "that a kill cut short: Chronicle's metadata listing made to agree with the roll files left: " + change);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot repair the listing of " + scan.file() + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * What {@link #setAsideUnfinished} did with one file.
     *
     * @param file    the file, as it was named.
     * @param movedTo where it is now.
     * @param what    what it held, and what was made to agree with its going (Chronicle's listing), in words.
     */
    public record SetAside(Path file, Path movedTo, String what)
    {
    }

    /**
     * As {@link #requireReadable(Path)}, but passing the files an engine start sets aside
     * ({@link #setAsideUnfinished}): whether an engine can start on the folder, checked without its lock and without
     * changing anything.
     *
     * @param journalDir a journal folder; an absent one, or absent queue folders, pass.
     * @throws JournalCorruptionException naming the first file that cannot be read (and will not be set aside).
     */
    public static void requireStartable(final Path journalDir)
    {
        for (final Path queueDir : queueDirs(journalDir))
        {
            for (final JournalCorruptionException problem : check(queueDir, false, Depth.HEADERS))
            {
                if (!problem.unfinished())
                {
                    throw problem;
                }
            }
        }
    }

    /**
     * @param file            a roll file.
     * @param mayBeInCreation true when a live writer may not have finished its header yet.
     * @param depth           what to check.
     * @return what is wrong with it, or null when Chronicle can open and read it.
     */
    static JournalCorruptionException checkRollFile(final Path file, final boolean mayBeInCreation, final Depth depth)
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final long size = channel.size();
            final ByteBuffer content = readHeader(file, channel, size, mayBeInCreation);
            if (null == content)
            {
                return null;
            }
            final ChronicleHeader header = ChronicleHeader.parse(file, content, ChronicleHeader.ROLL_STORE);
            if (header.index2Index() >= size)
            {
                return new JournalCorruptionException(file, size, "truncated: " + size + " bytes, but its header " +
                    "records its index at byte offset " + header.index2Index());
            }
            final JournalCorruptionException last = 0 == header.writePosition() ? null :
                lastDocumentProblem(file, channel, size, header.writePosition());
            // a file cut short is reported as such, not by the index it cut
            final JournalCorruptionException problem = null != last ? last : ChronicleFraming.checkIndexes(file,
                channel, header.index2Index(), header.indexCount(), mayBeInCreation);
            return null != problem || Depth.HEADERS == depth ? problem :
                ChronicleFraming.check(file, channel, HEADER_WORD + content.limit(), header.padded());
        }
        catch (final JournalCorruptionException ex)
        {
            return ex;
        }
        catch (final IOException ex)
        {
            return new JournalCorruptionException(file, 0, "cannot be read: " + ex);
        }
    }

    /**
     * Reads a queue's metadata file: its header, each document it frames, and the cycles it lists.
     *
     * @param file a queue's metadata file.
     * @return what is wrong with its framing, if anything, and the listing read (checked by the caller against the
     *     folder's roll files).
     */
    static MetadataScan scanMetadata(final Path file)
    {
        final CycleListing listing = new CycleListing(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final long size = channel.size();
            final ByteBuffer content = readHeader(file, channel, size, false);
            ChronicleHeader.parse(file, content, ChronicleHeader.TABLE_STORE);
            // each value lives in a document of its own, each header aligned to 4 bytes (Chronicle pads the table
            // store), the last followed by an empty header word; Chronicle walks them to find a value, so a document
            // cut by the end of the file faults its mapping, and a file cut before the documents end makes it wait
            final ByteBuffer word = ByteBuffer.allocate(HEADER_WORD).order(ByteOrder.LITTLE_ENDIAN);
            for (long position = (HEADER_WORD + content.limit() + 3) & ~3L; ; )
            {
                word.clear();
                if (position + HEADER_WORD > size || channel.read(word, position) < HEADER_WORD)
                {
                    return new MetadataScan(file, listing, new JournalCorruptionException(file, size, "truncated: " +
                        size + " bytes, and its documents run on to the end of the file"), -1);
                }
                final int headerWord = word.getInt(0);
                if (Wires.NOT_INITIALIZED == headerWord)
                {
                    break;
                }
                final long end = position + HEADER_WORD + Wires.lengthOf(headerWord);
                if (!Wires.isReady(headerWord) || end > size)
                {
                    return new MetadataScan(file, listing, new JournalCorruptionException(file, position,
                        String.format("metadata document header 0x%08x does not frame a complete document within " +
                            "the file's %d bytes", headerWord, size)), Wires.isReady(headerWord) ? -1 : position);
                }
                listing.read(channel, position, end);
                position = (end + 3) & ~3L;
            }
            if (size < OS.mapAlignment())
            {
                // a reader waits for a shorter one to be initialised by its writer, a second per open
                return new MetadataScan(file, listing, new JournalCorruptionException(file, size, "truncated: " + size +
                    " bytes, shorter than the " + OS.mapAlignment() + " bytes a Chronicle metadata file has from its " +
                    "creation"), -1);
            }
            return new MetadataScan(file, listing, null, -1);
        }
        catch (final JournalCorruptionException ex)
        {
            return new MetadataScan(file, listing, ex, -1);
        }
        catch (final IOException ex)
        {
            return new MetadataScan(file, listing, new JournalCorruptionException(file, 0, "cannot be read: " + ex),
                -1);
        }
    }

    /**
     * What {@link #scanMetadata} found.
     *
     * @param file               the metadata file.
     * @param listing            the cycles it lists (as far as it was read).
     * @param problem            what is wrong with its framing, or null.
     * @param incompleteDocument where a document that was never completed starts (its header word not ready), when
     *                           that is the problem; else -1.
     */
    record MetadataScan(Path file, CycleListing listing, JournalCorruptionException problem, long incompleteDocument)
    {
    }

    /**
     * The files of one queue folder, as the checks see them.
     *
     * @param dir       the folder.
     * @param rollFiles its roll files, in cycle order.
     * @param metadata  its metadata files (Chronicle's {@code metadata.cq4t}), scanned.
     */
    record QueueFolder(Path dir, List<Path> rollFiles, List<MetadataScan> metadata)
    {
        /** Chronicle's listing first: a roll file a live writer adds meanwhile is newer than what the listing names. */
        static QueueFolder read(final Path dir)
        {
            final List<MetadataScan> metadata = metadataFiles(dir).stream().map(JournalFileCheck::scanMetadata).toList();
            return new QueueFolder(dir, JournalFiles.rollFiles(dir), metadata);
        }

        /** @return the scan of Chronicle's own metadata file, {@code metadata.cq4t}; null when absent. */
        MetadataScan chronicleMetadata()
        {
            return metadata.stream().filter(scan -> METADATA_FILE.equals(scan.file().getFileName().toString()))
                .findFirst().orElse(null);
        }
    }

    /**
     * Reads a Chronicle file's first document, its header, checking its header word: complete, metadata, and within
     * the file.
     *
     * @return the header's content (after the header word); null when the file may be in creation and its header is
     *     not complete yet.
     * @throws JournalCorruptionException when the file does not start with such a document.
     */
    private static ByteBuffer readHeader(final Path file, final FileChannel channel, final long size,
        final boolean mayBeInCreation) throws IOException
    {
        if (size < HEADER_WORD)
        {
            if (mayBeInCreation)
            {
                return null;
            }
            throw new JournalCorruptionException(file, size, 0 == size ? "an empty file (0 bytes), without the " +
                "Chronicle header of a queue file: one whose creation never finished, or emptied" : "truncated: " + size +
                " bytes, too short for a Chronicle header");
        }
        final ByteBuffer word = ByteBuffer.allocate(HEADER_WORD).order(ByteOrder.LITTLE_ENDIAN);
        channel.read(word, 0);
        final int headerWord = word.getInt(0);
        if (!Wires.isReady(headerWord))
        {
            if (mayBeInCreation)
            {
                return null;
            }
            throw new JournalCorruptionException(file, 0, String.format("no complete Chronicle header (header word " +
                "0x%08x): not a Chronicle Queue file, or one whose creation never finished", headerWord));
        }
        final int length = Wires.lengthOf(headerWord);
        if (!Wires.isReadyMetaData(headerWord) || length > MAX_HEADER_LENGTH || length < 1)
        {
            throw new JournalCorruptionException(file, 0, String.format("header word 0x%08x is not the header of a " +
                "Chronicle Queue file", headerWord));
        }
        if (HEADER_WORD + (long)length > size)
        {
            throw new JournalCorruptionException(file, size, "truncated: " + size + " bytes, shorter than its " +
                (HEADER_WORD + length) + "-byte Chronicle header");
        }
        final ByteBuffer header = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (header.hasRemaining() && channel.read(header, HEADER_WORD + header.position()) > 0)
        {
            // a regular file delivers what it holds; the size was checked above
        }
        return header.flip();
    }

    /**
     * Checks that the file holds the document at the write position its header records, the last one written, and
     * the header word after it.
     */
    private static JournalCorruptionException lastDocumentProblem(final Path file, final FileChannel channel,
        final long size, final long writePosition) throws IOException
    {
        // the header was read after the size: a writer still appending may have grown the file since, so read it again
        final long grown = ChronicleFraming.sizeCovering(channel, size, writePosition + HEADER_WORD);
        if (writePosition + HEADER_WORD > grown)
        {
            return new JournalCorruptionException(file, grown, "truncated: " + grown + " bytes, but its header " +
                "records a document written at byte offset " + writePosition);
        }
        final ByteBuffer word = ByteBuffer.allocate(HEADER_WORD).order(ByteOrder.LITTLE_ENDIAN);
        channel.read(word, writePosition);
        final int headerWord = word.getInt(0);
        // a reader goes on to the header word after the last document: past the end of the file, that read faults
        final long needed = writePosition + HEADER_WORD + Wires.lengthOf(headerWord) + HEADER_WORD;
        final long current = Wires.isReady(headerWord) ? ChronicleFraming.sizeCovering(channel, grown, needed) : grown;
        if (Wires.isReady(headerWord) && needed > current)
        {
            return new JournalCorruptionException(file, current, "truncated: " + current + " bytes, but the last " +
                "document its header records, at byte offset " + writePosition + ", and the header word after it " +
                "need " + needed);
        }
        return null;
    }

    static List<Path> metadataFiles(final Path queueDir)
    {
        try (var files = Files.list(queueDir))
        {
            return files.filter(f -> f.getFileName().toString().endsWith(METADATA_SUFFIX)).sorted().toList();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list queue folder " + queueDir, ex);
        }
    }
}
