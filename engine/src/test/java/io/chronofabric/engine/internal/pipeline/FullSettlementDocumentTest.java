package io.chronofabric.engine.internal.pipeline;

import java.util.ArrayList;
import java.util.List;

import io.chronofabric.engine.internal.event.SingleWriterCounter;
import io.chronofabric.journal.SettledState;
import io.chronofabric.journal.SettlementSink;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A message delivered to no subscriber is recorded as settled and as dead. When the document being collected has no
 * room left for a dead id, the tracker writes it and goes on in the next: a crash between the two documents must not
 * leave the message recorded as settled but not as dead (a restart would then deliver its dependents), while dead but
 * not yet settled is safe (the restart counts its dead letter as the settlement). An adversarial review's finding.
 */
class FullSettlementDocumentTest
{
    @Test
    void noDocumentRecordsADeadMessageAsSettledWithoutRecordingItAsDead()
    {
        final List<String> documents = new ArrayList<>();
        final StringBuilder open = new StringBuilder();
        final boolean[] deadFull = {true};
        final SettlementSink log = new SettlementSink()
        {
            @Override
            public boolean settled(final long id)
            {
                open.append(" settled:").append(id);
                return true;
            }

            @Override
            public boolean dead(final long id)
            {
                if (deadFull[0])
                {
                    return false; // no room for one more dead id in this document
                }
                open.append(" dead:").append(id);
                return true;
            }

            @Override
            public boolean partial(final long id, final int subscriber, final boolean delivered)
            {
                return true;
            }

            @Override
            public boolean retry(final long id, final int subscriber, final int attempts)
            {
                return true;
            }

            @Override
            public boolean refused(final long id)
            {
                return true;
            }

            @Override
            public void write(final long watermark, final long high)
            {
                documents.add(open.toString());
                open.setLength(0);
                deadFull[0] = false;
            }

            @Override
            public void close()
            {
            }
        };
        final SettlementTracker tracker = new SettlementTracker(log, SettledState.empty(), 0, new SingleWriterCounter(),
            id -> false, () -> { }, 1 << 20);
        tracker.settled(1, 0, true);
        tracker.endOfBatch();
        for (final String document : documents)
        {
            assertTrue(!document.contains("settled:1") || document.contains("dead:1"), "documents " + documents);
        }
    }
}
