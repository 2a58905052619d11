package io.chronofabric.node;

import java.nio.file.Path;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An embedded media driver with one IPC publication and its subscription, for tests that drive a {@link Shipper} on
 * the test thread: opened only once the publication can take {@code room} bytes. The driver links the subscriber
 * (connected) and raises the publication's limit on a later duty cycle; until then an offer is back-pressured, and a
 * test would measure the driver, not the shipper.
 */
final class IpcLink implements AutoCloseable
{
    private static final long JOIN_TIMEOUT_NANOS = 10_000_000_000L;

    private final MediaDriver driver;
    private final Aeron aeron;
    private final Subscription subscription;
    private final Publication publication;

    private IpcLink(final Path dir)
    {
        driver = MediaDriver.launchEmbedded(new MediaDriver.Context().aeronDirectoryName(dir.toString())
            .threadingMode(ThreadingMode.SHARED).dirDeleteOnStart(true).dirDeleteOnShutdown(true));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        subscription = aeron.addSubscription("aeron:ipc", 7);
        publication = aeron.addPublication("aeron:ipc", 7);
    }

    /**
     * @param dir  the driver's folder.
     * @param room bytes the publication must take at once before this returns.
     * @return the link, ready.
     */
    static IpcLink open(final Path dir, final int room)
    {
        final IpcLink link = new IpcLink(dir);
        final Publication publication = link.publication;
        final long deadline = System.nanoTime() + JOIN_TIMEOUT_NANOS;
        while ((!publication.isConnected() || publication.availableWindow() < room) && System.nanoTime() < deadline)
        {
            Thread.onSpinWait();
        }
        if (publication.availableWindow() < room)
        {
            link.close();
        }
        assertTrue(publication.availableWindow() >= room, "room: " + publication.availableWindow());
        return link;
    }

    Subscription subscription()
    {
        return subscription;
    }

    Publication publication()
    {
        return publication;
    }

    @Override
    public void close()
    {
        CloseHelper.closeAll(publication, subscription, aeron, driver);
    }
}
