package org.o1pruner.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class GradModeTest {

    @Test
    void scopesRestoreTheModeAndTheModeIsPerThread() throws InterruptedException {
        boolean before = GradMode.isEnabled();
        AtomicBoolean other = new AtomicBoolean();
        try (GradMode.Scope off = GradMode.disabled()) {
            assertFalse(GradMode.isEnabled());
            try (GradMode.Scope on = GradMode.enabled()) {
                assertTrue(GradMode.isEnabled());
            }
            assertFalse(GradMode.isEnabled());
            Thread t = new Thread(() -> other.set(GradMode.isEnabled()));
            t.start();
            t.join();
        }
        assertTrue(other.get(), "a new thread starts with gradient recording on");
        assertEquals(before, GradMode.isEnabled());
    }

    @Test
    void threadCountsAreConfigurable() {
        int before = GradMode.intraOpThreads();
        try {
            GradMode.setIntraOpThreads(1);
            assertEquals(1, GradMode.intraOpThreads());
        } finally {
            GradMode.setIntraOpThreads(before);
        }
        assertThrows(IllegalArgumentException.class, () -> GradMode.setIntraOpThreads(0));
    }
}
