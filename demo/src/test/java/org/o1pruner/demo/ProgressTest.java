package org.o1pruner.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void lineShowsBarCountsAndEta() {
        String line = Progress.line("phase", 5, 10, 20, "acc 50%");
        assertTrue(line.contains("[###############...............]"), line);
        assertTrue(line.contains("5/10"), line);
        assertTrue(line.contains("eta 20s"), line);
        assertTrue(line.endsWith("acc 50%"), line);
    }

    @Test
    void finishedLineHasNoEta() {
        assertTrue(!Progress.line("p", 10, 10, 3, "").contains("eta"));
    }

    @Property
    void barIsAlwaysThirtyWide(@ForAll @LongRange(min = 0, max = 1000) long done,
                               @ForAll @LongRange(min = 0, max = 1000) long total) {
        String line = Progress.line("p", done, total, 1, "");
        String bar = line.substring(line.indexOf('[') + 1, line.indexOf(']'));
        assertEquals(30, bar.length());
        assertTrue(bar.matches("#*\\.*"), bar);
    }

    @Test
    void closeEndsTheLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Progress p = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), "x", 2)) {
            p.update(2, "");
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.endsWith(System.lineSeparator()), out);
        assertTrue(out.contains("2/2"), out);
    }

    @Test
    void silentWithoutStream() {
        try (Progress p = new Progress(null, "x", 2)) {
            p.update(1, "n");
        }
    }
}
