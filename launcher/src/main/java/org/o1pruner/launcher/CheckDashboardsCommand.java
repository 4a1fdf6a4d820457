package org.o1pruner.launcher;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.o1pruner.model.CausalLM;
import org.o1pruner.model.ModelConfig;
import org.o1pruner.testing.EmbeddedKafkaBroker;
import org.o1pruner.toyworld.ToyVocabulary;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code o1p check-dashboards}: proves that every query of every Grafana dashboard under
 * {@code grafana/dashboards} returns data from a real Prometheus scraping a real run. Without
 * {@code --target} it starts that run itself: an embedded broker, a tiny model speaking the toy
 * world's tokenizer, toy prompts, and the sampler, reward, trainer and eval services as separate
 * processes (as on Kubernetes); then Debian's {@code prometheus} on loopback scraping their
 * {@code /metrics} every second. It prints one line per panel and, last, one JSON line
 * {@code {"panels":N,"with_data":M,"nan_only":[...],"missing":[...],"unknown_metrics":[...]}};
 * it exits 1 when a panel lacks data, a dashboard names a metric no service exports, or a
 * service crashed. With {@code --demo} it scrapes {@code o1p demo --quick} instead.
 */
@Command(name = "check-dashboards", mixinStandardHelpOptions = true,
        description = "Run every Grafana panel query against a real Prometheus scraping a real run; "
                + "last line: one JSON summary.")
