package org.o1pruner.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GracefulShutdownTest {
    @Test
    void closesInOrderAndAFailureDoesNotStopTheRest() {
        List<String> closed = new ArrayList<>();
        GracefulShutdown.closeAll("svc", List.of(
                () -> closed.add("loop"),
                () -> { throw new IllegalStateException("boom"); },
                () -> closed.add("shell")));
        assertEquals(List.of("loop", "shell"), closed);
    }

    @Test
    void installRegistersARemovableHook() {
        Thread hook = GracefulShutdown.install("svc", () -> { });
        assertEquals(true, Runtime.getRuntime().removeShutdownHook(hook));
    }
}
