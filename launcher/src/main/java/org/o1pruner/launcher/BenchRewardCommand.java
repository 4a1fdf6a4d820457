package org.o1pruner.launcher;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.o1pruner.grading.Grader;
import org.o1pruner.reward.RewardConfig;
import org.o1pruner.reward.RewardMetrics;
import org.o1pruner.reward.RewardService;
import org.o1pruner.runtime.KafkaClientProps;
import org.o1pruner.runtime.LoopOptions;
import org.o1pruner.schema.Codecs;
import org.o1pruner.schema.DeadLetterReason;
import org.o1pruner.schema.Keys;
import org.o1pruner.schema.SampleRecord;
import org.o1pruner.testing.EmbeddedKafkaBroker;
import org.o1pruner.testing.ExternalKafkaCluster;
import org.o1pruner.testing.KafkaCluster;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code o1p bench reward}: the reward service's throughput against the broker's own
 * ceiling. For each response size it pre-loads the same samples into an input topic, then
 * measures on the same broker (a) the raw consume+produce rate: a plain exactly-once loop
 * that copies every record to an output topic with the very client properties and
 * transaction cadence of the runtime's loop (read_committed consumer, idempotent
 * transactional producer, one transaction per poll of at most max-poll-records), and
 * (b) the reward service reading the same topic (decode, grade, group, score, changelog,
 * scored output). Both clocks run from the first record received (after start-up and the
 * consumer group join) to the commit that covers the last input record. A warm-up of both
 * comes first, then {@code --repeats} pairs of runs in ABBA order (so that load drift and
 * warm-up favour neither side); the medians are reported. Also measures the grader's p99 latency per sample.
 */
@Command(name = "reward", mixinStandardHelpOptions = true,
        description = "Benchmark the reward service against the raw transactional consume+produce rate.")
public final class BenchRewardCommand implements Callable<Integer> {

    @Option(names = "--sizes", split = ",", defaultValue = "200,2000",
            description = "Response lengths in tokens (default: ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--samples", defaultValue = "0",
            description = "Samples per size; 0 = about 3.2 M tokens' worth (16,000 at 200 tokens, 1,600 at 2,000).")
    int samples;

    @Option(names = "--k", defaultValue = "8", description = "Samples per problem (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--partitions", defaultValue = "4", description = "Input topic partitions (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--max-poll-records", defaultValue = "500",
            description = "Records per poll = per transaction at most, for both loops (default: ${DEFAULT-VALUE}).")
    int maxPollRecords;

    @Option(names = "--repeats", defaultValue = "4",
            description = "Raw/reward run pairs per size, in ABBA order; medians are reported (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--phase-timeout", defaultValue = "300s", converter = DurationConverter.class,
            description = "Give up when one timed run takes longer (default: ${DEFAULT-VALUE}).")
    Duration phaseTimeout;

    /** Parses {@code 300s}, {@code 5m} or ISO-8601. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            } else if (v.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            } else if (v.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            return Duration.parse(value);
        }
    }

    @Option(names = "--bootstrap", description = "Use this cluster instead of starting an embedded broker.")
    String bootstrap;

    /** One size's figures. */
    record Figures(int tokens, int samples, double samplesPerS, double rawPerS, double gradeP99Ms, double gradeP50Ms) {
        double ratio() {
            return samplesPerS / rawPerS;
        }
    }

