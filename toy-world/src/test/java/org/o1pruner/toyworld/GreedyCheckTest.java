package org.o1pruner.toyworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.o1pruner.model.CausalLM;
import org.o1pruner.model.GradMode;

class GreedyCheckTest {

    private static final ReferenceModelBuilder.Settings TINY =
            new ReferenceModelBuilder.Settings(2, 32, 4, 2, 72, 1, 4, 1e-2, 0.1, 0.15, 9L, 10, 1);

    /** Greedy decoding the slow way: one problem, no padding, the whole sequence re-run every step. */
    private static List<Integer> reference(CausalLM model, ToyProblem p, int maxNew) {
        ToyVocabulary v = ToyVocabulary.get();
        List<Integer> seq = new ArrayList<>();
        for (int id : v.encode(ToyPrompt.render(p, Variant.LONG))) {
            seq.add(id);
        }
        int promptLength = seq.size();
        try (GradMode.Scope g = GradMode.disabled(); NDManager nd = NDManager.newBaseManager(Device.cpu())) {
            for (int step = 0; step < maxNew; step++) {
                long[] ids = seq.stream().mapToLong(Integer::longValue).toArray();
                NDArray in = nd.create(ids, new Shape(1, ids.length));
                NDArray mask = nd.ones(new Shape(1, ids.length), DataType.INT64);
                int next = (int) model.forward(in, mask, null).get(new NDIndex("0, -1, :")).argMax().getLong();
                if (next == v.eosId()) {
                    break;
                }
                seq.add(next);
            }
        }
        return seq.subList(promptLength, seq.size());
    }

    @org.junit.jupiter.api.BeforeAll
    static void oneThread() {
        GradMode.setIntraOpThreads(1);
    }

    @Test
    void batchedCachedDecodingEqualsTheSlowWay() {
        List<ToyProblem> problems = ToyWorld.standard().problems(Split.TEST).subList(0, 5);
        try (CausalLM model = CausalLM.random(TINY.modelConfig(), TINY.seed(), Device.cpu())) {
            List<GreedyCheck.Outcome> out = GreedyCheck.run(model, problems, Variant.LONG, 10, 3);
            assertEquals(problems.size(), out.size());
            for (int i = 0; i < problems.size(); i++) {
                GreedyCheck.Outcome o = out.get(i);
                List<Integer> expected = reference(model, problems.get(i), 10);
                int[] ids = expected.stream().mapToInt(Integer::intValue).toArray();
                assertEquals(ToyVocabulary.get().decode(ids), o.text(), "problem " + i);
                assertEquals(ids.length, o.tokens());
                assertTrue(o.tokens() <= 10);
            }
        }
    }

    @Test
    void outcomesGradeTheLastBoxedAnswer() {
        ToyProblem p = ToyProblem.of("t", "d", Arithmetic.parse("7+8-5"));
        assertTrue(new GreedyCheck.Outcome(p, Variant.LONG, "so 9. \\boxed{9} Not 9, so 10. \\boxed{10}.", 5, true)
                .correct());
        assertFalse(new GreedyCheck.Outcome(p, Variant.LONG, "\\boxed{10} \\boxed{9}", 5, true).correct());
        assertFalse(new GreedyCheck.Outcome(p, Variant.LONG, "so 10.", 5, false).correct());
        String table = GreedyCheck.summary(List.of(new GreedyCheck.Outcome(p, Variant.LONG, "\\boxed{10}", 4, true)));
        assertTrue(table.contains("| medium | long | 1 | 100.0 % | 4.0 | 100.0 % |"), table);
    }
}
