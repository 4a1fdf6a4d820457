package org.o1pruner.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.o1pruner.schema.Codecs;
import org.o1pruner.schema.PromptRecord;
import org.o1pruner.schema.Topics;
import org.o1pruner.testing.KafkaCluster;
import org.o1pruner.testing.KafkaExtension;

/** {@code o1p produce} then {@code o1p consume} against a real broker: JSON Lines survive the round trip. */
@ExtendWith(KafkaExtension.class)
class ProduceConsumeIT {

    @Test
    void promptsRoundTripAndBadLinesAreReported(KafkaCluster kafka) throws Exception {
        // the data topics have fixed names; a fresh prompts topic per test JVM is enough here
        kafka.createTopic(Topics.PROMPTS, 2, Map.of());
        String run = UUID.randomUUID().toString().substring(0, 8);
        PromptRecord a = new PromptRecord("it-" + run + "-a", "gsm8k", "test", "What is 6*7?", "42", 4, 0, 1,
                "default", 1_700_000_000_000L);
        PromptRecord b = new PromptRecord("it-" + run + "-b", "math", "test", "What is 1/2+1/2?", "1", 4, 0, 1,
                "default", 1_700_000_000_000L);
        String input = RecordJson.write(a) + "\n{\"problemId\": 3\n" + RecordJson.write(b) + "\n";

        ProduceCommand produce = new ProduceCommand();
        produce.topic = "prompts";
        produce.bootstrap = kafka.bootstrapServers();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ProduceCommand.Result r = produce.run(new BufferedReader(new StringReader(input)),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, r.produced());
        assertEquals(1, r.bad());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("line 2:"), err.toString(StandardCharsets.UTF_8));

        ConsumeCommand consume = new ConsumeCommand();
        consume.topic = "o1p.prompts";
        consume.bootstrap = kafka.bootstrapServers();
        consume.max = Long.MAX_VALUE;
        consume.idleMs = 3000;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long undecodable = consume.run(new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertEquals(0, undecodable);
        List<PromptRecord> back = out.toString(StandardCharsets.UTF_8).lines()
                .map(l -> {
                    try {
                        return RecordJson.read(l, Codecs.PROMPT);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                })
                .filter(p -> p.problemId().startsWith("it-" + run))
                .toList();
        assertEquals(2, back.size());
        assertTrue(back.contains(a) && back.contains(b), back.toString());
    }
}
