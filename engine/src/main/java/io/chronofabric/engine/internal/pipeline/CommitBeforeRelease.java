package io.chronofabric.engine.internal.pipeline;

import io.chronofabric.engine.internal.event.MessageEvent;
import io.chronofabric.engine.internal.event.ReleaseSink;

/**
 * Journal before delivery when the sequencer runs on the journal's thread: a batch's records share a journal document
 * that is committed at the batch's end, and the sequencer can hand a message on before that (a window that ends
 * within a batch, a message dead-lettered as it arrives). So before a message the journal appended in this run goes
 * downstream, the document holding it is committed; at a window that ends with the batch it already is, and this costs
 * one comparison. The journal stage also learns that the message's handlers run before its next stamp. Not needed,
 * and not used, where the sequencer has a thread of its own: it sees a batch only once the journal's thread has
 * finished it.
 */
final class CommitBeforeRelease implements ReleaseSink
{
    private final JournalStage journal;
    private final ReleaseSink next;

    /**
     * @param journal the journal stage, on the same thread as the sequencer.
     * @param next    where the sequencer's releases go.
     */
    CommitBeforeRelease(final JournalStage journal, final ReleaseSink next)
    {
        this.journal = journal;
        this.next = next;
    }

    @Override
    public void start()
    {
        next.start();
    }

    @Override
    public void release(final MessageEvent message)
    {
        journal.beforeRelease(message);
        next.release(message);
    }

    @Override
    public void endOfRelease()
    {
        next.endOfRelease();
    }

    @Override
    public void idle()
    {
        next.idle();
    }

    @Override
    public void close()
    {
        next.close();
    }
}
