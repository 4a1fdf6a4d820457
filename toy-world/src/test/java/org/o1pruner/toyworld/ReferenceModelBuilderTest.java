package org.o1pruner.toyworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.o1pruner.model.CausalLM;

/** A short supervised run of the real engine on toy traces. */
class ReferenceModelBuilderTest {

    private static ReferenceModelBuilder.Settings tiny(int steps) {
        return new ReferenceModelBuilder.Settings(2, 32, 4, 2, 72, steps, 4, 1e-2, 0.1, 0.15, 5L, 10, 1);
    }

    @Test
    void aShortSftRunLowersTheLoss() {
        ReferenceModelBuilder.Settings s = tiny(25);
        try (CausalLM model = CausalLM.random(s.modelConfig(), s.seed(), Device.cpu())) {
            ReferenceModelBuilder.Report r = ReferenceModelBuilder.train(model, s, null);
            List<Double> l = r.losses();
            assertEquals(25, l.size());
            double first = (l.get(0) + l.get(1) + l.get(2)) / 3;
            double last = ReferenceModelBuilder.meanOfLast(l, 5);
            assertTrue(first > Math.log(ToyVocabulary.get().size()) - 0.5, "starts near uniform: " + first);
            assertTrue(last < 0.7 * first, "loss should fall: first " + first + ", last " + last);
            assertTrue(r.tokens() > 0);
        }
    }

    @Test
    void buildWritesAVerifiedLoadableCheckpointWithTheToyTokenizer(@org.junit.jupiter.api.io.TempDir
                                                                    java.nio.file.Path tmp) throws Exception {
        ReferenceModelBuilder.Settings s = tiny(2);
        java.nio.file.Path out = tmp.resolve("ref");
        ReferenceModelBuilder.build(s, out, null);
        CausalLM.verify(out);
        for (String f : ToyWorld.TOKENIZER_FILES) {
            assertEquals(ToyWorld.readResource(ToyWorld.RESOURCE_DIR + "/tokenizer/" + f),
                    java.nio.file.Files.readString(out.resolve(f)));
        }
        assertTrue(java.nio.file.Files.size(out.resolve("model.safetensors")) < 10_000_000);
        try (CausalLM loaded = CausalLM.load(out, Device.cpu())) {
            assertEquals(s.modelConfig().vocabSize(), loaded.config().vocabSize());
            assertEquals(List.of(ToyVocabulary.get().eosId()), loaded.config().eosTokenIds());
        }
        java.nio.file.Files.writeString(out.resolve("tokenizer.json"), "{}");
        org.junit.jupiter.api.Assertions.assertThrows(org.o1pruner.model.CheckpointException.class,
                () -> CausalLM.verify(out));
    }

    @Test
    void theShippedDefaultFitsTheSizeBudget() {
        long params = ReferenceModelBuilder.Settings.defaults().modelConfig().parameterCount();
        assertTrue(params * 4 < 10_000_000, "default reference model has " + params + " parameters");
    }

    @Test
    void batchesScoreExactlyTheResponse() {
        ToyWorld.SftStream stream = ToyWorld.standard().sftStream(Split.TRAIN, 1, 0.5);
        List<ToyWorld.SftExample> ex = List.of(stream.next(), stream.next(), stream.next());
        SftBatch b = SftBatch.of(ex);
        int scored = 0;
        for (int i = 0; i < ex.size(); i++) {
            int[] prompt = ToyVocabulary.get().encode(ex.get(i).prompt());
            int[] response = ToyVocabulary.get().encode(ex.get(i).response());
            int rowScored = 0;
            for (int t = 0; t < b.width(); t++) {
                if (b.lossMask()[i][t] == 1) {
                    assertEquals(response[rowScored], b.targets()[i][t]);
                    assertEquals(1, b.attention()[i][t]);
                    rowScored++;
                }
            }
            assertEquals(response.length, rowScored);
            assertEquals(prompt[0], b.inputs()[i][0]);
            assertEquals(ToyVocabulary.get().eosId(), response[response.length - 1]);
            scored += rowScored;
        }
        assertEquals(scored, b.tokens());
    }
}
