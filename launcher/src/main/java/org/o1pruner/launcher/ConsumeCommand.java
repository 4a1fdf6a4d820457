package org.o1pruner.launcher;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.o1pruner.schema.RecordCodec;
import org.o1pruner.schema.RecordException;
import org.o1pruner.schema.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code o1p consume --topic scored --max N}: prints the committed records of a topic,
 * from the beginning, as JSON Lines on stdout. Data topics are decoded with their codec;
 * dead-letter records print their headers and the original bytes in base64. Records that
 * do not decode are reported on stderr with partition and offset. Reads with
 * {@code read_committed}, without a consumer group (nothing is committed).
 */
@Command(name = "consume", mixinStandardHelpOptions = true,
        description = "Print a topic's committed records as JSON Lines, from the beginning.")
public final class ConsumeCommand implements Callable<Integer> {

    @Option(names = "--topic", required = true, description = "Topic, e.g. scored or o1p.scored.")
    String topic;

    @Option(names = "--max", defaultValue = "" + Long.MAX_VALUE,
            description = "Stop after this many records (default: all).")
    long max;

    @Option(names = "--idle-ms", defaultValue = "3000",
            description = "Stop when no record arrives for this long (default: ${DEFAULT-VALUE} ms).")
    long idleMs;

    @Option(names = "--bootstrap", defaultValue = "${env:O1P_KAFKA_BOOTSTRAP:-127.0.0.1:9092}",
            description = "Kafka bootstrap servers (default: $O1P_KAFKA_BOOTSTRAP or ${DEFAULT-VALUE}).")
    String bootstrap;

    @Override
    public Integer call() throws Exception {
        long bad = run(System.out, System.err);
        return bad > 0 ? 1 : 0;
    }

    /** Prints records; returns how many could not be decoded. */
    long run(PrintStream out, PrintStream err) throws Exception {
        String fullTopic = RecordJson.topic(topic);
        boolean deadLetter = fullTopic.equals(Topics.DEAD_LETTER);
        RecordCodec<Object> codec = deadLetter ? null : RecordJson.codec(fullTopic);
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        long printed = 0;
        long bad = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(fullTopic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long lastRecord = System.nanoTime();
            while (printed < max && System.nanoTime() - lastRecord < idleMs * 1_000_000L) {
                var records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    if (printed >= max) {
                        break;
                    }
                    lastRecord = System.nanoTime();
                    try {
                        out.println(deadLetter ? RecordJson.write(deadLetterView(r))
                                : RecordJson.write(codec.decode(r.value())));
                        printed++;
                    } catch (RecordException e) {
                        err.println("partition " + r.partition() + " offset " + r.offset() + ": undecodable ("
                                + e.reason().tag() + "): " + e.getMessage());
                        bad++;
                    }
                }
            }
            out.flush();
        }
        return bad;
    }

    private static Map<String, Object> deadLetterView(ConsumerRecord<byte[], byte[]> r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8));
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header h : r.headers()) {
            headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
        m.put("headers", headers);
        m.put("valueBase64", r.value() == null ? null : Base64.getEncoder().encodeToString(r.value()));
        return m;
    }
}
