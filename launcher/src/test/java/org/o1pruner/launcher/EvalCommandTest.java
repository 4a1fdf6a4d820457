package org.o1pruner.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.o1pruner.model.CausalLM;
import org.o1pruner.model.ModelConfig;
import org.o1pruner.toyworld.ToyVocabulary;
import picocli.CommandLine;

class EvalCommandTest {
    @TempDir
    Path tmp;

    private Path model(String name, long seed) {
        ToyVocabulary v = ToyVocabulary.get();
        ModelConfig c = ModelConfig.tiny(v.size(), 32, 2).toBuilder().optMaxPositionEmbeddings(512)
                .optEosTokenIds(List.of(v.eosId())).build();
        Path dir = tmp.resolve(name);
        try (CausalLM m = CausalLM.random(c, seed, Device.cpu())) {
            m.save(dir, Map.of("tokenizer.json", v.tokenizerJson(), "tokenizer_config.json", v.tokenizerConfigJson()));
        }
        return dir;
    }

    @Test
    void offlineJsonHasOneLinePerModelAndDataSetAgainstTheBaseline() throws Exception {
        Path a = model("a", 1);
        Path b = model("b", 2);
        EvalCommand cmd = new EvalCommand();
        new CommandLine(cmd).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--model", "ref=" + a, "--model",
                "other=" + b, "--datasets", "toy_test", "--max-problems", "3", "--max-new-tokens", "4", "--batch-size",
                "3", "--device", "cpu", "--json", "--quiet");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = cmd.offline(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertEquals(2, lines.length);
        ObjectMapper json = new ObjectMapper();
        JsonNode ref = json.readTree(lines[0]);
        JsonNode other = json.readTree(lines[1]);
        assertEquals("ref", ref.get("model").asText());
        assertTrue(ref.get("baseline").asBoolean());
        assertEquals(0, ref.get("aes").asDouble());
        assertEquals("other", other.get("model").asText());
        assertEquals("greedy", other.get("decoding").asText());
        assertEquals(3, other.get("n").asInt());
        assertTrue(other.has("aesPaper") && other.has("accuracyLow95") && other.has("meanLength"));
    }

    @Test
    void badSamplingSettingsAreAUsageError() throws Exception {
        EvalCommand cmd = new EvalCommand();
        new CommandLine(cmd).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--model", tmp.toString(),
                "--decoding", "sample", "--samples", "0");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, cmd.offline(System.out, new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("samples"));
    }

    @Test
    void describeListsTheServiceKeys() {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, new CommandLine(new EvalCommand()).setCaseInsensitiveEnumValuesAllowed(true).execute("--describe"));
        } finally {
            System.setOut(saved);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("O1P_EVAL_DATASETS") && text.contains("O1P_EVAL_PROMOTION_TOLERANCE"), text);
    }
}
