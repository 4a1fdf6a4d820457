package org.o1pruner.toyworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlTestSetTest {
    @TempDir
    Path tmp;

    @Test
    void usableLinesBecomeRowsAndTheRestAreCounted() throws IOException {
        Path file = Files.writeString(tmp.resolve("set.jsonl"), String.join("\n",
                "{\"id\":\"a\",\"problem\":\"1+1\",\"answer\":\"2\",\"difficulty\":\"easy\"}",
                "",
                "{\"problem\":\"2+2\",\"answer\":4}",
                "not json",
                "{\"id\":\"c\",\"problem\":\"3+3\",\"answer\":null}",
                "{\"id\":\"d\",\"problem\":7,\"answer\":\"7\"}",
                "{\"id\":\"e\",\"answer\":\"1\"}",
                "{\"id\":\"f\",\"problem\":\"x\",\"answer\":\"\"}"));
        JsonlTestSet.Contents c = JsonlTestSet.read(file, "set");
        assertEquals(List.of(new JsonlTestSet.Row("a", "1+1", "2", "easy"), new JsonlTestSet.Row("set-3", "2+2", "4", null)),
                c.rows());
        assertNull(c.rows().get(1).difficulty());
        assertEquals(5, c.skipped());
    }

    @Test
    void aMissingFileIsNoSuchFile() {
        assertThrows(NoSuchFileException.class, () -> JsonlTestSet.read(tmp.resolve("absent.jsonl"), "absent"));
    }

    @Test
    void theVendoredTestSetsReadWithoutLoss() throws IOException {
        Path data = Path.of("").toAbsolutePath().getParent().resolve("data");
        for (String name : List.of("math_test", "gsm8k_test", "gaokao_test")) {
            Path file = data.resolve(name + ".jsonl");
            long lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).count();
            JsonlTestSet.Contents c = JsonlTestSet.read(file, name);
            assertEquals(lines, c.rows().size() + c.skipped(), name);
        }
    }

    @Property(tries = 50)
    void everyNonBlankLineIsEitherARowOrSkipped(@ForAll @Size(max = 30) List<@IntRange(min = 0, max = 3) Integer> kinds)
            throws IOException {
        Path file = Files.createTempFile("jsonl", ".jsonl");
        try {
            List<String> lines = new ArrayList<>();
            int usable = 0;
            for (int i = 0; i < kinds.size(); i++) {
                switch (kinds.get(i)) {
                    case 0 -> {
                        lines.add("{\"problem\":\"p" + i + "\",\"answer\":\"" + i + "\"}");
                        usable++;
                    }
                    case 1 -> lines.add("{broken");
                    case 2 -> lines.add("   ");
                    default -> lines.add("{\"problem\":\"p\",\"answer\":null}");
                }
            }
            Files.write(file, lines);
            JsonlTestSet.Contents c = JsonlTestSet.read(file, "g");
            assertEquals(usable, c.rows().size());
            assertEquals(kinds.stream().filter(k -> k == 1 || k == 3).count(), c.skipped());
            for (JsonlTestSet.Row r : c.rows()) {
                int lineNo = Integer.parseInt(r.id().substring(2));
                assertEquals("p" + (lineNo - 1), r.problem());
            }
        } finally {
            Files.delete(file);
        }
    }
}
