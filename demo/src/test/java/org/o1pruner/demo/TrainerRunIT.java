package org.o1pruner.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.o1pruner.model.CausalLM;
import org.o1pruner.model.Manifest;
import org.o1pruner.schema.Codecs;
import org.o1pruner.schema.FinishReason;
import org.o1pruner.schema.Keys;
import org.o1pruner.schema.SampleRecord;
import org.o1pruner.schema.ScoredRecord;
import org.o1pruner.schema.Topics;
import org.o1pruner.testing.EmbeddedKafkaBroker;
import org.o1pruner.toyworld.ToyVocabulary;
import org.o1pruner.trainer.core.Objective;
import org.o1pruner.trainer.core.SamplesPerProblem;
import org.o1pruner.trainer.core.Tracked;

/**
 * The demo's training of each method on the embedded broker, from scored records that do have
 * correct samples (a random model writes none, so {@link DemoQuickIT} cannot reach SFT and DPO):
 * each trainer trains exactly the items the objective makes of the data, in the scheduled steps,
 * and leaves a verified checkpoint.
 */
class TrainerRunIT {
    private static final int PROBLEMS = 6;
    private static final int K = 4;

    @TempDir
    Path tmp;

    /** Problem p, sample i: length 6 + 3i + p, correct unless i = 2 (and i = 1 on odd problems). */
    private static List<ScoredRecord> records() {
        int eos = ToyVocabulary.get().eosId();
        List<ScoredRecord> out = new ArrayList<>();
        for (int p = 0; p < PROBLEMS; p++) {
            int[] lengths = new int[K];
            boolean[] correct = new boolean[K];
            double meanLength = 0;
            double meanAccuracy = 0;
            for (int i = 0; i < K; i++) {
                lengths[i] = 6 + 3 * i + p;
                correct[i] = i != 2 && !(i == 1 && p % 2 == 1);
                meanLength += lengths[i] / (double) K;
                meanAccuracy += (correct[i] ? 1.0 : 0.0) / K;
            }
            for (int i = 0; i < K; i++) {
                int[] response = new int[lengths[i] + 1];
                for (int t = 0; t < lengths[i]; t++) {
                    response[t] = 10 + (t * 7 + p) % 40;
                }
                response[lengths[i]] = eos;
                float[] logProbs = new float[response.length];
                Arrays.fill(logProbs, -1.5f);
                SampleRecord s = new SampleRecord("toy-" + p, "toy_train", 0, 0, i, K, "7", "default",
                        new int[] {3, 4, 5, 6, 7 + p}, response, logProbs, "t", FinishReason.EOS, 1, 1);
                double raw = meanLength / lengths[i] - 1 + 2 * ((correct[i] ? 1 : 0) - meanAccuracy);
                out.add(new ScoredRecord(s, correct[i], correct[i] ? "7" : "8", lengths[i], meanLength, meanAccuracy, K,
                        raw, 2, false, false, 1).validate());
            }
        }
        return out;
    }

    @Test
    void everyMethodTrainsItsItemsAndLeavesAVerifiedCheckpoint() throws Exception {
        Path model = TinyModel.write(tmp.resolve("model"), 5);
        DemoConfig.Settings settings = DemoConfig.load(Map.of("O1P_DEMO_BATCH_SIZE", "2",
                "O1P_DEMO_GRAD_ACCUMULATION", "2", "O1P_DEMO_THREADS", "1"));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            broker.createTopic(Topics.SCORED, 1, Map.of());
            broker.createTopic(Topics.CHECKPOINTS, 1, Map.of());
            broker.createTopic(Topics.DEAD_LETTER, 1, Map.of());
            List<Tracked> tracked = new ArrayList<>();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
                for (ScoredRecord r : records()) {
                    RecordMetadata md = producer.send(new ProducerRecord<>(Topics.SCORED, 0, Keys.of(r),
                            Codecs.SCORED.encode(r))).get();
                    tracked.add(new Tracked(md.partition(), md.offset(), r));
                }
            }
            TrainerRun runner = new TrainerRun(settings, model, System.err);
            record Case(Method method, Objective objective, SamplesPerProblem spp) {}
            for (Case c : List.of(new Case(Method.SFT, Objective.SFT, SamplesPerProblem.ALL),
                    new Case(Method.DPO, Objective.DPO, SamplesPerProblem.ALL),
                    new Case(Method.O1_PRUNER, Objective.LENGTH_HARMONIZING, new SamplesPerProblem(2)))) {
                long items = PresampleStats.trainingItems(c.objective(), c.spp(), tracked);
                assertTrue(items > 0, c + " has items");
                TrainerRun.Trained t = runner.train(c.method(), c.objective(), items, 1e-4, 1, c.spp(), 2,
                        broker.bootstrapServers(), tmp.resolve("work"), new SimpleMeterRegistry());
                assertEquals(items, t.training().items(), c + ": trained exactly its items");
                assertEquals((items + 3) / 4, t.training().steps(), c + ": the scheduled steps");
                assertTrue(t.training().version() >= 1);
                assertEquals(t.training().version(), t.checkpoints().get(t.checkpoints().size() - 1).version());
                Path dir = t.dir().orElseThrow();
                assertTrue(Files.isRegularFile(dir.resolve(Manifest.FILE_NAME)), dir.toString());
                CausalLM.verify(dir);
                try (CausalLM loaded = CausalLM.load(dir, Device.cpu())) {
                    assertEquals(2, loaded.config().numLayers());
                }
            }
            // SFT: the two shortest correct of every problem; DPO: each against the longest sample, which on
            // odd problems is itself one of the two (correct samples 0 and 3), leaving one pair there
            assertEquals(2L * PROBLEMS, PresampleStats.trainingItems(Objective.SFT, SamplesPerProblem.ALL, tracked));
            assertEquals(2L * PROBLEMS / 2 + PROBLEMS / 2, PresampleStats.trainingItems(Objective.DPO, SamplesPerProblem.ALL, tracked));
        }
    }
}
