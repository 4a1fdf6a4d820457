package org.o1pruner.sampler;

import ai.djl.Device;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.o1pruner.model.CausalLM;
import org.o1pruner.model.GradMode;
import org.o1pruner.model.ModelConfig;
import org.o1pruner.schema.Codecs;
import org.o1pruner.schema.Keys;
import org.o1pruner.schema.PromptRecord;
import org.o1pruner.schema.SampleRecord;
import org.o1pruner.toyworld.ProblemFiles;
import org.o1pruner.toyworld.Split;
import org.o1pruner.toyworld.ToyVocabulary;
import org.o1pruner.toyworld.ToyWorld;

/**
 * Sampler throughput through the service (prompts topic → samples topic, transactions and all)
 * as a ratio to the engine's own sampling rate on the same prompts, batch size and settings,
 * measured in the same run: engine, service, engine again (the engine figure is the mean of the
 * two). Tokens/s counts generated response tokens; the service time runs from producing the
 * prompts (after a warm-up group has gone through, so the group join is not counted) until the
 * last sample is readable by a read_committed consumer.
 *
 * <p>Takes the bootstrap servers of a running cluster (the launcher's {@code o1p bench pipeline}
 * starts an embedded broker; the failsafe {@code SamplerBenchmarkIT} runs a small configuration).
 */
public final class SamplerBenchmark {

    /** What to measure. */
    public record Params(int prompts, int k, int maxNewTokens, int batchSize, int hidden, int layers) {
    }

    /** Figures of one run. */
    public record Result(Params params, long modelParameters, double engineTokensPerSecond1,
                         double serviceTokensPerSecond, double engineTokensPerSecond2, long serviceTokens,
                         double serviceSeconds, double engineBusySeconds) {
        public double engineTokensPerSecond() {
            return (engineTokensPerSecond1 + engineTokensPerSecond2) / 2;
        }

        public double ratio() {
            return serviceTokensPerSecond / engineTokensPerSecond();
        }

        /**
         * Share of the service's wall time spent inside engine batches, in the same interval: the
         * ratio to the engine's rate <em>during</em> the service run, immune to load that changes
         * between the separate runs (but blind to the service slowing the engine down).
         */
        public double busyFraction() {
            return engineBusySeconds / serviceSeconds;
        }

        @Override
        public String toString() {
            return String.format("model %,d params (d=%d, %d layers), %d prompts x K=%d, max %d new tokens, batch %d: "
                            + "engine %.0f / %.0f tok/s, service %.0f tok/s (%d tokens in %.2f s), ratio %.3f, "
                            + "engine busy %.3f of the service's time",
                    modelParameters, params.hidden(), params.layers(), params.prompts(), params.k(), params.maxNewTokens(),
                    params.batchSize(), engineTokensPerSecond1, engineTokensPerSecond2, serviceTokensPerSecond,
                    serviceTokens, serviceSeconds, ratio(), busyFraction());
        }
    }

    private SamplerBenchmark() {
    }

    /** The random benchmark model: a tiny Qwen2 over the toy vocabulary. */
    public static ModelConfig config(int hidden, int layers) {
        ToyVocabulary v = ToyVocabulary.get();
        return ModelConfig.tiny(v.size(), hidden, layers).toBuilder()
                .optEosTokenIds(List.of(v.eosId())).optMaxPositionEmbeddings(512).build();
    }

