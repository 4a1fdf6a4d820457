package org.o1pruner.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.o1pruner.trainer.core.SamplesPerProblem;

class DemoAblationTest {

    @Test
    void variantsCoverThePapersLambdasAndTwoVersusAll() {
        List<DemoAblation.Variant> v = DemoAblation.variants(2, SamplesPerProblem.ALL);
        assertEquals(List.of("lambda0-spp-all", "lambda1-spp-all", "lambda2-spp-all", "lambda5-spp-all", "lambda2-spp-2"),
                v.stream().map(DemoAblation.Variant::name).toList());
    }

    @Test
    void tableHasOneRowPerVariantAndDecoding() {
        RunResults r = ReportWriterTest.results();
        String md = DemoAblation.markdown(DemoConfig.load(Map.of()),
                List.of(new DemoAblation.Result(new DemoAblation.Variant(0, SamplesPerProblem.ALL), r),
                        new DemoAblation.Result(new DemoAblation.Variant(5, new SamplesPerProblem(2)), r)));
        assertTrue(md.contains("| 0 | all | greedy | 50.0 | 100.0 | 54.0 | 60.0 |"), md);
        assertTrue(md.contains("| 5 | 2 | sampled |"), md);
        assertEquals(4, md.lines().filter(l -> l.startsWith("| 0 ") || l.startsWith("| 5 ")).count());
    }
}
