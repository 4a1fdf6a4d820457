package org.o1pruner.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalDatasetTest {
    @TempDir
    Path tmp;

    @Test
    void thePapersTestSetsLoadWithTheirSizes() throws IOException {
        Path data = ToyModels.dataDir();
        EvalDataset math = EvalDataset.load("math_test", data);
        assertEquals(458, math.problems().size() + math.skipped());
        EvalDataset gsm = EvalDataset.load("gsm8k_test", data);
        assertEquals(1319, gsm.problems().size() + gsm.skipped());
        assertEquals(0, gsm.skipped());
        EvalDataset gaokao = EvalDataset.load("gaokao_test", data);
        assertEquals(385, gaokao.problems().size() + gaokao.skipped());
        assertEquals(2, gaokao.skipped(), "the two empty answers are left out");
        assertEquals("gsm8k-00000", gsm.problems().get(0).id());
    }

    @Test
    void toySplitsComeFromTheToyWorld() throws IOException {
        EvalDataset toy = EvalDataset.load("toy_test", Path.of("nowhere"));
        assertEquals(1200, toy.problems().size());
        assertEquals(5, toy.limit(5).problems().size());
        assertEquals(1200, toy.limit(0).problems().size());
    }

    @Test
    void malformedLinesAndUnusableTruthsAreCountedNotFatal() throws IOException {
        Files.writeString(tmp.resolve("mine.jsonl"), String.join("\n", List.of(
                "{\"id\":\"1\",\"problem\":\"p\",\"answer\":\"3\"}",
                "not json",
                "{\"id\":\"2\",\"problem\":\"p\",\"answer\":null}",
                "{\"id\":\"3\",\"problem\":\"p\",\"answer\":\"\"}",
                "",
                "{\"problem\":\"q\",\"answer\":\"5\"}")));
        EvalDataset d = EvalDataset.load("mine", tmp);
        assertEquals(2, d.problems().size());
        assertEquals(3, d.skipped());
        assertEquals("mine-6", d.problems().get(1).id());
    }

    @Test
    void unknownNamesSayWhatExists() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EvalDataset.load("nope", tmp));
        assertTrue(e.getMessage().contains("toy_test"), e.getMessage());
    }
}