public final class CheckDashboardsCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SERVICES = List.of("sampler", "reward", "trainer", "eval");

    @Option(names = "--dashboards", description = "Folder of dashboard JSON files (default: <o1p home>/grafana/dashboards).")
    Path dashboards;

    @Option(names = "--prometheus", defaultValue = "prometheus",
            description = "The Prometheus server binary (Debian: apt-get install prometheus; default: ${DEFAULT-VALUE}).")
    String prometheus;

    @Option(names = "--target", paramLabel = "SERVICE=HOST:PORT",
            description = "Scrape an already running service instead of starting a run (repeatable).")
    Map<String, String> targets = new LinkedHashMap<>();

    @Option(names = "--timeout", defaultValue = "PT6M",
            description = "Longest wait for every panel to show data (ISO-8601, default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--prompts", defaultValue = "32", description = "Toy prompts to produce (default: ${DEFAULT-VALUE}).")
    int prompts;

    @Option(names = "--demo", description = "Scrape a real `o1p demo --quick` run (needs the toy reference model) "
            + "instead of the check's own run of the four services on a tiny random model.")
    boolean demo;

    @Option(names = "--keep", description = "Keep the work folder (logs, prometheus.yml, checkpoints).")
    boolean keep;

    /** The first service that exited on its own, if any (its logs are then kept). */
    private String crashed;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Runs the command on its own (before the launcher registers it). */
    public static void main(String[] args) {
        System.exit(new CommandLine(new CheckDashboardsCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path home = Path.of(System.getProperty("o1p.home", "."));
        Path dir = dashboards != null ? dashboards : home.resolve("grafana").resolve("dashboards");
        List<DashboardQueries.Panel> panels = loadPanels(dir);
        if (panels.isEmpty()) {
            System.err.println("check-dashboards: no panel queries under " + dir.toAbsolutePath());
            return 2;
        }
        Path work = Files.createTempDirectory("o1p-check-dashboards");
        List<Process> processes = new ArrayList<>();
        List<String> names = new ArrayList<>();
        EmbeddedKafkaBroker broker = null;
        Process prom = null;
        try {
            Map<String, String> scrape = new LinkedHashMap<>(targets);
            if (scrape.isEmpty() && demo) {
                int port = freePort();
                processes.add(launch(work, "demo", List.of("demo", "--quick"),
                        Map.of("O1P_DEMO_HTTP_PORT", Integer.toString(port)), false));
                names.add("demo");
                scrape.put("demo", "127.0.0.1:" + port);
            } else if (scrape.isEmpty()) {
                names.addAll(SERVICES);
                broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults().withPort(0));
                BrokerCommand.createTopics(broker, 2);
                System.err.println("check-dashboards: " + broker.description());
                scrape.putAll(startRun(home, work, broker.bootstrapServers(), processes));
            }
            int promPort = freePort();
            prom = startPrometheus(work, promPort, scrape);
            String api = "http://127.0.0.1:" + promPort;
            awaitReady(api, prom);
            Instant started = Instant.now();
            Instant deadline = started.plus(timeout);
            Report report;
            while (true) {
                Thread.sleep(5_000);
                Duration range = Duration.between(started, Instant.now()).plusSeconds(60);
                report = evaluate(api, panels, started, range);
                String died = exited(processes, names);
                boolean demoDone = demo && died != null && died.endsWith(" with 0");
                System.err.printf("check-dashboards: %ds: %d of %d panels with data%s%n",
                        Duration.between(started, Instant.now()).toSeconds(), report.withData(), panels.size(),
                        died == null ? "" : "; " + died);
                boolean complete = report.missing().isEmpty() && report.nanOnly().isEmpty();
                if (complete || Instant.now().isAfter(deadline) || died != null) {
                    if (died != null && !demoDone) {
                        crashed = died;
                    }
                    if (demoDone) {
                        Thread.sleep(3_000); // let the last scrape land, then judge the whole run
                        report = evaluate(api, panels, started, Duration.between(started, Instant.now()).plusSeconds(60));
                    }
                    break;
                }
            }
            for (String line : report.lines()) {
                System.out.println(line);
            }
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("panels", panels.size());
            summary.put("with_data", report.withData());
            summary.put("nan_only", report.nanOnly());
            summary.put("missing", report.missing());
            summary.put("unknown_metrics", report.unknownMetrics());
            if (crashed != null) {
                summary.put("crashed", crashed + " (log: " + work + ")");
            }
            System.out.println(JSON.writeValueAsString(summary));
            return report.missing().isEmpty() && report.unknownMetrics().isEmpty() && crashed == null ? 0 : 1;
        } finally {
            if (prom != null) {
                stop(prom);
            }
            for (int i = processes.size() - 1; i >= 0; i--) {
                stop(processes.get(i));
            }
            if (broker != null) {
                broker.close();
            }
            if (keep || crashed != null) {
                System.err.println("check-dashboards: work folder kept at " + work);
            } else {
                deleteTree(work);
            }
        }
    }

    /** Every panel of every {@code *.json} dashboard in {@code dir}, sorted by file name. */
    static List<DashboardQueries.Panel> loadPanels(Path dir) throws IOException {
        List<DashboardQueries.Panel> panels = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                String name = f.getFileName().toString().replaceFirst("\\.json$", "");
                panels.addAll(DashboardQueries.panels(name, JSON.readTree(f.toFile())));
            }
        }
        return panels;
    }

    /** Outcome of one round of queries. */
    record Report(int withData, List<String> nanOnly, List<String> missing, List<String> unknownMetrics,
                  List<String> lines) {}

    /**
     * Runs every query over the run so far as a range query (what a dashboard draws), with a
     * 30 s rate window and {@code $__range} as long as the run.
     */
    private Report evaluate(String api, List<DashboardQueries.Panel> panels, Instant started, Duration range)
            throws IOException, InterruptedException {
        String window = "&start=" + started.getEpochSecond() + "&end=" + Instant.now().getEpochSecond() + "&step=2";
        int withData = 0;
        List<String> nanOnly = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        Set<String> metrics = new TreeSet<>();
        for (DashboardQueries.Panel p : panels) {
            boolean all = true;
            boolean anyFinite = false;
            List<String> details = new ArrayList<>();
            for (DashboardQueries.Query q : p.queries()) {
                metrics.addAll(DashboardQueries.metricNames(q.expr()));
                String expr = DashboardQueries.instantiate(q.expr(), Map.of(), Duration.ofSeconds(30), range);
                int[] counts = query(api, expr, window);
                if (counts[0] == 0) {
                    all = false;
                    details.add(q.refId() + ": no data");
                } else {
                    anyFinite |= counts[1] > 0;
                    details.add(q.refId() + ": " + counts[0] + " series" + (counts[1] == 0 ? " (NaN)" : ""));
                }
            }
            if (all) {
                withData++;
                if (!anyFinite) {
                    nanOnly.add(p.label());
                }
            } else {
                missing.add(p.label());
            }
            lines.add((all ? "ok      " : "MISSING ") + p.label() + "  [" + String.join("; ", details) + "]");
        }
        List<String> unknown = new ArrayList<>();
        for (String m : metrics) {
            if (query(api, "count({__name__=\"" + m + "\"})", window)[0] == 0) {
                unknown.add(m);
            }
        }
        return new Report(withData, nanOnly, missing, unknown, lines);
    }

    /** {@code [series returned, series with a finite value somewhere]} of a range query. */
    private int[] query(String api, String expr, String window) throws IOException, InterruptedException {
        URI uri = URI.create(api + "/api/v1/query_range?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8) + window);
        HttpResponse<String> resp = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(resp.body());
        if (!"success".equals(body.path("status").asText())) {
            throw new IllegalStateException("Prometheus rejected " + expr + ": " + body.path("error").asText(resp.body()));
        }
        JsonNode data = body.path("data");
        JsonNode result = data.path("result");
        if ("scalar".equals(data.path("resultType").asText())) {
            return new int[] {1, finite(result.path(1).asText()) ? 1 : 0};
        }
        int series = 0;
        int finite = 0;
        for (JsonNode r : result) {
            series++;
            boolean any = finite(r.path("value").path(1).asText());
            for (JsonNode v : r.path("values")) {
                any |= finite(v.path(1).asText());
            }
            if (any) {
                finite++;
            }
        }
        return new int[] {series, finite};
    }

    private static boolean finite(String v) {
        try {
            return Double.isFinite(Double.parseDouble(v));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Starts the toy run; returns service name to {@code host:port} of its /metrics. */
    private Map<String, String> startRun(Path home, Path work, String bootstrap, List<Process> processes)
            throws IOException, InterruptedException {
        Path model = writeToyModel(work.resolve("model"));
        Map<String, String> common = new LinkedHashMap<>();
        common.put("O1P_KAFKA_BOOTSTRAP", bootstrap);
        common.put("O1P_RUN_ID", "check-dashboards");
        common.put("O1P_HTTP_HOST", "127.0.0.1");
        common.put("O1P_FLUSH_INTERVAL", "500ms");
        Map<String, Map<String, String>> env = new LinkedHashMap<>();
        env.put("sampler", Map.of("O1P_SAMPLER_MODEL_DIR", model.toString(), "O1P_SAMPLER_FOLLOW", "latest",
                "O1P_SAMPLER_MAX_NEW_TOKENS", "24", "O1P_SAMPLER_BATCH_SIZE", "8", "O1P_SAMPLER_DEVICE", "cpu",
                "O1P_SAMPLER_TEMPERATURE", "1.0", "O1P_SAMPLER_TOP_P", "1.0"));
        env.put("reward", Map.of());
        env.put("trainer", Map.of("O1P_TRAINER_MODEL_DIR", model.toString(),
                "O1P_TRAINER_CHECKPOINT_DIR", work.resolve("checkpoints").toString(),
                "O1P_TRAINER_BATCH_SIZE", "4", "O1P_TRAINER_GRAD_ACCUMULATION", "1",
                "O1P_TRAINER_CHECKPOINT_EVERY", "2", "O1P_TRAINER_MAX_BATCH_WAIT", "3s",
                "O1P_TRAINER_SAMPLES_PER_PROBLEM", "all", "O1P_TRAINER_TOTAL_STEPS", "100",
                "O1P_TRAINER_LR", "1e-3", "O1P_TRAINER_THREADS", "1"));
        env.put("eval", Map.of("O1P_EVAL_DATASETS", "toy_test", "O1P_EVAL_MAX_PROBLEMS", "8",
                "O1P_EVAL_MAX_NEW_TOKENS", "24", "O1P_EVAL_BATCH_SIZE", "8", "O1P_EVAL_BASELINE_DIR", model.toString(),
                "O1P_EVAL_DEVICE", "cpu", "O1P_EVAL_DATA_DIR", home.resolve("data").toString()));
        Map<String, String> scrape = new LinkedHashMap<>();
        for (String service : SERVICES) {
            int port = freePort();
            Map<String, String> e = new LinkedHashMap<>(common);
            e.put("O1P_HTTP_PORT", Integer.toString(port));
            e.putAll(env.get(service));
            processes.add(launch(work, service, List.of(service), e, true));
            scrape.put(service, "127.0.0.1:" + port);
        }
        Process loader = launch(work, "prompts", List.of("prompts", "--dataset", "toy:train", "--k", "4",
                "--limit", Integer.toString(prompts), "--bootstrap", bootstrap), common, true);
        if (!loader.waitFor(120, TimeUnit.SECONDS) || loader.exitValue() != 0) {
            throw new IllegalStateException("o1p prompts failed; see " + work.resolve("prompts.log"));
        }
        return scrape;
    }

    /** A tiny random model with the toy tokenizer: the real engine, just untrained. */
    private static Path writeToyModel(Path dir) {
        ToyVocabulary v = ToyVocabulary.get();
        ModelConfig c = ModelConfig.tiny(v.size(), 32, 2).toBuilder()
                .optEosTokenIds(List.of(v.eosId())).optMaxPositionEmbeddings(512).build();
        try (CausalLM m = CausalLM.random(c, 7, Device.cpu())) {
            m.save(dir, Map.of("tokenizer.json", v.tokenizerJson(), "tokenizer_config.json", v.tokenizerConfigJson()));
        }
        return dir;
    }

    /**
     * Starts {@code o1p <args>} in a child JVM with this JVM's class path and the given
     * environment (inherited {@code O1P_*} variables dropped when {@code isolate}).
     */
    private static Process launch(Path work, String name, List<String> args, Map<String, String> env, boolean isolate)
            throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "--add-modules", "jdk.incubator.vector", "-Dai.djl.offline=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dorg.slf4j.simpleLogger.log.org.o1pruner=info",
                "-cp", System.getProperty("java.class.path"), O1p.class.getName()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(work.resolve(name + ".log").toFile());
        if (isolate) {
            pb.environment().keySet().removeIf(k -> k.startsWith("O1P_"));
        }
        pb.environment().putAll(env);
        return pb.start();
    }

    private Process startPrometheus(Path work, int port, Map<String, String> scrape) throws IOException {
        StringBuilder yml = new StringBuilder("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                + "scrape_configs:\n");
        scrape.forEach((service, target) -> yml.append("  - job_name: o1p-").append(service).append('\n')
                .append("    metrics_path: /metrics\n")
                .append("    static_configs:\n      - targets: ['").append(target).append("']\n"));
        Path config = work.resolve("prometheus.yml");
        Files.writeString(config, yml);
        List<String> cmd = List.of(prometheus, "--config.file=" + config,
                "--storage.tsdb.path=" + work.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port,
                "--storage.tsdb.retention.time=1h");
        try {
            return new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(work.resolve("prometheus.log").toFile()).start();
        } catch (IOException e) {
            throw new IOException("cannot start '" + prometheus + "' (install it: apt-get install -y prometheus, "
                    + "or pass --prometheus PATH): " + e.getMessage(), e);
        }
    }

    private void awaitReady(String api, Process prom) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            if (!prom.isAlive()) {
                throw new IllegalStateException("prometheus exited with " + prom.exitValue() + " (see --keep logs)");
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api + "/-/ready")).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("prometheus not ready within 60 s");
    }

    /** {@code "<name> exited with <code>"} for the first process that ended, or null. */
    private static String exited(List<Process> processes, List<String> names) {
        for (int i = 0; i < processes.size() && i < names.size(); i++) {
            if (!processes.get(i).isAlive()) {
                return names.get(i) + " exited with " + processes.get(i).exitValue();
            }
        }
        return null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(40, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
