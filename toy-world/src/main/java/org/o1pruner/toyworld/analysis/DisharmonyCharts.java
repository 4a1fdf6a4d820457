package org.o1pruner.toyworld.analysis;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.o1pruner.grading.aes.Wilson;
import org.o1pruner.toyworld.analysis.DisharmonyRun.Pass;
import org.o1pruner.toyworld.analysis.DisharmonyRun.PassKind;

/**
 * The report's PNG figures, drawn with XChart: accuracy per length interval (Figure 1 of the
 * paper) with bootstrap 95 % intervals over problems, accuracy by number of re-checks per
 * difficulty with Wilson 95 % intervals, and the distribution of solution lengths. Intervals are
 * drawn as vertical bars of the series' colour (XChart's own error bars are symmetric; these are
 * not).
 */
public final class DisharmonyCharts {

    private static final Color[] COLORS = {
        new Color(0x1f77b4), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0xd62728), new Color(0x9467bd),
    };
    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;
    private static final int DPI = 110;

    private DisharmonyCharts() {
    }

    /** Writes the figures of {@code report} into {@code dir}; returns the files written. */
    public static List<Path> write(DisharmonyReport report, DisharmonyRun.Result result, Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        out.add(save(intervals(report, result), dir.resolve(DisharmonyReport.CHART_INTERVALS)));
        if (report.hasParsedRechecks()) {
            out.add(save(rechecks(report), dir.resolve(DisharmonyReport.CHART_RECHECKS)));
        }
        out.add(save(lengths(result), dir.resolve(DisharmonyReport.CHART_LENGTHS)));
        return out;
    }

    private static Path save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file) throws IOException {
        String name = file.getFileName().toString();
        String base = name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
        BitmapEncoder.saveBitmapWithDPI(chart, file.resolveSibling(base).toString(), BitmapEncoder.BitmapFormat.PNG, DPI);
        return file;
    }

    static XYChart intervals(DisharmonyReport report, DisharmonyRun.Result result) {
        int k = result.options().intervals();
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Accuracy by length interval (" + result.options().samples() + " samples per problem, "
                        + report.disharmony().problems() + " problems)")
                .xAxisTitle("length interval of each problem's samples (1 = shortest, " + k + " = longest)")
                .yAxisTitle("accuracy, % (mean over problems, bootstrap 95 % CI)").build();
        style(chart);
        chart.getStyler().setXAxisMin(0.5).setXAxisMax(k + 0.5);
        chart.getStyler().setXAxisDecimalPattern("0.#");
        Map<String, DisharmonyStats.Disharmony> groups = new LinkedHashMap<>();
        groups.put("all problems", report.disharmony());
        report.perDifficulty().forEach(groups::put);
        int g = 0;
        for (Map.Entry<String, DisharmonyStats.Disharmony> e : groups.entrySet()) {
            double offset = (g - (groups.size() - 1) / 2.0) * 0.06;
            double[] x = new double[k];
            double[] y = new double[k];
            for (int i = 0; i < k; i++) {
                DisharmonyStats.IntervalRow r = e.getValue().intervals().get(i);
                x[i] = i + 1 + offset;
                y[i] = 100 * r.accuracy();
            }
            Color c = color(e.getKey(), g);
            XYSeries s = chart.addSeries(e.getKey() + " (" + e.getValue().problems() + ")", x, y);
            s.setLineColor(c);
            s.setMarkerColor(c);
            s.setMarker(SeriesMarkers.CIRCLE);
            for (int i = 0; i < k; i++) {
                Bootstrap.Interval b = e.getValue().intervals().get(i).bootstrap();
                bar(chart, e.getKey() + " ci " + i, x[i], 100 * b.low(), 100 * b.high(), c);
            }
            g++;
        }
        return chart;
    }

    static XYChart rechecks(DisharmonyReport report) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Accuracy by number of re-checks in the sampled solution")
                .xAxisTitle("re-checks written").yAxisTitle("accuracy, % (Wilson 95 % CI)").build();
        style(chart);
        chart.getStyler().setXAxisDecimalPattern("0.#");
        Map<String, Map<String, Tally>> data = report.rechecks();
        int g = 0;
        double maxX = 0;
        for (Map.Entry<String, Map<String, Tally>> e : data.entrySet()) {
            double offset = (g - (data.size() - 1) / 2.0) * 0.06;
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            List<Wilson.Interval> cis = new ArrayList<>();
            long n = 0;
            for (Map.Entry<String, Tally> r : e.getValue().entrySet()) {
                if (r.getKey().equals(DisharmonyStats.UNPARSEABLE)) {
                    continue;
                }
                xs.add(Integer.parseInt(r.getKey()) + offset);
                ys.add(100 * r.getValue().accuracy());
                cis.add(r.getValue().accuracy95());
                n += r.getValue().solutions();
            }
            if (xs.isEmpty()) {
                continue;
            }
            Color c = color(e.getKey(), g);
            XYSeries s = chart.addSeries(e.getKey() + " (" + n + " solutions)", xs, ys);
            s.setLineColor(c);
            s.setMarkerColor(c);
            s.setMarker(SeriesMarkers.CIRCLE);
            for (int i = 0; i < xs.size(); i++) {
                bar(chart, e.getKey() + " ci " + i, xs.get(i), 100 * cis.get(i).low(), 100 * cis.get(i).high(), c);
                maxX = Math.max(maxX, xs.get(i));
            }
            g++;
        }
        chart.getStyler().setXAxisMin(-0.5).setXAxisMax(Math.round(maxX) + 0.5);
        return chart;
    }

    static CategoryChart lengths(DisharmonyRun.Result result) {
        int max = 0;
        for (Pass p : result.passes()) {
            for (Solution s : DisharmonyReport.all(p)) {
                max = Math.max(max, s.tokens());
            }
        }
        int width = binWidth(max);
        int bins = max / width + 1;
        List<String> labels = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            labels.add(Integer.toString(b * width));
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Solution lengths").xAxisTitle("response tokens (bin start, width " + width + ")")
                .yAxisTitle("share of solutions, %").build();
        chart.getStyler().setOverlapped(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setXAxisLabelRotation(90);
        chart.getStyler().setXAxisMaxLabelCount(bins);
        int g = 0;
        for (PassKind kind : List.of(PassKind.SAMPLED, PassKind.FAST_SAMPLED)) {
            Pass p = result.pass(kind);
            if (p == null) {
                continue;
            }
            List<Solution> all = DisharmonyReport.all(p);
            double[] share = new double[bins];
            for (Solution s : all) {
                share[Math.min(bins - 1, s.tokens() / width)] += 100.0 / all.size();
            }
            List<Double> ys = new ArrayList<>();
            for (double v : share) {
                ys.add(v);
            }
            Color c = COLORS[g++ % COLORS.length];
            chart.addSeries(kind.label() + " (" + all.size() + ")", labels, ys)
                    .setFillColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 140));
        }
        return chart;
    }

    /** A round bin width (5, 10, 20, 25, 50, 100, …) giving at most 25 bins up to {@code max}, so every bin gets its label. */
    static int binWidth(int max) {
        for (long scale = 1; ; scale *= 10) {
            for (int m : new int[] {5, 10, 20, 25, 50}) {
                long w = m * scale;
                if ((max / w) + 1 <= 25) {
                    return (int) w;
                }
            }
        }
    }

    /** The same colour for a group in every figure: all problems blue, easy green, medium orange, hard red. */
    private static Color color(String group, int index) {
        return switch (group) {
            case "all problems", DisharmonyStats.NO_DIFFICULTY -> COLORS[0];
            case "easy" -> COLORS[1];
            case "medium" -> COLORS[2];
            case "hard" -> COLORS[3];
            default -> COLORS[4 + index % (COLORS.length - 4)];
        };
    }

    private static void style(XYChart chart) {
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(100.0);
        chart.getStyler().setMarkerSize(8);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setYAxisDecimalPattern("0");
    }

    private static void bar(XYChart chart, String name, double x, double low, double high, Color c) {
        XYSeries s = chart.addSeries(name, new double[] {x, x}, new double[] {low, high});
        s.setLineColor(c);
        s.setLineStyle(new BasicStroke(2f));
        s.setMarker(SeriesMarkers.NONE);
        s.setShowInLegend(false);
    }
}
