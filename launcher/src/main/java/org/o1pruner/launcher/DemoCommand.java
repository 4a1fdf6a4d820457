package org.o1pruner.launcher;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.o1pruner.demo.DemoAblation;
import org.o1pruner.demo.DemoConfig;
import org.o1pruner.demo.DemoRun;
import org.o1pruner.demo.ModelLocator;
import org.o1pruner.runtime.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code o1p demo}: the main job in one JVM — embedded broker, every service, the shipped toy
 * reference model: pre-sample, score, train O1-Pruner and the SFT and DPO baselines, evaluate
 * everything (and the fast-solving prompt) greedy and sampled, write the report and print the
 * comparison table. Options set the {@code O1P_DEMO_*} keys (see {@code --describe}); an option
 * beats the environment.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the whole O1-Pruner pipeline on the toy world and write a report (table, charts, summary.json).")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--quick", description = "Smoke-test sizes (about 2 minutes) for every size not set explicitly.")
    boolean quick;

    @Option(names = "--lambda", description = "Accuracy weight λ of the reward (default 2).")
    Double lambda;

    @Option(names = "--lr", description = "O1-Pruner's peak learning rate (default 1e-5).")
    Double lr;

    @Option(names = "--epochs", description = "O1-Pruner's epochs over the pre-sampled data (default 2).")
    Integer epochs;

    @Option(names = "--samples-per-problem", description = "Samples per problem O1-Pruner trains on: a number or 'all' (default all).")
    String samplesPerProblem;

    @Option(names = "--k", description = "Samples per training problem K (default 8; quick 4).")
    Integer k;

    @Option(names = "--problems", description = "Training problems pre-sampled (default 400; quick 24).")
    Integer problems;

    @Option(names = "--eval-problems", description = "Toy test problems per evaluation (default 1000; quick 48).")
    Integer evalProblems;

    @Option(names = "--report", description = "Report directory (default report).")
    Path report;

    @Option(names = "--model", description = "Reference model directory (default toy-world/reference-model).")
    Path model;

    @Option(names = "--port", description = "Port of /health, /ready and /metrics (default 9400; 0 = any free port).")
    Integer port;

    @Option(names = "--ablation", description = "Run O1-Pruner with λ = 0, 1, 2, 5 and 2 vs all samples per problem; "
            + "writes <report>/ablation/README.md and a report per variant next to it.")
    boolean ablation;

    @Option(names = "--describe", description = "Print every configuration key with its type, default and meaning, and exit.")
    boolean describe;

    @Override
    public Integer call() throws Exception {
        if (describe) {
            System.out.print(DemoConfig.registry().describe());
            return 0;
        }
        Map<String, String> env = new HashMap<>(System.getenv());
        put(env, DemoConfig.QUICK.env(), quick ? "true" : null);
        put(env, DemoConfig.LAMBDA.env(), lambda);
        put(env, DemoConfig.LR.env(), lr);
        put(env, DemoConfig.EPOCHS.env(), epochs);
        put(env, DemoConfig.SAMPLES_PER_PROBLEM.env(), samplesPerProblem);
        put(env, DemoConfig.K.env(), k);
        put(env, DemoConfig.PROBLEMS.env(), problems);
        put(env, DemoConfig.EVAL_PROBLEMS.env(), evalProblems);
        put(env, DemoConfig.REPORT_DIR.env(), report);
        put(env, DemoConfig.MODEL_DIR.env(), model);
        put(env, DemoConfig.HTTP_PORT.env(), port);
        DemoConfig.Settings settings;
        Path modelDir;
        try {
            settings = DemoConfig.load(env);
            modelDir = ModelLocator.locate(settings.modelDir(), System.getProperty("o1p.home"), Path.of(""));
        } catch (ConfigException | IllegalStateException e) {
            System.err.println("o1p demo: " + e.getMessage());
            return 2;
        }
        if (ablation) {
            Path out = settings.reportDir().resolve("ablation").resolve("README.md");
            System.out.print(DemoAblation.run(settings, modelDir, System.err, out));
            System.err.println("o1p demo: ablation written to " + out.toAbsolutePath());
            return 0;
        }
        DemoRun.Outcome outcome = new DemoRun(settings, modelDir, System.err).run();
        System.out.print(outcome.table());
        System.out.flush();
        System.err.println("o1p demo: report in " + outcome.reportDir().toAbsolutePath());
        return 0;
    }

    private static void put(Map<String, String> env, String key, Object value) {
        if (value != null) {
            env.put(key, value.toString());
        }
    }
}
