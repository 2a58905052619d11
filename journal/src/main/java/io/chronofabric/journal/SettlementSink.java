package io.chronofabric.journal;

/**
 * Where the delivery stage persists what is settled: {@link SettlementWriter} on a journal (layout in
 * {@link SettlementLayout}); a test captures the documents instead. What a batch settles is collected, then
 * {@link #write} persists it as one document. Single-threaded (the delivery thread).
 */
public interface SettlementSink extends AutoCloseable
{
    /**
     * Prepares the first write on the calling thread (the delivery thread) so that it does not pay for creating the
     * roll file; writes nothing. Nothing by default.
     */
    default void prepare()
    {
    }

    /**
     * @param id a message settled for every subscriber.
     * @return false when the document is full: write, then add again.
     */
    boolean settled(long id);

    /**
     * @param id a message delivered to no subscriber: its dependents are dead-lettered, also after a restart.
     * @return false when the document is full.
     */
    boolean dead(long id);

    /**
     * @param id         a message still unsettled for some subscriber.
     * @param subscriber a subscriber it is settled for.
     * @param delivered  true when delivered to it, false when dead-lettered for it.
     * @return false when the document is full.
     */
    boolean partial(long id, int subscriber, boolean delivered);

    /**
     * @param id         a message being retried for a subscriber.
     * @param subscriber the subscriber.
     * @param attempts   attempts made so far.
     * @return false when the document is full.
     */
    boolean retry(long id, int subscriber, int attempts);

    /**
     * @param id an id never journaled (its publish was refused after it took the id) that the watermark passes: a
     *           message depending on it must still wait for it after a restart.
     * @return false when the document is full.
     */
    boolean refused(long id);

    /**
     * Persists one document with what was collected, as durable as the journal's policy says.
     *
     * @param watermark every journaled id at or below it is settled.
     * @param high      the highest id settled so far.
     */
    void write(long watermark, long high);

    /** Closes it. */
    @Override
    void close();
}
