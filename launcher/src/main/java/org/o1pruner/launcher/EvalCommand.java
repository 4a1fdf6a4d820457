package org.o1pruner.launcher;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import org.o1pruner.eval.EvalConfig;
import org.o1pruner.eval.EvalDataset;
import org.o1pruner.eval.EvalModel;
import org.o1pruner.eval.EvalService;
import org.o1pruner.eval.Evaluator;
import org.o1pruner.eval.core.Decoding;
import org.o1pruner.eval.core.EvalJudge;
import org.o1pruner.eval.core.EvalSummary;
import org.o1pruner.eval.core.PromotionPolicy;
import org.o1pruner.grading.Grader;
import org.o1pruner.grading.aes.AesWeights;
import org.o1pruner.schema.EvalRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code o1p eval}: with {@code --model}, evaluates model directories offline on test sets and
 * prints accuracy (with its 95 % interval), mean length and AES against the baseline in both
 * variants (the formula as written, and the paper's table's reading); without, runs the eval
 * service (configured by {@code O1P_*} variables, see {@code --describe}) until SIGTERM.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate models on test sets (--model), or run the eval service (checkpoints -> evals).")
public final class EvalCommand implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "[NAME=]DIR",
            description = "A model directory to evaluate offline (repeatable). The first is the baseline unless --baseline is given.")
    List<String> models = new ArrayList<>();

    @Option(names = "--baseline", paramLabel = "DIR", description = "The baseline (reference) model directory.")
    Path baseline;

    @Option(names = "--datasets", split = ",", defaultValue = "toy_test",
            description = "Test sets (default: ${DEFAULT-VALUE}); e.g. math_test,gsm8k_test,gaokao_test.")
    List<String> datasets;

    @Option(names = "--data-dir", defaultValue = "data", description = "Folder of <name>.jsonl test sets (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--max-problems", defaultValue = "0", description = "Only the first N problems of each set (0 = all).")
    int maxProblems;

    @Option(names = "--decoding", defaultValue = "greedy", description = "greedy or sample (default: ${DEFAULT-VALUE}).")
    EvalConfig.Mode decoding;

    @Option(names = "--samples", defaultValue = "1", description = "Solutions per problem when sampling (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--temperature", defaultValue = "0.5", description = "Sampling temperature (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--top-p", defaultValue = "0.8", description = "Sampling nucleus mass (default: ${DEFAULT-VALUE}).")
    double topP;

    @Option(names = "--fast", description = "Use the paper's fast-solving prompt.")
    boolean fast;

    @Option(names = "--max-new-tokens", defaultValue = "8192", description = "Token limit per solution (default: ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(names = "--batch-size", defaultValue = "16", description = "Problems decoded together (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--seed", defaultValue = "0", description = "Sampling seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default: ${DEFAULT-VALUE}).")
    EvalConfig.DeviceChoice device;

    @Option(names = "--json", description = "Write one evals-shaped JSON object per model and data set to stdout instead of a table.")
    boolean json;

    @Option(names = "--quiet", description = "No progress bar on stderr.")
    boolean quiet;

    @Option(names = "--embedded", description = "Service mode: start an embedded Kafka broker first when O1P_KAFKA_BOOTSTRAP is not set.")
    boolean embedded;

    @Option(names = "--describe", description = "Print every service configuration key and exit.")
    boolean describe;

    @Override
    public Integer call() throws Exception {
        if (describe) {
            System.out.print(EvalConfig.registry().describe());
            return 0;
        }
        if (!models.isEmpty()) {
            return offline(System.out, System.err);
        }
        return serve();
    }

    /** Evaluates every model and the baseline; prints a table or JSON lines on {@code out}. */
    int offline(PrintStream out, PrintStream err) throws IOException {
        Decoding d;
        try {
            d = (decoding == EvalConfig.Mode.GREEDY ? Decoding.greedy() : Decoding.sampled(samples, temperature, topP))
                    .withFastPrompt(fast);
        } catch (IllegalArgumentException e) {
            err.println("o1p eval: " + e.getMessage());
            return 2;
        }
        Map<String, Path> named = new LinkedHashMap<>();
        if (baseline != null) {
            named.put("baseline", baseline);
        }
        for (String m : models) {
            int eq = m.indexOf('=');
            String name = eq > 0 ? m.substring(0, eq) : Path.of(m).getFileName().toString();
            named.put(named.containsKey(name) ? name + "-" + named.size() : name, Path.of(eq > 0 ? m.substring(eq + 1) : m));
        }
        List<EvalDataset> sets = new ArrayList<>();
        for (String name : datasets) {
            try {
                sets.add(EvalDataset.load(name, dataDir).limit(maxProblems));
            } catch (IllegalArgumentException e) {
                err.println("o1p eval: " + e.getMessage());
                return 2;
            }
        }
        Evaluator evaluator = new Evaluator(Grader.defaults(),
                new Evaluator.Options(d, maxNewTokens, batchSize, seed, quiet ? null : err));
        Device dev = EvalService.device(device);
        Map<String, Map<String, EvalSummary>> results = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : named.entrySet()) {
            try (EvalModel model = EvalModel.load(e.getValue(), dev, batchSize)) {
                Map<String, EvalSummary> byData = new LinkedHashMap<>();
                for (EvalDataset set : sets) {
                    byData.put(set.name(), evaluator.evaluate(model, set, e.getKey()));
                }
                results.put(e.getKey(), byData);
            }
        }
        print(results, d.label(), out);
        return 0;
    }

    private void print(Map<String, Map<String, EvalSummary>> results, String label, PrintStream out) throws IOException {
        EvalJudge judge = new EvalJudge(AesWeights.PAPER, new PromotionPolicy(0.01));
        String baseName = results.keySet().iterator().next();
        ObjectMapper mapper = new ObjectMapper();
        if (!json) {
            out.printf(Locale.ROOT, "%-14s %-16s %-22s %6s %7s %17s %8s %7s %11s%n", "dataset", "model", "decoding", "n",
                    "acc %", "95 % interval", "length", "AES", "AES(paper)");
        }
        long version = 0;
        for (Map.Entry<String, Map<String, EvalSummary>> m : results.entrySet()) {
            for (Map.Entry<String, EvalSummary> ds : m.getValue().entrySet()) {
                EvalSummary base = results.get(baseName).get(ds.getKey());
                EvalRecord b = judge.baseline("offline", 0, ds.getKey(), label, base, System.currentTimeMillis());
                EvalRecord r = m.getKey().equals(baseName) ? b
                        : judge.judge("offline", version, ds.getKey(), label, ds.getValue(), b, OptionalDouble.empty(),
                                System.currentTimeMillis()).record();
                if (json) {
                    ObjectNode o = mapper.valueToTree(r);
                    o.put("model", m.getKey());
                    o.remove("runId");
                    o.remove("promoted");
                    out.println(mapper.writeValueAsString(o));
                } else {
                    out.printf(Locale.ROOT, "%-14s %-16s %-22s %6d %7.2f %17s %8.1f %7.3f %11.3f%n", ds.getKey(),
                            m.getKey(), label, r.n(), 100 * r.accuracy(),
                            String.format(Locale.ROOT, "[%.2f, %.2f]", 100 * r.accuracyLow95(), 100 * r.accuracyHigh95()),
                            r.meanLength(), r.aes(), r.aesPaper());
                }
            }
            version++;
        }
    }

    private int serve() throws InterruptedException {
        return ServiceLauncher.run("eval", embedded, 0, env -> {
            EvalService service = EvalService.serve(env);
            return new ServiceLauncher.Started(service::close, () -> service.loop().isAlive(),
                    () -> service.loop().failure(), "running on " + service.settings().datasets() + " ("
                            + service.settings().decoding().label() + "); /health /ready /metrics on port "
                            + service.shell().actualPort());
        });
    }
}