    /** Standalone entry point, for running the benchmark without the full launcher. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchRewardCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (repeats < 1 || k < 1 || partitions < 1 || maxPollRecords < 1 || samples < 0 || sizes.stream().anyMatch(t -> t < 1)) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--repeats, --k, --partitions, --max-poll-records and --sizes must be positive, --samples >= 0");
        }
        List<Figures> all = new ArrayList<>();
        try (KafkaCluster cluster = bootstrap != null ? new ExternalKafkaCluster(bootstrap) : EmbeddedKafkaBroker.start()) {
            System.out.println("bench reward: " + cluster.description() + ", " + partitions + " partitions, K=" + k
                    + ", max.poll.records=" + maxPollRecords + ", " + Runtime.getRuntime().availableProcessors() + " CPUs");
            runSize(cluster, sizes.get(0), 250 * k, 2); // warm-up: JIT, internal topics, group coordinators
            for (int tokens : sizes) {
                Figures f = runSize(cluster, tokens, samples > 0 ? samples : Math.max(8 * k, 3_200_000 / tokens), repeats);
                all.add(f);
                System.out.printf(Locale.ROOT, "%5d tokens: %6d samples  reward %9.1f samples/s  raw %9.1f samples/s  "
                                + "ratio %.3f  grading p50 %.3f ms p99 %.3f ms%n",
                        f.tokens(), f.samples(), f.samplesPerS(), f.rawPerS(), f.ratio(), f.gradeP50Ms(), f.gradeP99Ms());
            }
        }
        System.out.println(json(all));
        return 0;
    }

    private String json(List<Figures> all) {
        StringBuilder sb = new StringBuilder("{\"benchmark\":\"reward\",\"transactional\":true,\"partitions\":")
                .append(partitions).append(",\"k\":").append(k).append(",\"max_poll_records\":").append(maxPollRecords)
                .append(",\"repeats\":").append(repeats)
                .append(",\"cpus\":").append(Runtime.getRuntime().availableProcessors()).append(",\"sizes\":[");
        for (int i = 0; i < all.size(); i++) {
            Figures f = all.get(i);
            sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"tokens\":%d,\"samples\":%d,\"samples_per_s\":%.1f,\"raw_per_s\":%.1f,\"ratio\":%.3f,"
                            + "\"grade_p50_ms\":%.4f,\"grade_p99_ms\":%.4f}",
                    f.tokens(), f.samples(), f.samplesPerS(), f.rawPerS(), f.ratio(), f.gradeP50Ms(), f.gradeP99Ms()));
        }
        return sb.append("]}").toString();
    }

    private Figures runSize(KafkaCluster cluster, int tokens, int requested, int times) throws Exception {
        int n = requested;
        int problems = Math.max(1, n / k);
        n = problems * k;
        List<SampleRecord> records = BenchSamples.generate(problems, k, tokens, 20250101L + tokens);
        double[] grading = gradingMillis(records);

        String in = "bench.samples." + tokens + "-" + Long.toHexString(System.nanoTime());
        cluster.createTopic(in, partitions, Map.of());
        preload(cluster, in, records);
        records = null; // let the generator's copies go before the timed runs

        double[] raw = new double[times];
        double[] reward = new double[times];
        for (int r = 0; r < times; r++) {
            String run = tokens + "-" + Long.toHexString(System.nanoTime());
            cluster.createTopic("bench.raw." + run, partitions, Map.of());
            cluster.createTopic("bench.scored." + run, partitions, Map.of());
            cluster.createTopic("bench.dlq." + run, 1, Map.of());
            // ABBA order: load drift and warm-up favour neither side
            if (r % 2 == 0) {
                raw[r] = raw(cluster, in, "bench.raw." + run, run, n);
                reward[r] = reward(cluster, in, run, n);
            } else {
                reward[r] = reward(cluster, in, run, n);
                raw[r] = raw(cluster, in, "bench.raw." + run, run, n);
            }
            System.out.printf(Locale.ROOT, "      run %d/%d at %d tokens: raw %.1f/s, reward %.1f/s%n",
                    r + 1, times, tokens, raw[r], reward[r]);
        }
        return new Figures(tokens, n, median(reward), median(raw), grading[1], grading[0]);
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }

    /** p50 and p99 of the grader's time per sample, in milliseconds, after a warm-up. */
    private static double[] gradingMillis(List<SampleRecord> records) {
        Grader grader = Grader.defaults();
        for (int i = 0; i < Math.min(2000, records.size()); i++) {
            grader.grade(records.get(i).text(), records.get(i).answer());
        }
        long[] nanos = new long[records.size()];
        for (int i = 0; i < nanos.length; i++) {
            SampleRecord s = records.get(i);
            long t0 = System.nanoTime();
            grader.grade(s.text(), s.answer());
            nanos[i] = System.nanoTime() - t0;
        }
        Arrays.sort(nanos);
        return new double[] {nanos[nanos.length / 2] / 1e6, nanos[(int) Math.ceil(nanos.length * 0.99) - 1] / 1e6};
    }