    /** Runs engine, service, engine on the cluster at {@code bootstrapServers}; writes the model under {@code tmp}. */
    public static Result run(String bootstrapServers, Path tmp, Params p) throws Exception {
        ToyVocabulary v = ToyVocabulary.get();
        Path dir = tmp.resolve("bench-model");
        long nParams;
        try (CausalLM m = CausalLM.random(config(p.hidden(), p.layers()), 42, Device.cpu())) {
            nParams = m.config().parameterCount();
            m.save(dir, Map.of("tokenizer.json", v.tokenizerJson(), "tokenizer_config.json", v.tokenizerConfigJson()));
        }
        List<String> lines = ToyWorld.standard().problems(Split.TRAIN).subList(0, p.prompts()).stream()
                .map(ProblemFiles::toLine).collect(Collectors.toList());
        List<PromptRecord> prompts = PromptLoader.parse(lines, new PromptLoader.Options("toy_train", null, p.k(), 0, 0,
                PromptRecord.VARIANT_DEFAULT, 0, System.currentTimeMillis())).prompts();
        // a random model never writes EOS: every sample has maxNewTokens tokens, so both sides do equal work
        SamplingSettings settings = new SamplingSettings(0.5, 0.8, 0, p.maxNewTokens(), List.of(), 7);

        double engine1;
        double engine2;
        GradMode.setIntraOpThreads(1);
        try (ModelPolicy policy = ModelPolicy.load(dir, 0, Device.cpu(), p.batchSize())) {
            engineRate(policy, prompts, settings, p.batchSize()); // warm-up
            engine1 = engineRate(policy, prompts, settings, p.batchSize());
        }

        String id = UUID.randomUUID().toString().substring(0, 8);
        String in = "bench-prompts-" + id;
        String out = "bench-samples-" + id;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(in, 4, (short) 1), new NewTopic(out, 4, (short) 1),
                    new NewTopic("bench-dlq-" + id, 1, (short) 1))).all().get(1, TimeUnit.MINUTES);
        }
        Map<String, String> env = new HashMap<>();
        env.put("O1P_KAFKA_BOOTSTRAP", bootstrapServers);
        env.put("O1P_SAMPLER_MODEL_DIR", dir.toString());
        env.put("O1P_SAMPLER_INPUT_TOPIC", in);
        env.put("O1P_SAMPLER_OUTPUT_TOPIC", out);
        env.put("O1P_SAMPLER_DEAD_LETTER_TOPIC", "bench-dlq-" + id);
        env.put("O1P_SAMPLER_DEVICE", "cpu");
        env.put("O1P_SAMPLER_THREADS", "1");
        env.put("O1P_SAMPLER_BATCH_SIZE", Integer.toString(p.batchSize()));
        env.put("O1P_SAMPLER_PROMPTS_PER_TRANSACTION", Integer.toString(Math.max(1, 2 * p.batchSize() / p.k())));
        env.put("O1P_SAMPLER_MAX_NEW_TOKENS", Integer.toString(p.maxNewTokens()));
        env.put("O1P_SAMPLER_TEMPERATURE", "0.5");
        env.put("O1P_SAMPLER_TOP_P", "0.8");
        env.put("O1P_CONSUMER_GROUP", "bench-" + id);
        env.put("O1P_TRANSACTIONAL_ID_PREFIX", "bench-" + id);
        env.put("O1P_POLL_TIMEOUT", "50ms");
        long serviceTokens = 0;
        double serviceSeconds;
        double busySeconds;
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<PromptRecord> warmup = prompts.subList(0, Math.min(2, prompts.size())).stream()
                .map(r -> new PromptRecord("warmup-" + r.problemId(), r.dataset(), r.split(), r.problem(), r.answer(),
                        r.k(), r.round(), r.policyVersion(), r.variant(), r.createdAtMs()))
                .toList();
        int expected = prompts.size() * p.k();
        try (SamplerService service = SamplerService.start(SamplerConfig.load(env), registry);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                     new ByteArraySerializer(), new ByteArraySerializer());
             KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                     ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                     new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = reader.partitionsFor(out).stream()
                    .map(i -> new TopicPartition(out, i.partition())).toList();
            reader.assign(parts);
            reader.seekToBeginning(parts);
            if (!service.awaitRunning(Duration.ofMinutes(2))) {
                throw new IllegalStateException("the sampler did not start");
            }
            // warm-up: the group join and the first transaction are not throughput
            send(producer, in, warmup);
            int warm = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (warm < warmup.size() * p.k() && System.nanoTime() < deadline) {
                warm += reader.poll(Duration.ofMillis(20)).count();
            }
            double busy0 = registry.get("o1p.sampler.batch.duration").timer().totalTime(TimeUnit.SECONDS);
            long t0 = System.nanoTime();
            send(producer, in, prompts);
            int seen = 0;
            deadline = t0 + Duration.ofMinutes(30).toNanos();
            while (seen < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(20))) {
                    SampleRecord s = Codecs.SAMPLE.decode(r.value());
                    serviceTokens += s.responseTokenIds().length;
                    seen++;
                }
            }
            serviceSeconds = (System.nanoTime() - t0) / 1e9;
            busySeconds = registry.get("o1p.sampler.batch.duration").timer().totalTime(TimeUnit.SECONDS) - busy0;
            if (seen < expected) {
                throw new IllegalStateException("only " + seen + " of " + expected + " samples arrived");
            }
        }
        try (ModelPolicy policy = ModelPolicy.load(dir, 0, Device.cpu(), p.batchSize())) {
            engine2 = engineRate(policy, prompts, settings, p.batchSize());
        }
        return new Result(p, nParams, engine1, serviceTokens / serviceSeconds, engine2, serviceTokens, serviceSeconds,
                busySeconds);
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, List<PromptRecord> prompts) {
        for (PromptRecord r : prompts) {
            producer.send(new ProducerRecord<>(topic, Keys.of(r), Codecs.PROMPT.encode(r)));
        }
        producer.flush();
    }

    /** The engine alone: the same flattened prompts × K, in batches of the same size. */
    static double engineRate(ModelPolicy policy, List<PromptRecord> prompts, SamplingSettings s, int batchSize) {
        List<int[]> rows = new ArrayList<>();
        for (PromptRecord r : prompts) {
            int[] t = policy.promptTokens(r);
            for (int i = 0; i < r.k(); i++) {
                rows.add(t);
            }
        }
        long tokens = 0;
        long t0 = System.nanoTime();
        for (int from = 0; from < rows.size(); from += batchSize) {
            for (Completion c : policy.generate(rows.subList(from, Math.min(rows.size(), from + batchSize)), s, from)) {
                tokens += c.tokens().length;
            }
        }
        return tokens / ((System.nanoTime() - t0) / 1e9);
    }
}
