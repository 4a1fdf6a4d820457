package org.o1pruner.toyworld.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.o1pruner.toyworld.analysis.DisharmonyRun.Pass;
import org.o1pruner.toyworld.analysis.DisharmonyRun.PassKind;

/** Report and figures of a synthetic toy run (no model): re-checks pay off on hard problems by construction. */
class DisharmonyChartsTest {

    @TempDir
    Path tmp;

    static void assertPng(Path file) throws Exception {
        byte[] b = Files.readAllBytes(file);
        assertTrue(b.length > 1000 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G', file.toString());
    }

    static DisharmonyRun.Result synthetic() {
        SplittableRandom rng = new SplittableRandom(5);
        List<Pass> passes = new ArrayList<>();
        String[] diffs = {"easy", "medium", "hard"};
        for (PassKind kind : PassKind.values()) {
            int per = kind.greedy() ? 1 : kind.fast() ? 4 : 16;
            List<ProblemSamples> problems = new ArrayList<>();
            for (int p = 0; p < 60; p++) {
                String d = diffs[p % 3];
                List<Solution> sols = new ArrayList<>();
                for (int s = 0; s < per; s++) {
                    int checks = kind.fast() ? 0 : rng.nextInt(5);
                    double pCorrect = d.equals("hard") ? (checks == 0 ? 0.4 : 0.95) : 0.9;
                    Integer parsed = rng.nextInt(50) == 0 ? null : checks;
                    sols.add(new Solution(50 + 25 * checks + rng.nextInt(10), rng.nextDouble() < pCorrect, true, parsed));
                }
                problems.add(new ProblemSamples("toy_test-" + p, d, sols));
            }
            passes.add(new Pass(kind, problems, 1.0, 1000));
        }
        DisharmonyRun.Options o = new DisharmonyRun.Options(Path.of("reference-model"), "toy:test", 60, 16, 4, 4,
                0.5, 0.8, 320, 64, 1, 0);
        return new DisharmonyRun.Result(o, AnalysisDataset.toy(org.o1pruner.toyworld.Split.TEST).limit(60), passes,
                "cpu", 4.0, "test");
    }

    @Test
    void histogramBinsAreRoundAndAtMostTwentyFive() {
        assertEquals(5, DisharmonyCharts.binWidth(60));
        assertEquals(20, DisharmonyCharts.binWidth(320));
        assertEquals(500, DisharmonyCharts.binWidth(8191));
        for (int max = 0; max < 20_000; max += 37) {
            assertTrue(max / DisharmonyCharts.binWidth(max) + 1 <= 25, "max " + max);
        }
    }

    @Test
    void writesEveryFigureQuicklyAndTheReportJudgesRechecks() {
        DisharmonyRun.Result r = synthetic();
        DisharmonyReport report = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> DisharmonyFiles.write(r, "./o1p disharmony --synthetic", tmp));
        for (String png : new String[] {DisharmonyReport.CHART_INTERVALS, DisharmonyReport.CHART_RECHECKS,
                DisharmonyReport.CHART_LENGTHS}) {
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertPng(tmp.resolve(png)));
        }
        String md = report.markdown();
        assertTrue(md.matches("(?s).*\\| hard \\| [^\\n]*\\| pays off \\|.*"), md);
        assertTrue(md.contains("| hard | unparseable |"), md);
        Tally[] hard = report.noneVersusSome().get("hard");
        assertTrue(hard[1].accuracy() > hard[0].accuracy() + 0.3);
        assertEquals((Object) 16, report.headline().get("samples"));
    }
}
