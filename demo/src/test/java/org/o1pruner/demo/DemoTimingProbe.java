package org.o1pruner.demo;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.o1pruner.model.CausalLM;
import org.o1pruner.model.ModelConfig;
import org.o1pruner.toyworld.ToyVocabulary;

/**
 * Times the demo's phases on a random model of the shipped reference model's size (6 layers,
 * d = 192, 6 heads, 2 KV heads, SwiGLU 384): a random model never ends early, so every solution
 * runs to the token limit, which bounds the real model's cost from above. Not a test; run with
 * the test class path: {@code java ... org.o1pruner.demo.DemoTimingProbe PROBLEMS K MAX_NEW EVAL_PROBLEMS}.
 */
public final class DemoTimingProbe {
    private DemoTimingProbe() {}

    public static void main(String[] args) throws Exception {
        ToyVocabulary v = ToyVocabulary.get();
        ModelConfig c = ModelConfig.tiny(v.size(), 192, 6).toBuilder()
                .setNumHeads(6).optNumKvHeads(2).setIntermediateSize(384)
                .optMaxPositionEmbeddings(512).optEosTokenIds(List.of(v.eosId())).build();
        Path tmp = Files.createTempDirectory("o1p-probe-");
        Path model = tmp.resolve("model");
        try (CausalLM m = CausalLM.random(c, 3, Device.cpu())) {
            m.save(model, Map.of("tokenizer.json", v.tokenizerJson(), "tokenizer_config.json", v.tokenizerConfigJson()));
        }
        DemoConfig.Settings s = DemoConfig.load(Map.of("O1P_DEMO_MODEL_DIR", model.toString(),
                "O1P_DEMO_REPORT_DIR", tmp.resolve("report").toString(), "O1P_DEMO_HTTP_PORT", "0",
                "O1P_DEMO_PROBLEMS", args[0], "O1P_DEMO_K", args[1], "O1P_DEMO_MAX_NEW_TOKENS", args[2],
                "O1P_DEMO_EVAL_PROBLEMS", args[3], "O1P_DEMO_CHECKPOINTS", "2"));
        DemoRun.Outcome o = new DemoRun(s, model, System.err).run();
        System.out.println(o.table());
        System.out.println(o.results().phaseSeconds());
        System.out.println(o.results().presampling());
        System.out.println(o.results().training());
    }
}
