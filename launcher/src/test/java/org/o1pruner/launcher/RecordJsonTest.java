package org.o1pruner.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.o1pruner.schema.Codecs;
import org.o1pruner.schema.FinishReason;
import org.o1pruner.schema.Keys;
import org.o1pruner.schema.SampleRecord;
import org.o1pruner.schema.ScoredRecord;
import org.o1pruner.schema.Topics;

class RecordJsonTest {
    private static final SampleRecord SAMPLE = new SampleRecord("p-1", "gsm8k", 0, 2, 1, 4, "42", "default",
            new int[] {1, 2}, new int[] {5, 6, 7}, new float[] {-0.5f, -1.25f, -0.125f},
            "so \\boxed{42}", FinishReason.EOS, 10, 1_700_000_000_000L);

    @Test
    void shortAndFullTopicNames() {
        assertEquals(Topics.SCORED, RecordJson.topic("scored"));
        assertEquals(Topics.PROMPTS, RecordJson.topic("o1p.prompts"));
        assertThrows(IllegalArgumentException.class, () -> RecordJson.topic("nope"));
    }

    @Test
    void recordsRoundTripThroughJsonWithTheirComponentNames() throws Exception {
        String json = RecordJson.write(SAMPLE);
        assertTrue(json.contains("\"problemId\":\"p-1\"") && json.contains("\"logProbs\":[-0.5,-1.25,-0.125]")
                && json.contains("\"finishReason\":\"EOS\""), json);
        assertEquals(SAMPLE, RecordJson.read(json, Codecs.SAMPLE));
        ScoredRecord scored = new ScoredRecord(SAMPLE, true, "42", 2, 3.0, 0.5, 4, 1.5, 2.0, false, false, 5L);
        assertEquals(scored, RecordJson.read(RecordJson.write(scored), Codecs.SCORED));
    }

    @Test
    void badLinesAreReportedWithLineNumbersAndSkipped() throws Exception {
        String good = RecordJson.write(SAMPLE);
        String invalid = good.replace("\"k\":4", "\"k\":0");
        String input = good + "\n{not json\n\n" + invalid + "\n" + good.replace("\"p-1\"", "\"p-2\"") + "\n";
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        List<byte[][]> sent = new ArrayList<>();
        ProduceCommand.Result r = ProduceCommand.encodeLines(new BufferedReader(new StringReader(input)),
                Topics.SAMPLES, new PrintStream(errBytes, true, StandardCharsets.UTF_8),
                (k, v) -> sent.add(new byte[][] {k, v}));
        assertEquals(2, r.produced());
        assertEquals(2, r.bad());
        String err = errBytes.toString(StandardCharsets.UTF_8);
        assertTrue(err.contains("line 2: malformed JSON"), err);
        assertTrue(err.contains("line 4: invalid record"), err);
        assertEquals("p-1", Keys.decode(sent.get(0)[0]));
        assertEquals(SAMPLE, Codecs.SAMPLE.decode(sent.get(0)[1]));
        assertEquals("p-2", Keys.decode(sent.get(1)[0]));
    }

    @Test
    void benchSamplesHaveTheRequestedShapeAndABoxedAnswer() {
        List<SampleRecord> s = BenchSamples.generate(3, 4, 200, 1);
        assertEquals(12, s.size());
        for (SampleRecord r : s) {
            r.validate();
            assertEquals(200, r.length());
            assertTrue(r.text().contains("\\boxed{"));
            int chars = r.text().length();
            assertTrue(chars > 700 && chars < 900, "about 4 chars per token: " + chars);
        }
    }
}
