package io.chronofabric.journal.retention;

import java.nio.file.Path;

/**
 * What retention decided about one roll cycle of the journal.
 *
 * @param cycle    the Chronicle cycle number.
 * @param file     its roll file.
 * @param bytes    disk space the file takes.
 * @param messages records in the cycle, counted for the cycles retention would delete; -1 for a kept cycle (not
 *                 counted: that reads every document, and the newest is being written).
 * @param lastId   the id of its last record; -1 when it holds none.
 * @param delete   true when it is (to be) deleted.
 * @param reason   why: which limit wants it gone, or why it is kept.
 */
public record CycleVerdict(int cycle, Path file, long bytes, long messages, long lastId, boolean delete,
    String reason)
{
}
