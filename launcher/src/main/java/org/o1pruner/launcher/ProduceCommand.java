package org.o1pruner.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.o1pruner.schema.RecordCodec;
import org.o1pruner.schema.RecordException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code o1p produce --topic prompts < file.jsonl}: reads JSON Lines from stdin, one record
 * per line, validates and encodes each with the topic's codec and produces it keyed per
 * {@link org.o1pruner.schema.Keys}. Bad lines are reported on stderr with their line
 * number and skipped; the exit code is 1 if any line was bad.
 */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = "Produce JSON Lines from stdin to a topic (records encoded with the topic's codec).")
public final class ProduceCommand implements Callable<Integer> {

    @Option(names = "--topic", required = true, description = "Topic, e.g. prompts or o1p.prompts.")
    String topic;

    @Option(names = "--bootstrap", defaultValue = "${env:O1P_KAFKA_BOOTSTRAP:-127.0.0.1:9092}",
            description = "Kafka bootstrap servers (default: $O1P_KAFKA_BOOTSTRAP or ${DEFAULT-VALUE}).")
    String bootstrap;

    /** Counts of what one run did. */
    record Result(long produced, long bad) {}

    @Override
    public Integer call() throws Exception {
        Result r = run(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), System.err);
        System.err.println("o1p produce: " + r.produced() + " records to " + RecordJson.topic(topic)
                + (r.bad() > 0 ? ", " + r.bad() + " bad lines skipped" : ""));
        return r.bad() > 0 ? 1 : 0;
    }

    Result run(BufferedReader in, PrintStream err) throws Exception {
        String fullTopic = RecordJson.topic(topic);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            Result r = encodeLines(in, fullTopic, err,
                    (key, value) -> producer.send(new ProducerRecord<>(fullTopic, key, value)));
            producer.flush();
            return r;
        }
    }

    /**
     * Parses, validates and encodes each JSON line for {@code fullTopic}, handing key and value to
     * {@code sink}; reports bad lines on {@code err} with their 1-based line number.
     */
    static Result encodeLines(BufferedReader in, String fullTopic, PrintStream err,
                              java.util.function.BiConsumer<byte[], byte[]> sink) throws java.io.IOException {
        RecordCodec<Object> codec = RecordJson.codec(fullTopic);
        long produced = 0;
        long bad = 0;
        String line;
        long lineNo = 0;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            Object record;
            byte[] value;
            try {
                record = RecordJson.read(line, codec);
                value = codec.encode(record);
            } catch (JsonProcessingException e) {
                err.println("line " + lineNo + ": malformed JSON for " + codec.recordClass().getSimpleName()
                        + ": " + e.getOriginalMessage());
                bad++;
                continue;
            } catch (RecordException e) {
                err.println("line " + lineNo + ": invalid record (" + e.reason().tag() + "): " + e.getMessage());
                bad++;
                continue;
            }
            sink.accept(RecordJson.key(record), value);
            produced++;
        }
        return new Result(produced, bad);
    }
}
