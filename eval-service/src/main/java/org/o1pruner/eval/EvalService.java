package org.o1pruner.eval;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.o1pruner.eval.core.EvalJudge;
import org.o1pruner.eval.core.EvalLedger;
import org.o1pruner.grading.Grader;
import org.o1pruner.runtime.CommonConfig;
import org.o1pruner.runtime.Config;
import org.o1pruner.runtime.ConfigException;
import org.o1pruner.runtime.GracefulShutdown;
import org.o1pruner.runtime.LoopOptions;
import org.o1pruner.runtime.ServiceShell;
import org.o1pruner.schema.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The eval service: consumes {@code checkpoints}, verifies and evaluates every version on this
 * instance's share of the configured test sets, and publishes an {@code evals} record per
 * version and data set (accuracy with its 95 % interval, mean length, AES in both variants,
 * baseline and promotion flags), transactionally with the consumed offsets. Several instances
 * split the test sets ({@code O1P_EVAL_INSTANCE_INDEX}/{@code _COUNT}); each reads every
 * checkpoint in its own consumer group.
 */
public final class EvalService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EvalService.class);

    private final EvalConfig.Settings settings;
    private final EvalMetrics metrics;
    private final EvalLoop loop;
    private final ServiceShell shell;

    private EvalService(EvalConfig.Settings settings, EvalMetrics metrics, EvalLoop loop, ServiceShell shell) {
        this.settings = settings;
        this.metrics = metrics;
        this.loop = loop;
        this.shell = shell;
    }

    /** The configuration registry (common keys plus {@code O1P_EVAL_*}). */
    public static Config load(Map<String, String> env) {
        return EvalConfig.registry().load(env);
    }

    /** Loop options: the checkpoints topic, one record per transaction, a long poll interval. */
    public static LoopOptions.Builder loopOptions(Config config, EvalConfig.Settings s, MeterRegistry registry) {
        return LoopOptions.fromConfig(config, List.of(Topics.CHECKPOINTS))
                .setGroupId(s.consumerGroup(config))
                .setTransactionalId(s.transactionalId(config))
                .optMaxPollRecords(1)
                .optMeterRegistry(registry)
                .optConsumerOverrides(Map.of(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
                        (int) Math.min(Integer.MAX_VALUE, s.maxPollInterval().toMillis())));
    }

    /** Loads this instance's data sets (each cut to {@code O1P_EVAL_MAX_PROBLEMS}). */
    public static List<EvalDataset> datasets(EvalConfig.Settings s) {
        List<EvalDataset> out = new ArrayList<>();
        for (String name : s.datasets()) {
            try {
                EvalDataset d = EvalDataset.load(name, s.dataDir()).limit(s.maxProblems());
                if (d.skipped() > 0) {
                    LOG.warn("eval: {} has {} rows without a usable ground truth; they are left out", name, d.skipped());
                }
                out.add(d);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read data set " + name + " from " + s.dataDir(), e);
            }
        }
        return out;
    }

    /** The device {@code O1P_EVAL_DEVICE} names. */
    public static Device device(EvalConfig.DeviceChoice choice) {
        return switch (choice) {
            case CPU -> Device.cpu();
            case GPU -> Device.gpu();
            case AUTO -> Engine.getInstance().getGpuCount() > 0 ? Device.gpu() : Device.cpu();
        };
    }

    /**
     * Starts the loop without the HTTP shell (the launcher's one-JVM run, tests).
     *
     * @param loader loads a verified model directory (normally {@link EvalModel#load})
     */
    public static EvalService start(Config config, MeterRegistry registry, Function<Path, EvalModel> loader,
                                    Clock clock) {
        EvalConfig.Settings s = EvalConfig.settings(config);
        EvalMetrics metrics = new EvalMetrics(registry, s.datasets());
        if (s.datasets().isEmpty()) {
            LOG.warn("eval: instance {} of {} owns none of {}; it will only commit offsets", s.instanceIndex(),
                    s.instanceCount(), s.allDatasets());
        }
        Evaluator evaluator = new Evaluator(Grader.defaults(), s.evaluatorOptions());
        VersionEvaluator versions = new VersionEvaluator(datasets(s), evaluator, new EvalJudge(s.weights(), s.promotion()),
                new EvalLedger(s.decoding().label()), loader, s.baselineDir(), clock, metrics);
        EvalLoop loop = EvalLoop.start(loopOptions(config, s, registry).optClock(clock).build(), versions, metrics,
                config.get(CommonConfig.RUN_ID));
        LOG.info("eval started: instance {} of {} on {} ({}), max {} new tokens, batch {}", s.instanceIndex(),
                s.instanceCount(), s.datasets(), s.decoding().label(), s.maxNewTokens(), s.batchSize());
        return new EvalService(s, metrics, loop, null);
    }

    /** Starts the loop with models loaded by the engine on the configured device. */
    public static EvalService start(Config config, MeterRegistry registry) {
        EvalConfig.Settings s = EvalConfig.settings(config);
        Device device = device(s.device());
        return start(config, registry, dir -> EvalModel.load(dir, device, s.batchSize(), s.decodeBackend()),
                Clock.systemUTC());
    }

    /**
     * The whole service from an environment: loop, HTTP shell ({@code /health /ready /metrics})
     * and the SIGTERM hook.
     *
     * @throws ConfigException for bad configuration (naming the keys)
     */
    public static EvalService serve(Map<String, String> env) {
        Config config = load(env);
        LOG.info("eval configuration:\n{}", config.summary());
        PrometheusMeterRegistry registry = ServiceShell.newRegistry(EvalConfig.SERVICE, config.get(CommonConfig.RUN_ID));
        EvalService core = start(config, registry);
        ServiceShell shell = ServiceShell.fromConfig(config).optRegistry(registry)
                .addLiveness("loop-" + EvalConfig.SERVICE, core.loop::isAlive)
                .addReadiness("loop-" + EvalConfig.SERVICE, core.loop::isReady)
                .startWithBrokerCheck(CommonConfig.bootstrapServers(config), core::close);
        EvalService service = new EvalService(core.settings, core.metrics, core.loop, shell);
        GracefulShutdown.install(EvalConfig.SERVICE, service::close);
        return service;
    }

    /** Runs the service until SIGTERM. */
    public static void main(String[] args) {
        if (List.of(args).contains("--help")) {
            System.out.print(EvalConfig.registry().describe());
            return;
        }
        try {
            serve(System.getenv());
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }

    public EvalConfig.Settings settings() {
        return settings;
    }

    public EvalMetrics metrics() {
        return metrics;
    }

    public EvalLoop loop() {
        return loop;
    }

    /** The HTTP shell, when started with {@link #serve}. */
    public ServiceShell shell() {
        return shell;
    }

    @Override
    public void close() {
        try {
            loop.close();
        } finally {
            if (shell != null) {
                shell.close();
            }
        }
    }
}
