package org.o1pruner.trainer.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** SFT and DPO selection from a group. */
class PairSelectionTest {

    private static Candidate<String> c(String id, int index, boolean correct, int length) {
        return new Candidate<>(id, index, correct, length);
    }

    private static final List<Candidate<String>> GROUP = List.of(
            c("a", 0, true, 50), c("b", 1, false, 20), c("c", 2, true, 30), c("d", 3, true, 30),
            c("e", 4, false, 90), c("f", 5, true, 10));

    @Test
    void sftTakesTheTwoShortestCorrect() {
        assertEquals(List.of("f", "c"), PairSelection.sft(GROUP)); // c and d tie at 30: lower index wins
    }

    @Test
    void dpoPairsEachShortCorrectWithTheLongest() {
        assertEquals(List.of(new PairSelection.Pair<>("f", "e"), new PairSelection.Pair<>("c", "e")),
                PairSelection.dpo(GROUP));
    }

    @Test
    void longestTiePrefersAnIncorrectSample() {
        List<Candidate<String>> g = List.of(c("a", 0, true, 5), c("b", 1, true, 40), c("x", 2, false, 40));
        assertEquals(List.of(new PairSelection.Pair<>("a", "x"), new PairSelection.Pair<>("b", "x")).subList(0, 1),
                PairSelection.dpo(g).subList(0, 1));
        // b (40) is not shorter than x (40): its pair is dropped
        assertEquals(1, PairSelection.dpo(g).size());
    }

    @Test
    void groupsWithoutCorrectOrTooSmallProduceNothing() {
        assertEquals(List.of(), PairSelection.sft(List.of(c("a", 0, false, 5), c("b", 1, false, 7))));
        assertEquals(List.of(), PairSelection.dpo(List.of(c("a", 0, false, 5), c("b", 1, false, 7))));
        assertEquals(List.of(), PairSelection.sft(List.of(c("a", 0, true, 5))));
        assertEquals(List.of(), PairSelection.dpo(List.of(c("a", 0, true, 5))));
    }

    @Test
    void allCorrectEqualLengthGivesSftButNoDpo() {
        List<Candidate<String>> g = List.of(c("a", 0, true, 5), c("b", 1, true, 5), c("c", 2, true, 5));
        assertEquals(List.of("a", "b"), PairSelection.sft(g));
        assertEquals(List.of(), PairSelection.dpo(g));
    }

    @Property
    void selectionInvariants(@ForAll @Size(max = 16) List<@IntRange(min = 1, max = 50) Integer> lengths,
            @ForAll @Size(min = 16, max = 16) List<Boolean> correct) {
        List<Candidate<Integer>> g = new ArrayList<>();
        for (int i = 0; i < lengths.size(); i++) {
            g.add(new Candidate<>(i, i, correct.get(i), lengths.get(i)));
        }
        List<Integer> sft = PairSelection.sft(g);
        assertTrue(sft.size() <= 2);
        long correctCount = g.stream().filter(Candidate::correct).count();
        if (g.size() >= 2) {
            assertEquals(Math.min(2, correctCount), sft.size());
        } else {
            assertTrue(sft.isEmpty());
        }
        for (int s : sft) {
            assertTrue(g.get(s).correct());
            for (Candidate<Integer> other : g) {
                if (other.correct() && !sft.contains(other.item())) {
                    assertTrue(g.get(s).length() <= other.length());
                }
            }
        }
        int longest = g.stream().mapToInt(Candidate::length).max().orElse(0);
        for (PairSelection.Pair<Integer> p : PairSelection.dpo(g)) {
            assertTrue(sft.contains(p.chosen()));
            assertEquals(longest, g.get(p.rejected()).length());
            assertTrue(g.get(p.rejected()).length() > g.get(p.chosen()).length());
        }
    }
}
