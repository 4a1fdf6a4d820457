package org.o1pruner.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.o1pruner.toyworld.analysis.DisharmonyRun;
import picocli.CommandLine;

class DisharmonyCommandTest {

    @Test
    void registeredWithTheSamplersDefaults() {
        CommandLine o1p = O1p.commandLine();
        CommandLine sub = o1p.getSubcommands().get("disharmony");
        assertTrue(sub != null, "o1p disharmony is registered");
        o1p.parseArgs("disharmony");
        DisharmonyCommand c = sub.getCommand();
        assertEquals(DisharmonyRun.DEFAULT_TEMPERATURE, c.temperature);
        assertEquals(DisharmonyRun.DEFAULT_TOP_P, c.topP);
        assertEquals(0.5, c.temperature);
        assertEquals(0.8, c.topP);
        assertEquals(16, c.samples);
        assertEquals(1000, c.problems);
        assertEquals(4, c.intervals);
        assertEquals(320, c.maxNewTokens);
        assertEquals(1, c.threads);
        assertEquals("toy:test", c.dataset);
        assertEquals(Path.of("docs/disharmony"), c.out);
        assertEquals("./o1p disharmony --dataset toy:test --problems 1000 --samples 16 --fast-samples 4 --intervals 4 "
                + "--temperature 0.5 --top-p 0.8 --max-new-tokens 320 --batch 64 --threads 1 --seed 0 --out docs/disharmony",
                c.commandLine());
    }

    @Test
    void badSettingsAreUsageErrors() {
        CommandLine o1p = O1p.commandLine();
        StringWriter err = new StringWriter();
        o1p.setErr(new PrintWriter(err));
        int rc = o1p.execute("disharmony", "--model", "no-such-dir", "--samples", "2", "--intervals", "4");
        assertNotEquals(0, rc);
        assertTrue(err.toString().contains("samples >= intervals"), err.toString());
    }
}
