package org.o1pruner.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The dashboards against a live run: {@code o1p check-dashboards} with Debian's Prometheus
 * (skipped where {@code prometheus} is not installed). Every panel must return data and no
 * query may name a metric the services do not export. About 1.5 minutes on two cores.
 */
class CheckDashboardsIT {

    @Test
    void everyPanelReturnsDataFromARealRun() throws Exception {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        assumeTrue(Stream.of(path.split(":")).filter(d -> !d.isBlank())
                .anyMatch(d -> Files.isExecutable(Path.of(d, "prometheus"))), "prometheus not installed");
        Path dashboards = null;
        for (Path p = Path.of("").toAbsolutePath(); p != null && dashboards == null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("grafana/dashboards"))) {
                dashboards = p.resolve("grafana/dashboards");
            }
        }
        assumeTrue(dashboards != null, "no grafana/dashboards");
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int rc;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            rc = new CommandLine(new CheckDashboardsCommand()).execute("--dashboards", dashboards.toString(),
                    "--timeout", "PT5M");
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        System.out.print(out);
        List<String> lines = out.lines().toList();
        JsonNode summary = new ObjectMapper().readTree(lines.get(lines.size() - 1));
        assertEquals(summary.path("panels").asInt(), summary.path("with_data").asInt(), out);
        assertEquals(0, summary.path("unknown_metrics").size(), out);
        assertEquals(0, rc, out);
    }
}
