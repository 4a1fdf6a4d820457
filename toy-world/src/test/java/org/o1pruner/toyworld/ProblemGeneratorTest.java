package org.o1pruner.toyworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ProblemGeneratorTest {

    private static final ProblemGenerator GEN = new ProblemGenerator(ProblemMix.DEFAULT);

    /** An evaluator that knows nothing of Term: standard precedence over the written expression. */
    static long evaluate(String expression) {
        long total = 0;
        long sign = 1;
        long term = 0;
        long number = 0;
        boolean product = false;
        for (int i = 0; i <= expression.length(); i++) {
            char c = i < expression.length() ? expression.charAt(i) : '+';
            if (Character.isDigit(c)) {
                number = number * 10 + (c - '0');
                continue;
            }
            term = product ? term * number : number;
            number = 0;
            if (c == '×') {
                product = true;
                continue;
            }
            total += sign * term;
            product = false;
            sign = c == '-' ? -1 : 1;
        }
        return total;
    }

    @Test
    void splitsAreDeterministicSizedDistinctAndDisjoint() {
        List<ToyProblem> train = GEN.split(Split.TRAIN);
        List<ToyProblem> test = GEN.split(Split.TEST);
        assertEquals(train, GEN.split(Split.TRAIN));
        assertTrue(train.size() >= 5000 && test.size() >= 1000);
        Set<String> trainText = new HashSet<>();
        train.forEach(p -> trainText.add(p.problem()));
        assertEquals(train.size(), trainText.size(), "no repeated problem in train");
        for (ToyProblem p : test) {
            assertTrue(!trainText.contains(p.problem()), "test problem " + p.problem() + " is also in train");
        }
    }

    @Test
    void answersAreExact() {
        for (Split s : Split.values()) {
            for (ToyProblem p : GEN.split(s)) {
                assertEquals(evaluate(p.problem()), p.answerValue(), p.problem());
                assertTrue(Arithmetic.minPrefix(p.terms()) >= 0, p.problem());
            }
        }
    }

    @Test
    void difficultyIsMixedAndMostlyOneDigit() {
        List<ToyProblem> train = GEN.split(Split.TRAIN);
        Map<Difficulty, Integer> counts = new EnumMap<>(Difficulty.class);
        int oneDigit = 0;
        for (ToyProblem p : train) {
            counts.merge(p.difficulty(), 1, Integer::sum);
            oneDigit += p.terms().stream().allMatch(t -> t.a() < 10) ? 1 : 0;
        }
        for (Difficulty d : Difficulty.values()) {
            assertTrue(counts.getOrDefault(d, 0) > 0.2 * train.size(), d + " share " + counts);
        }
        assertTrue(oneDigit > 0.7 * train.size(), "most problems are one-digit: " + oneDigit);
    }

    @Test
    void hardStepsCountCarriesBorrowsAndHardProducts() {
        assertEquals(0, Arithmetic.hardSteps(Arithmetic.parse("1+2+3")));
        assertEquals(1, Arithmetic.hardSteps(Arithmetic.parse("7+8-5")));
        assertEquals(2, Arithmetic.hardSteps(Arithmetic.parse("7+8-6")));
        assertEquals(3, Arithmetic.hardSteps(Arithmetic.parse("7×8+6-9")));
        assertEquals(Difficulty.HARD, ToyProblem.of("a", "b", Arithmetic.parse("47+38-19+6")).difficulty());
    }

    @Property(tries = 200)
    void parseInvertsExpression(@ForAll long seed) {
        for (ToyProblem p : GEN.generate("x", seed, 5, Set.of())) {
            assertEquals(p.terms(), Arithmetic.parse(p.problem()));
            assertEquals(p, ProblemFiles.parseLine(ProblemFiles.toLine(p)));
        }
    }

    @Test
    void malformedLinesAreRefusedWithTheirId() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProblemFiles.parseLine(
                "{\"id\":\"t-1\",\"problem\":\"1+2\",\"answer\":\"4\",\"dataset\":\"d\"}"));
        assertTrue(e.getMessage().contains("t-1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Arithmetic.parse("1+×2"));
        assertThrows(IllegalArgumentException.class, () -> ToyProblem.of("a", "b", Arithmetic.parse("1-5+9")));
    }

    @Test
    void shippedFilesMatchTheGenerator() throws Exception {
        for (Map.Entry<String, String> e : ToyWorldFiles.contents().entrySet()) {
            assertEquals(e.getValue(), ToyWorld.readResource(ToyWorld.RESOURCE_DIR + "/" + e.getKey()),
                    e.getKey() + " is stale: rerun ToyWorldFiles");
        }
        assertEquals(GEN.split(Split.TEST), ToyWorld.standard().problems(Split.TEST));
    }
}
