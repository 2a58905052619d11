package io.chronofabric.engine;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A close while the engine is still starting is refused at the call, and leaves nothing behind: from the start's
 * {@code subscribeFirst} it makes the start fail, releasing the folder; from another thread the start goes on and
 * the engine closes normally afterwards. Before, both threw an internal NullPointerException (the retention worker did
 * not exist yet), and from another thread the engine was left half closed, its folder locked for the life of the
 * process (a black-box helper's finding).
 */
class CloseDuringStartTest
{
    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void aCloseFromSubscribeFirstFailsTheStartAndReleasesTheFolder()
    {
        final RuntimeException failed = assertThrows(RuntimeException.class, () -> ChronoFabric.start(
            EngineTestSupport.context(dir), ChronoFabric::close));
        assertInstanceOf(IllegalStateException.class, failed, failed::toString);
        assertTrue(failed.getMessage().contains("still starting"), failed::getMessage);
        try (ChronoFabric again = ChronoFabric.start(EngineTestSupport.context(dir)))
        {
            assertFalse(again.isClosed(), "the folder was released");
        }
    }

    @Test
    @Timeout(60)
    void aCloseFromAnotherThreadDuringTheStartIsRefusedAndTheEngineClosesNormallyAfter() throws Exception
    {
        final CountDownLatch inSubscribeFirst = new CountDownLatch(1);
        final CountDownLatch closeTried = new CountDownLatch(1);
        final AtomicReference<ChronoFabric> starting = new AtomicReference<>();
        final AtomicReference<Throwable> closeFailure = new AtomicReference<>();
        final Thread closer = new Thread(() ->
        {
            try
            {
                inSubscribeFirst.await();
                starting.get().close();
            }
            catch (final Throwable ex)
            {
                closeFailure.set(ex);
            }
            finally
            {
                closeTried.countDown();
            }
        }, "closer");
        closer.start();
        final ChronoFabric engine = ChronoFabric.start(EngineTestSupport.context(dir), started ->
        {
            starting.set(started);
            inSubscribeFirst.countDown();
            try
            {
                closeTried.await(10, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        });
        assertInstanceOf(IllegalStateException.class, closeFailure.get(), String.valueOf(closeFailure.get()));
        assertFalse(engine.isClosed(), "the refused close left the engine running");
        engine.close();
        try (ChronoFabric again = ChronoFabric.start(EngineTestSupport.context(dir)))
        {
            assertFalse(again.isClosed(), "the folder was released by the close after start");
        }
    }
}
