package io.chronofabric.affinity;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuSetTest
{
    @Test
    void shouldReadAndWriteTheLinuxListFormat()
    {
        final CpuSet cpus = CpuSet.parse(" 0-3,8,10-11 ");
        assertArrayEquals(new int[] {0, 1, 2, 3, 8, 10, 11}, cpus.toArray());
        assertEquals("0-3,8,10,11", cpus.toString(), "a pair is written as two ids, three or more as a range");
        assertEquals(cpus, CpuSet.parse(cpus.toString()));
        assertTrue(CpuSet.parse("").isEmpty());
    }

    @Test
    void shouldCombineSets()
    {
        final CpuSet a = CpuSet.parse("0-5");
        final CpuSet b = CpuSet.parse("4-7");
        assertEquals("4,5", a.and(b).toString());
        assertEquals("0-7", a.or(b).toString());
        assertEquals("0-3", a.minus(b).toString());
        assertEquals(CpuSet.range(3), CpuSet.of(0, 1, 2));
    }

    @Test
    void shouldNameTheBadPartOfAList()
    {
        final IllegalArgumentException word = assertThrows(IllegalArgumentException.class, () -> CpuSet.parse("0-x"));
        assertTrue(word.getMessage().contains("'x'"), word.getMessage());
        final IllegalArgumentException backwards = assertThrows(IllegalArgumentException.class,
            () -> CpuSet.parse("5-2"));
        assertTrue(backwards.getMessage().contains("backwards range 5-2"), backwards.getMessage());
    }
}
