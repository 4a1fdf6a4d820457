package org.o1pruner.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.o1pruner.eval.EvalMetrics;
import org.o1pruner.reward.RewardMetrics;
import org.o1pruner.runtime.LoopMetrics;
import org.o1pruner.sampler.SamplerMetrics;
import org.o1pruner.trainer.TrainerMetrics;

/**
 * The dashboards under {@code grafana/dashboards}, without Prometheus: every metric a query
 * reads is one the services' metrics classes really export (their Prometheus rendering, scraped
 * from a registry), the data source is the {@code datasource} variable, and every panel has a
 * unit and thresholds. {@code o1p check-dashboards} proves the same against a live run.
 */
class DashboardsTest {
    /** Not from the o1p metrics classes: Prometheus' own {@code up}, and the Kafka consumer metrics
     * Micrometer's KafkaClientMetrics exports for the loops (present once partitions are assigned). */
    private static final Set<String> EXTERNAL = Set.of("up", "kafka_consumer_fetch_manager_records_lag");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path dashboards() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("grafana").resolve("dashboards"))) {
                return p.resolve("grafana").resolve("dashboards");
            }
        }
        throw new IllegalStateException("no grafana/dashboards above the working directory");
    }

    /** Metric family sample names the services' metrics classes export, as Prometheus scrapes them. */
    static Set<String> exported() {
        PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        r.config().commonTags("service", "x", "run_id", "r");
        RewardMetrics reward = new RewardMetrics(r, -2, 4);
        reward.scored("gsm8k", true, 10, 0.5);
        reward.groupDone(RewardMetrics.OUTCOME_COMPLETE, Duration.ofSeconds(1));
        new SamplerMetrics(r);
        new TrainerMetrics(r);
        new EvalMetrics(r, List.of("toy_test"));
        new LoopMetrics(r, "reward"); // the reward service runs the shared TransactionalLoop; the sampler has its own
        Set<String> names = new TreeSet<>();
        for (String line : r.scrape().split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.replaceFirst("[{ ].*", ""));
            }
        }
        return names;
    }

    private static List<JsonNode> load() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dashboards())) {
            for (Path f : s.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                out.add(JSON.readTree(f.toFile()));
            }
        }
        return out;
    }

    @Test
    void everyMetricADashboardReadsIsExportedByAService() throws IOException {
        Set<String> exported = exported();
        List<String> unknown = new ArrayList<>();
        List<DashboardQueries.Panel> panels = CheckDashboardsCommand.loadPanels(dashboards());
        assertTrue(panels.size() >= 30, "five dashboards' panels, saw " + panels.size());
        for (DashboardQueries.Panel p : panels) {
            for (DashboardQueries.Query q : p.queries()) {
                for (String m : DashboardQueries.metricNames(q.expr())) {
                    if (!exported.contains(m) && !EXTERNAL.contains(m)) {
                        unknown.add(p.label() + " " + q.refId() + ": " + m);
                    }
                }
            }
        }
        assertEquals(List.of(), unknown, "metrics no service exports");
    }

    @Test
    void theFiveDashboardsExistWithUniqueUids() throws IOException {
        Set<String> uids = new TreeSet<>();
        load().forEach(d -> uids.add(d.path("uid").asText()));
        assertEquals(Set.of("o1p-overview", "o1p-sampler", "o1p-reward", "o1p-trainer", "o1p-eval"), uids);
    }

    @Test
    void dataSourceIsAVariableAndPanelsHaveUnitsAndThresholds() throws IOException {
        List<String> problems = new ArrayList<>();
        for (JsonNode d : load()) {
            String uid = d.path("uid").asText();
            boolean hasVar = false;
            for (JsonNode v : d.path("templating").path("list")) {
                hasVar |= "datasource".equals(v.path("type").asText()) && "prometheus".equals(v.path("query").asText());
            }
            if (!hasVar) {
                problems.add(uid + ": no prometheus datasource variable");
            }
            for (JsonNode p : d.path("panels")) {
                String where = uid + " / " + p.path("title").asText();
                if (!"${datasource}".equals(p.path("datasource").path("uid").asText())) {
                    problems.add(where + ": panel data source is not ${datasource}");
                }
                for (JsonNode t : p.path("targets")) {
                    if (!"${datasource}".equals(t.path("datasource").path("uid").asText())) {
                        problems.add(where + " " + t.path("refId").asText() + ": target data source is not ${datasource}");
                    }
                }
                JsonNode defaults = p.path("fieldConfig").path("defaults");
                if (defaults.path("unit").asText().isEmpty()) {
                    problems.add(where + ": no unit");
                }
                if (defaults.path("thresholds").path("steps").isEmpty()) {
                    problems.add(where + ": no thresholds");
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void evalDashboardComparesLatestWithBaseline() throws IOException {
        JsonNode eval = load().stream().filter(d -> d.path("uid").asText().equals("o1p-eval")).findFirst().orElseThrow();
        String all = eval.toString();
        for (String m : List.of("o1p_eval_accuracy", "o1p_eval_length_mean_tokens", "o1p_eval_aes")) {
            assertTrue(all.contains(m), m);
        }
        assertTrue(all.contains("kind=\\\"baseline\\\""), "baseline series");
        for (JsonNode p : eval.path("panels")) {
            for (JsonNode t : p.path("targets")) {
                assertFalse(t.path("expr").asText().contains("$__all"), "variables are regexes in queries");
            }
        }
    }
}
