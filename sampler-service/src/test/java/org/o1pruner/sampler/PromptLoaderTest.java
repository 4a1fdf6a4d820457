package org.o1pruner.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.o1pruner.schema.PromptRecord;
import org.o1pruner.sampler.PromptLoader.Options;
import org.o1pruner.sampler.PromptLoader.SkipReason;

class PromptLoaderTest {
    /** Tests run in the module directory; the data sets live at the repository root. */
    private static final Path DATA = Path.of("..", "data");

    private static Options opts(String source) {
        return new Options(source, null, 16, 0, 0, PromptRecord.VARIANT_DEFAULT, 0, 1_000L);
    }

    private static PromptLoader.Result loadFile(String name, Options o) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(DATA.resolve(name), StandardCharsets.UTF_8)) {
            return PromptLoader.load(r, o);
        }
    }

    @Test
    void everyVendoredDataSetLoadsWithItsKnownJunkReported() throws IOException {
        record Expect(String file, int rows, int skipped, String split) {}
        for (Expect e : List.of(new Expect("gsm8k_test.jsonl", 1319, 0, "test"),
                new Expect("math_test.jsonl", 458, 0, "test"),
                new Expect("gaokao_test.jsonl", 385, 2, "test"),
                new Expect("math_train.jsonl", 7498, 0, "train"),
                new Expect("math_train_hard.jsonl", 411, 3, "train"))) {
            String stem = e.file().replace(".jsonl", "");
            PromptLoader.Result r = loadFile(e.file(), opts(stem));
            assertEquals(e.skipped(), r.skippedCount(), e.file() + " skipped: " + r.skipped());
            assertEquals(e.rows() - e.skipped(), r.prompts().size(), e.file());
            assertTrue(r.skipped().stream().allMatch(s -> s.reason() == SkipReason.MISSING_ANSWER), e.file());
            for (PromptRecord p : r.prompts()) {
                p.validate();
                assertEquals(e.split(), p.split());
                assertEquals(16, p.k());
                assertTrue(!p.answer().isBlank());
            }
            assertEquals(r.prompts().size(), r.prompts().stream().map(PromptRecord::problemId).distinct().count());
        }
    }

    @Test
    void datasetFieldWinsOverTheFileStem() throws IOException {
        PromptLoader.Result r = loadFile("gsm8k_test.jsonl", opts("gsm8k_test"));
        assertEquals("gsm8k", r.prompts().get(0).dataset());
        assertEquals("gsm8k-00000", r.prompts().get(0).problemId());
        assertEquals("18", r.prompts().get(0).answer());
    }

    @Test
    void junkLinesAreReportedWithLineNumbersAndSkipped() {
        List<String> lines = List.of(
                "{\"id\":\"a\",\"problem\":\"1+1\",\"answer\":\"2\"}",
                "not json",
                "",
                "[1,2]",
                "{\"problem\":\"p\",\"answer\":\"1\"}",
                "{\"id\":\"b\",\"problem\":\"  \",\"answer\":\"1\"}",
                "{\"id\":\"c\",\"problem\":\"p\",\"answer\":null}",
                "{\"id\":\"d\",\"problem\":\"p\",\"answer\":\"\"}",
                "{\"id\":\"a\",\"problem\":\"again\",\"answer\":\"3\"}",
                "{\"id\":\"e\",\"problem\":\"p\",\"answer\":42}");
        PromptLoader.Result r = PromptLoader.parse(lines, opts("mine_train"));
        assertEquals(List.of("a", "e"), r.prompts().stream().map(PromptRecord::problemId).collect(Collectors.toList()));
        assertEquals("42", r.prompts().get(1).answer());
        assertEquals("mine_train", r.prompts().get(0).dataset());
        assertEquals("train", r.prompts().get(0).split());
        assertEquals(List.of(2L, 4L, 5L, 6L, 7L, 8L, 9L),
                r.skipped().stream().map(PromptLoader.Skipped::lineNumber).collect(Collectors.toList()));
        assertEquals(List.of(SkipReason.MALFORMED_JSON, SkipReason.MALFORMED_JSON, SkipReason.MISSING_ID,
                        SkipReason.MISSING_PROBLEM, SkipReason.MISSING_ANSWER, SkipReason.MISSING_ANSWER,
                        SkipReason.DUPLICATE_ID),
                r.skipped().stream().map(PromptLoader.Skipped::reason).collect(Collectors.toList()));
    }

    @Test
    void optionsAreCarriedAndLimitStopsEarly() throws IOException {
        Options o = new Options("gsm8k_test", "eval", 4, 3, 7, PromptRecord.VARIANT_FAST, 5, 99L);
        PromptLoader.Result r = loadFile("gsm8k_test.jsonl", o);
        assertEquals(5, r.prompts().size());
        for (PromptRecord p : r.prompts()) {
            assertEquals(4, p.k());
            assertEquals(3, p.round());
            assertEquals(7, p.policyVersion());
            assertEquals("fast", p.variant());
            assertEquals("eval", p.split());
            assertEquals(99L, p.createdAtMs());
        }
    }

    @Test
    void badOptionsAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new Options("x", null, 0, 0, 0, PromptRecord.VARIANT_DEFAULT, 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new Options("x", null, 1, 0, 0, "slow", 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new Options("x", null, 1, -1, 0, PromptRecord.VARIANT_DEFAULT, 0, 0));
    }

    @Property(tries = 200)
    void neverThrowsAndAccountsForEveryNonBlankLine(@ForAll List<String> lines, @ForAll @IntRange(max = 3) int limit) {
        List<String> oneLine = lines.stream().map(s -> s.replace('\n', ' ').replace('\r', ' ')).collect(Collectors.toList());
        PromptLoader.Result r = PromptLoader.parse(oneLine, new Options("fuzz", null, 2, 0, 0,
                PromptRecord.VARIANT_DEFAULT, limit, 0));
        long nonBlank = oneLine.stream().filter(s -> !s.isBlank()).count();
        if (limit == 0) {
            assertEquals(nonBlank, r.prompts().size() + r.skippedCount());
        } else {
            assertTrue(r.prompts().size() <= limit);
        }
    }
}
