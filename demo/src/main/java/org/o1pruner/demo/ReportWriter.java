package org.o1pruner.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.o1pruner.eval.core.EvalSummary;
import org.o1pruner.grading.aes.AesWeights;
import org.o1pruner.grading.aes.Wilson;

/**
 * Writes a run's report directory: {@code table.md} (the comparison, per-checkpoint results,
 * pre-sampling statistics, settings), {@code checkpoints.csv}, the PNG charts
 * ({@code checkpoints.png}: accuracy and length per O1-Pruner checkpoint; {@code methods.png}:
 * accuracy and length per method) and {@code summary.json} (per method and decoding: n, correct,
 * accuracy with interval, mean length, both AES variants). Each file is written to a temporary
 * name and moved into place.
 */
public final class ReportWriter {
    /** The files a report holds. */
    public static final List<String> FILES = List.of("table.md", "checkpoints.csv", "checkpoints.png", "methods.png",
            "summary.json");

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final AesWeights weights;

    public ReportWriter(AesWeights weights) {
        this.weights = weights;
    }

    /** Writes every file and returns the comparison table (Markdown) for printing. */
    public String write(Path dir, RunResults r) {
        System.setProperty("java.awt.headless", "true");
        List<Comparison.Row> rows = Comparison.rows(r.summaries(), weights);
        String table = Comparison.markdown(rows);
        try {
            Files.createDirectories(dir);
            writeText(dir.resolve("table.md"), tableMd(r, table));
            writeText(dir.resolve("checkpoints.csv"), checkpointsCsv(r.checkpoints()));
            writeText(dir.resolve("summary.json"), JSON.writeValueAsString(summary(r, rows)));
            writeChart(dir.resolve("checkpoints.png"), checkpointsChart(r.checkpoints()));
            writeImage(dir.resolve("methods.png"), methodsChart(rows));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + dir.toAbsolutePath(), e);
        }
        return table;
    }

    static String tableMd(RunResults r, String table) {
        StringBuilder b = new StringBuilder();
        b.append("# O1-Pruner demo report\n\n");
        b.append("Toy long-thought arithmetic world; reference model `").append(r.modelDir()).append("`. ");
        b.append("Accuracy and length on the toy test split; AES against the baseline of the same decoding ")
                .append("(α=1, β=3, γ=5; \"paper table\" uses +β·|ΔA| also when accuracy fell).\n\n");
        b.append(table).append('\n');
        b.append("## Training\n\n| method | items | optimizer steps | epochs | lr | final version | seconds |\n");
        b.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        r.training().forEach((m, t) -> b.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %.3g | %d | %.0f |%n",
                m.title(), t.items(), t.steps(), t.epochs(), t.lr(), t.version(), t.seconds())));
        b.append("\n## O1-Pruner checkpoints (eval service, greedy)\n\n");
        b.append("| version | step | accuracy % | mean length | AES | AES (paper table) | promoted |\n");
        b.append("| ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
        for (RunResults.CheckpointPoint p : r.checkpoints()) {
            b.append(String.format(Locale.ROOT, "| %d | %d | %.1f | %.1f | %.3f | %.3f | %s |%n", p.version(), p.step(),
                    100 * p.accuracy(), p.meanLength(), p.aes(), p.aesPaper(), p.promoted() ? "yes" : ""));
        }
        RunResults.Presampling ps = r.presampling();
        b.append("\n## Pre-sampled data\n\n");
        b.append(String.format(Locale.ROOT, "%d problems × K = %d samples: accuracy %.1f %%, mean length %.1f tokens, "
                        + "%d cut at the token limit. Length disharmony: per problem the longest sample is %.2f× the "
                        + "shortest on average; shortest samples %.1f %% accurate, longest %.1f %%.%n",
                ps.problems(), ps.problems() == 0 ? 0 : ps.samples() / ps.problems(), 100 * ps.accuracy(), ps.meanLength(),
                ps.truncated(), ps.meanLongestOverShortest(), 100 * ps.shortestAccuracy(), 100 * ps.longestAccuracy()));
        b.append("\n## Evaluations\n\n| method | decoding | label | source |\n| --- | --- | --- | --- |\n");
        r.evaluations().forEach((m, byD) -> byD.forEach((d, e) -> b.append("| ").append(m.title()).append(" | ")
                .append(d.key()).append(" | ").append(e.label()).append(" | ").append(e.source()).append(" |\n")));
        b.append("\n## Settings\n\n");
        r.settings().forEach((k, v) -> b.append("- ").append(k).append(": ").append(v).append('\n'));
        b.append("\n## Phases (seconds)\n\n");
        r.phaseSeconds().forEach((k, v) -> b.append(String.format(Locale.ROOT, "- %s: %.1f%n", k, v)));
        return b.toString();
    }

    static String checkpointsCsv(List<RunResults.CheckpointPoint> points) {
        StringBuilder b = new StringBuilder("version,step,n,correct,accuracy,mean_length,aes,aes_paper,promoted\n");
        for (RunResults.CheckpointPoint p : points) {
            b.append(String.format(Locale.ROOT, "%d,%d,%d,%d,%.6f,%.4f,%.6f,%.6f,%s%n", p.version(), p.step(), p.n(),
                    p.correct(), p.accuracy(), p.meanLength(), p.aes(), p.aesPaper(), p.promoted()));
        }
        return b.toString();
    }

    ObjectNode summary(RunResults r, List<Comparison.Row> rows) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", 1);
        root.put("model_dir", r.modelDir());
        ObjectNode aes = root.putObject("aes_weights");
        aes.put("alpha", weights.alpha());
        aes.put("beta", weights.beta());
        aes.put("gamma", weights.gamma());
        root.set("settings", JSON.valueToTree(r.settings()));
        ObjectNode methods = root.putObject("methods");
        for (Comparison.Row row : rows) {
            ObjectNode m = methods.has(row.method().key()) ? (ObjectNode) methods.get(row.method().key())
                    : methods.putObject(row.method().key());
            ObjectNode d = m.putObject(row.decoding().key());
            EvalSummary s = row.summary();
            Wilson.Interval ci = row.interval();
            d.put("n", s.n());
            d.put("correct", s.correct());
            d.put("accuracy", s.accuracy());
            d.put("accuracy_low95", ci.low());
            d.put("accuracy_high95", ci.high());
            d.put("mean_length", s.meanLength());
            d.put("truncated", s.truncated());
            d.put("delta_length", row.deltaLength());
            d.put("delta_accuracy", row.deltaAccuracy());
            d.put("aes", row.aes());
            d.put("aes_paper", row.aesPaper());
            RunResults.Evaluated e = r.evaluations().get(row.method()).get(row.decoding());
            d.put("label", e.label());
            d.put("source", e.source());
        }
        r.training().forEach((method, t) -> {
            ObjectNode m = methods.has(method.key()) ? (ObjectNode) methods.get(method.key()) : methods.putObject(method.key());
            ObjectNode tr = m.putObject("training");
            tr.put("items", t.items());
            tr.put("steps", t.steps());
            tr.put("epochs", t.epochs());
            tr.put("lr", t.lr());
            tr.put("version", t.version());
            tr.put("seconds", t.seconds());
        });
        root.set("checkpoints", JSON.valueToTree(r.checkpoints().stream().map(p -> Map.of(
                "version", p.version(), "step", p.step(), "n", p.n(), "correct", p.correct(), "accuracy", p.accuracy(),
                "mean_length", p.meanLength(), "aes", p.aes(), "aes_paper", p.aesPaper(), "promoted", p.promoted()))
                .toList()));
        RunResults.Presampling ps = r.presampling();
        ObjectNode pre = root.putObject("presampling");
        pre.put("problems", ps.problems());
        pre.put("samples", ps.samples());
        pre.put("accuracy", ps.accuracy());
        pre.put("mean_length", ps.meanLength());
        pre.put("truncated", ps.truncated());
        pre.put("mean_longest_over_shortest", ps.meanLongestOverShortest());
        pre.put("shortest_accuracy", ps.shortestAccuracy());
        pre.put("longest_accuracy", ps.longestAccuracy());
        root.set("phase_seconds", JSON.valueToTree(r.phaseSeconds()));
        return root;
    }

    private static XYChart checkpointsChart(List<RunResults.CheckpointPoint> points) {
        XYChart c = new XYChartBuilder().width(800).height(450).title("O1-Pruner checkpoints (greedy, eval service)")
                .xAxisTitle("optimizer step").yAxisTitle("accuracy %").build();
        List<Double> x = new ArrayList<>();
        List<Double> acc = new ArrayList<>();
        List<Double> len = new ArrayList<>();
        for (RunResults.CheckpointPoint p : points) {
            x.add((double) p.step());
            acc.add(100 * p.accuracy());
            len.add(p.meanLength());
        }
        if (x.isEmpty()) {
            x.add(0.0);
            acc.add(0.0);
            len.add(0.0);
        }
        c.addSeries("accuracy %", x, acc).setMarker(SeriesMarkers.CIRCLE).setYAxisGroup(0);
        c.addSeries("mean length (tokens)", x, len).setMarker(SeriesMarkers.SQUARE).setYAxisGroup(1);
        c.setYAxisGroupTitle(0, "accuracy %");
        c.setYAxisGroupTitle(1, "mean length (tokens)");
        return c;
    }

    /** Accuracy (left) and mean length (right) per method, greedy and sampled side by side. */
    private static java.awt.image.BufferedImage methodsChart(List<Comparison.Row> rows) {
        CategoryChart acc = new CategoryChartBuilder().width(560).height(450).title("Accuracy on the toy test split")
                .xAxisTitle("method").yAxisTitle("accuracy %").build();
        CategoryChart len = new CategoryChartBuilder().width(560).height(450).title("Mean length")
                .xAxisTitle("method").yAxisTitle("tokens").build();
        for (Comparison.Decoding d : Comparison.Decoding.values()) {
            List<String> names = new ArrayList<>();
            List<Double> a = new ArrayList<>();
            List<Double> l = new ArrayList<>();
            for (Comparison.Row r : rows) {
                if (r.decoding() == d) {
                    names.add(r.method().title());
                    a.add(100 * r.summary().accuracy());
                    l.add(r.summary().meanLength());
                }
            }
            if (!names.isEmpty()) {
                acc.addSeries(d.key(), names, a);
                len.addSeries(d.key(), names, l);
            }
        }
        java.awt.image.BufferedImage left = BitmapEncoder.getBufferedImage(acc);
        java.awt.image.BufferedImage right = BitmapEncoder.getBufferedImage(len);
        java.awt.image.BufferedImage both = new java.awt.image.BufferedImage(left.getWidth() + right.getWidth(),
                Math.max(left.getHeight(), right.getHeight()), java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = both.createGraphics();
        try {
            g.drawImage(left, 0, 0, null);
            g.drawImage(right, left.getWidth(), 0, null);
        } finally {
            g.dispose();
        }
        return both;
    }

    private static void writeChart(Path file, org.knowm.xchart.internal.chartpart.Chart<?, ?> chart) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void writeImage(Path file, java.awt.image.BufferedImage image) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        if (!javax.imageio.ImageIO.write(image, "png", tmp.toFile())) {
            throw new IOException("no PNG writer available");
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void writeText(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
