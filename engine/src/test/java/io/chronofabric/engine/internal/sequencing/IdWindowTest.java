package io.chronofabric.engine.internal.sequencing;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sliding id window behind the sequencer's released and dead sets and delivery's delivered and dead sets: ids at
 * or below the floor count as marked, ids that slid out of the window count as marked ("validated when young") and
 * too old, a slot reused by a newer id never carries an older id's mark.
 */
class IdWindowTest
{
    @Test
    void shouldCountIdsAtOrBelowTheFloorAsMarkedAndNotTooOld()
    {
        final IdWindow window = new IdWindow(64, 100);
        assertTrue(window.isMarked(100));
        assertTrue(window.isMarked(1));
        assertFalse(window.isTooOld(1), "below the floor is settled, not too old");
        assertFalse(window.isMarked(101));
    }

    @Test
    void shouldMarkExactlyTheIdsMarkedAndNoneAboveTheHighest()
    {
        final IdWindow window = new IdWindow(64, 0);
        window.mark(3);
        window.mark(5);
        assertTrue(window.isMarked(3));
        assertFalse(window.isMarked(4));
        assertTrue(window.isMarked(5));
        assertFalse(window.isMarked(6), "above the highest mark");
        assertFalse(window.isMarked(69), "above the highest mark, in the slot of 5");
    }

    @Test
    void shouldTreatAnIdMoreThanTheCapacityBelowTheHighestAsTooOldAndMarked()
    {
        final IdWindow window = new IdWindow(64, 0);
        window.mark(100);
        assertTrue(window.isTooOld(36), "100 - 36 = 64 > 63");
        assertTrue(window.isMarked(36));
        assertFalse(window.isTooOld(37), "100 - 37 = 63: still tracked");
        assertFalse(window.isMarked(37));
        window.mark(36);
        assertFalse(window.isMarked(37), "marking a too-old id marks no other");
    }

    @Test
    void shouldNotCarryAnOlderIdsMarkIntoTheSlotANewerIdReuses()
    {
        final IdWindow window = new IdWindow(64, 0);
        window.mark(10);
        window.mark(73);
        window.mark(75);
        assertTrue(window.isMarked(75));
        assertFalse(window.isMarked(74), "74 shares 10's slot; 10's mark was cleared when the window moved past 73");
        assertTrue(window.isMarked(10), "10 slid out of the window: too old, so marked");
    }

    @Test
    void shouldForgetEverythingWhenTheHighestJumpsByMoreThanTheCapacity()
    {
        final IdWindow window = new IdWindow(64, 0);
        for (long id = 1; id <= 5; id++)
        {
            window.mark(id);
        }
        window.mark(1_000);
        assertTrue(window.isMarked(1_000));
        for (long id = 937; id < 1_000; id++)
        {
            assertFalse(window.isMarked(id), "id " + id);
        }
        assertEquals(64, window.capacity());
    }

    @Test
    void shouldRefuseACapacityThatIsNotAPowerOfTwoOfAtLeast64()
    {
        assertThrows(IllegalArgumentException.class, () -> new IdWindow(32, 0));
        assertThrows(IllegalArgumentException.class, () -> new IdWindow(100, 0));
        assertEquals(128, new IdWindow(128, 0).capacity());
    }

    @Test
    void shouldForgetEveryMarkOnResetSoThatIdsReadAgainFromFarBackAreTrackedAgain()
    {
        final IdWindow window = new IdWindow(64, 5);
        window.mark(10);
        window.mark(200);
        assertTrue(window.isTooOld(100), "100 is more than the capacity below 200");
        window.reset();
        assertFalse(window.isTooOld(100), "after a reset nothing is too old");
        assertFalse(window.isMarked(100));
        assertFalse(window.isMarked(200), "200's mark is forgotten");
        assertTrue(window.isMarked(5), "the floor is kept");
        window.mark(100);
        assertTrue(window.isMarked(100));
        assertFalse(window.isMarked(99));
    }
}
