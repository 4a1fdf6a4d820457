package org.o1pruner.toyworld.analysis;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a disharmony report's files into one folder: {@code report.md}, {@code summary.json},
 * {@code per_problem.csv} and the PNG figures.
 */
public final class DisharmonyFiles {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DisharmonyFiles() {
    }

    /** Builds the report of {@code result} and writes it into {@code dir} (created if missing). */
    public static DisharmonyReport write(DisharmonyRun.Result result, String command, Path dir) throws IOException {
        DisharmonyReport report = new DisharmonyReport(result, command);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("report.md"), report.markdown(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("summary.json"), JSON.writeValueAsString(report.summary()) + "\n",
                StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("per_problem.csv"), report.perProblemCsv(), StandardCharsets.UTF_8);
        DisharmonyCharts.write(report, result, dir);
        return report;
    }

    /** The headline figures as one line of JSON. */
    public static String headlineJson(DisharmonyReport report) throws IOException {
        return new ObjectMapper().writeValueAsString(report.headline());
    }
}
