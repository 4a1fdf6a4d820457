package org.o1pruner.trainer;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.o1pruner.grading.reward.GroupStats;
import org.o1pruner.grading.reward.LengthHarmonizingReward;
import org.o1pruner.grading.reward.Outcome;
import org.o1pruner.model.CausalLM;
import org.o1pruner.model.ModelConfig;
import org.o1pruner.model.GradMode;
import org.o1pruner.schema.FinishReason;
import org.o1pruner.schema.SampleRecord;
import org.o1pruner.schema.ScoredRecord;
import org.o1pruner.toyworld.Split;
import org.o1pruner.toyworld.ToyProblem;
import org.o1pruner.toyworld.ToyPrompt;
import org.o1pruner.toyworld.ToyVocabulary;
import org.o1pruner.toyworld.ToyWorld;
import org.o1pruner.toyworld.Trace;
import org.o1pruner.toyworld.Variant;
import org.o1pruner.trainer.core.PackedBatch;
import org.o1pruner.trainer.loss.ResponseLogProbs;

/**
 * A small world for trainer tests and {@link TrainerBenchmark}: a random tiny model of the engine with the toy-world tokenizer,
 * and scored records made from toy-world traces whose recorded log-probs are that model's own
 * (so the model is π_ref exactly, as a sampler running it would record).
 */
public final class TestWorld {
    private TestWorld() {}

    /** A tiny Qwen2 over the toy vocabulary. */
    public static ModelConfig config(int hidden, int layers) {
        ToyVocabulary v = ToyVocabulary.get();
        return ModelConfig.tiny(v.size(), hidden, layers).toBuilder()
                .optMaxPositionEmbeddings(1024)
                .optEosTokenIds(List.of(v.eosId()))
                .build();
    }

    /** Writes a random model with the toy tokenizer as a Hugging Face directory. */
    public static Path writeModel(Path dir, ModelConfig config, long seed) {
        ToyVocabulary v = ToyVocabulary.get();
        try (CausalLM m = CausalLM.random(config, seed, Device.cpu())) {
            m.save(dir, Map.of("tokenizer.json", v.tokenizerJson(), "tokenizer_config.json", v.tokenizerConfigJson()));
        }
        return dir;
    }

    /**
     * K scored samples for each of {@code problems} toy training problems: traces tokenized with
     * the toy vocabulary (EOS appended), log-probs from {@code model}, rewards R_LH with λ = 2.
     */
    public static List<ScoredRecord> scored(CausalLM model, int firstProblem, int problems, int k, long seed) {
        ToyWorld world = ToyWorld.standard();
        ToyVocabulary v = world.vocabulary();
        Random rng = new Random(seed);
        List<ToyProblem> all = world.problems(Split.TRAIN);
        LengthHarmonizingReward reward = LengthHarmonizingReward.defaults();
        List<ScoredRecord> out = new ArrayList<>();
        for (int p = firstProblem; p < firstProblem + problems; p++) {
            ToyProblem problem = all.get(p);
            int[] prompt = v.encode(ToyPrompt.render(problem, Variant.LONG));
            List<int[]> responses = new ArrayList<>();
            List<Boolean> correct = new ArrayList<>();
            List<Outcome> outcomes = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                Trace t = world.trace(problem, rng, Variant.LONG);
                int[] body = v.encode(t.text());
                int[] resp = java.util.Arrays.copyOf(body, body.length + 1);
                resp[body.length] = v.eosId();
                responses.add(resp);
                correct.add(t.correctFor(problem));
                outcomes.add(new Outcome(t.correctFor(problem), body.length));
            }
            GroupStats stats = GroupStats.of(outcomes);
            float[][] lps = logProbs(model, prompt, responses);
            for (int i = 0; i < k; i++) {
                SampleRecord s = new SampleRecord(problem.id(), problem.dataset(), 0, 0, i, k, "0", "default",
                        prompt, responses.get(i), lps[i], "trace", FinishReason.EOS, 1, 1_000);
                out.add(new ScoredRecord(s, correct.get(i), null, s.length(), stats.meanLength(),
                        stats.meanAccuracy(), k, reward.raw(stats, outcomes.get(i)), reward.lambda(), false, false,
                        2_000).validate());
            }
        }
        return out;
    }

    private static float[][] logProbs(CausalLM model, int[] prompt, List<int[]> responses) {
        List<int[]> prompts = new ArrayList<>();
        responses.forEach(r -> prompts.add(prompt));
        PackedBatch b = PackedBatch.pack(prompts, responses, 0);
        try (GradMode.Scope off = GradMode.disabled(); NDManager m = NDManager.newBaseManager()) {
            float[] flat = ResponseLogProbs.compute(model, b, m).toFloatArray();
            float[][] out = new float[responses.size()][];
            for (int i = 0; i < out.length; i++) {
                float[] row = java.util.Arrays.copyOfRange(flat, i * b.responseWidth(),
                        i * b.responseWidth() + responses.get(i).length);
                for (int j = 0; j < row.length; j++) {
                    row[j] = Math.min(row[j], 0f);
                }
                out[i] = row;
            }
            return out;
        }
    }
}
