package org.o1pruner.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AnswerExtractorTest {

    private static String boxed(String text) {
        return AnswerExtractor.lastBoxed(text).orElse(null);
    }

    private static String extract(String text) {
        return AnswerExtractor.extract(text).orElse(null);
    }

    @Test
    void takesTheLastBoxWithNestedBraces() {
        assertEquals("\\frac{1}{2}", boxed("first \\boxed{3}, then revised: \\boxed{\\frac{1}{2}}."));
        assertEquals("\\frac{\\sqrt{5}+1}{2}", boxed("$\\boxed{\\frac{\\sqrt{5}+1}{2}}$"));
        assertEquals("\\{1,2\\}", boxed("\\boxed{\\{1,2\\}}"));
        assertEquals("\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}", boxed("\\boxed{\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}}"));
    }

    @Test
    void understandsFboxAndUnbracedBoxes() {
        assertEquals("7", boxed("so \\fbox{7}"));
        assertEquals("5", boxed("so $\\boxed 5$"));
        assertEquals("9", boxed("\\boxed{3} and later \\fbox{9}"));
    }

    @Test
    void keepsAPercentSignAfterTheBox() {
        assertEquals("18\\%", boxed("the rate is \\boxed{18}\\%."));
        assertEquals("18\\%", boxed("the rate is \\boxed{18}%"));
        assertEquals("18", boxed("\\boxed{18} percent of nothing"));
    }

    @Test
    void skipsAnUnclosedLastBox() {
        assertEquals("4", boxed("\\boxed{4} then \\boxed{5"));
        assertEquals(null, boxed("only \\boxed{5"));
        assertEquals(null, boxed("\\boxed{}"));
        assertEquals(null, boxed("\\boxedtext{3}"));
    }

    @Test
    void fallsBackToAnswerPhrases() {
        assertEquals("42", extract("We add them.\nThe answer is 42."));
        assertEquals("\\frac{1}{2}", extract("Final answer: $\\frac{1}{2}$"));
        assertEquals("3.5", extract("so the final answer is 3.5.\nDone"));
        assertEquals("x=2", extract("Answer: \\(x=2\\)"));
        assertEquals(null, extract("I could not solve it"));
        assertEquals(null, extract(null));
    }

    @Test
    void boxWinsOverPhrase() {
        assertEquals("8", extract("The answer is 7. No wait: \\boxed{8}"));
    }

    @Test
    void linearOnLongTexts() {
        String filler = "Wait, let me double-check: 47 + 38 = 85. ".repeat(50_000); // ~2 MB
        long start = System.nanoTime();
        Optional<String> a = AnswerExtractor.extract(filler + "\\boxed{85}");
        Optional<String> none = AnswerExtractor.extract(filler);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(Optional.of("85"), a);
        assertTrue(none.isEmpty());
        // a guard against quadratic scanning (minutes on 2 MB), not a speed target
        assertTrue(ms < 30_000, "took " + ms + " ms");
    }
}