    private static void preload(KafkaCluster cluster, String topic, List<SampleRecord> records) {
        // Not idempotent, one request in flight, bounded chunks: on this overloaded 2-core box an
        // idempotent producer sometimes restarts its sequence numbers and the broker then rejects it
        // forever (OUT_OF_ORDER_SEQUENCE_NUMBER). A rare duplicate from a retry would be dropped by
        // the reward service and copied by the raw loop, which both stop at n records.
        Map<String, Object> p = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 300_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            long bytes = 0;
            for (SampleRecord s : records) {
                byte[] value = Codecs.SAMPLE.encode(s);
                producer.send(new ProducerRecord<>(topic, Keys.of(s), value));
                bytes += value.length;
                if (bytes > 8 << 20) {
                    producer.flush();
                    bytes = 0;
                }
            }
            producer.flush();
        }
    }

    /** The loop options both runs share (the reward service builds the same from its config). */
    private LoopOptions options(KafkaCluster cluster, String service, String group, String txId, String in) {
        return LoopOptions.builder().setService(service).setBootstrapServers(cluster.bootstrapServers())
                .setGroupId(group).setTransactionalId(txId).setInputTopics(List.of(in))
                .optMaxPollRecords(maxPollRecords).optPollTimeout(Duration.ofMillis(100)).build();
    }

    /** The raw exactly-once copy loop; returns records per second. */
    private double raw(KafkaCluster cluster, String in, String out, String run, int n) {
        LoopOptions o = options(cluster, "raw", "bench-raw-" + run, "bench-raw-" + run, in);
        long t0 = 0;
        long done = 0;
        long deadline = System.nanoTime() + phaseTimeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaClientProps.consumer(o));
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaClientProps.producer(o))) {
            producer.initTransactions();
            consumer.subscribe(List.of(in));
            while (done < n) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("raw loop copied only " + done + " of " + n + " in " + phaseTimeout);
                }
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(o.pollTimeout());
                if (batch.isEmpty()) {
                    continue;
                }
                if (t0 == 0) {
                    t0 = System.nanoTime();
                }
                producer.beginTransaction();
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                for (ConsumerRecord<byte[], byte[]> r : batch) {
                    producer.send(new ProducerRecord<>(out, r.key(), r.value()));
                    offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                }
                producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                producer.commitTransaction();
                done += batch.count();
            }
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    /** The reward service on the same input; returns samples per second. */
    private double reward(KafkaCluster cluster, String in, String run, int n) throws InterruptedException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("O1P_KAFKA_BOOTSTRAP", cluster.bootstrapServers());
        env.put("O1P_REWARD_INPUT_TOPIC", in);
        env.put("O1P_REWARD_OUTPUT_TOPIC", "bench.scored." + run);
        env.put("O1P_REWARD_CHANGELOG_TOPIC", "bench.changelog." + run);
        env.put("O1P_REWARD_DEAD_LETTER_TOPIC", "bench.dlq." + run);
        env.put("O1P_CONSUMER_GROUP", "bench-reward-" + run);
        env.put("O1P_TRANSACTIONAL_ID_PREFIX", "bench-" + run);
        env.put("O1P_MAX_POLL_RECORDS", Integer.toString(maxPollRecords));
        env.put("O1P_POLL_TIMEOUT", "100ms");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        long t0 = 0;
        long t1;
        try (RewardService service = RewardService.start(RewardConfig.load(env), registry)) {
            Counter committed = registry.get("o1p.reward.loop.records").counter();
            Counter received = registry.get(RewardMetrics.SAMPLES_IN).counter();
            while (committed.count() < n) {
                if (t0 == 0 && received.count() > 0) {
                    t0 = System.nanoTime();
                }
                if (!service.loop().isAlive()) {
                    throw new IllegalStateException("reward loop stopped: " + service.loop().failure());
                }
                Thread.sleep(t0 == 0 ? 1 : 2);
            }
            t1 = System.nanoTime();
            double scored = registry.get(RewardMetrics.SAMPLES_SCORED).counters().stream()
                    .mapToDouble(Counter::count).sum();
            double dead = Arrays.stream(DeadLetterReason.values()).mapToDouble(service.metrics()::deadLetters).sum();
            if (scored != n || dead != 0) {
                throw new IllegalStateException("expected " + n + " scored and no dead letters, got " + scored
                        + " scored and " + dead + " dead letters");
            }
        }
        return n / ((t1 - t0) / 1e9);
    }
}
