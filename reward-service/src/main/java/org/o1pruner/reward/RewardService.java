package org.o1pruner.reward;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.o1pruner.grading.Grader;
import org.o1pruner.runtime.CommonConfig;
import org.o1pruner.runtime.GracefulShutdown;
import org.o1pruner.runtime.LoopOptions;
import org.o1pruner.runtime.ServiceShell;
import org.o1pruner.runtime.StreamProcessor;
import org.o1pruner.runtime.TransactionalLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reward service, wired: configuration → changelog topic check → transactional loop
 * running a {@link RewardProcessor} → (for {@link #serve}) the HTTP shell with /health,
 * /ready and /metrics and a SIGTERM hook that closes the loop, then the shell.
 *
 * <p>{@code main} lives in the launcher ({@code o1p reward}), which passes the environment in;
 * nothing here reads it.
 */
public final class RewardService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RewardService.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final RewardConfig config;
    private final RewardMetrics metrics;
    private final TransactionalLoop loop;
    private final ServiceShell shell;

    private RewardService(RewardConfig config, RewardMetrics metrics, TransactionalLoop loop, ServiceShell shell) {
        this.config = config;
        this.metrics = metrics;
        this.loop = loop;
        this.shell = shell;
    }

    /** The metrics of a service writing to {@code registry}. */
    public static RewardMetrics metrics(RewardConfig config, MeterRegistry registry) {
        return new RewardMetrics(registry, config.reward().clipLow(), config.reward().clipHigh());
    }

    /** The processor the loop runs, with the default grader and the given clock. */
    public static RewardProcessor processor(RewardConfig config, RewardMetrics metrics, Clock clock) {
        RewardTask task = new RewardTask(new RewardScorer(Grader.defaults(), config.reward()), config.groupTimeout(),
                config.incompletePolicy(), config.rememberCompleted(), metrics, clock, System::nanoTime);
        return new RewardProcessor(task, config, RewardConfig.SERVICE);
    }

    /** Loop options from the common keys, reading the configured input topic and dead-lettering to its topic. */
    public static LoopOptions.Builder loopOptions(RewardConfig config, MeterRegistry registry, Clock clock) {
        return LoopOptions.fromConfig(config.config(), List.of(config.inputTopic()))
                .optDeadLetterTopic(config.deadLetterTopic())
                .optMeterRegistry(registry)
                .optClock(clock);
    }

    /**
     * Makes sure the changelog exists, compacted, with at least as many partitions as the input
     * (creating it with exactly as many when missing).
     *
     * @throws IllegalStateException when the input topic is missing or the changelog has fewer partitions
     */
    public static void ensureChangelog(RewardConfig config) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                CommonConfig.bootstrapServers(config.config())))) {
            int partitions = describe(admin, config.inputTopic()).partitions().size();
            try {
                admin.createTopics(List.of(new NewTopic(config.changelogTopic(), partitions, (short) -1)
                        .configs(RewardTopics.CHANGELOG_CONFIGS))).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                LOG.info("created changelog {} with {} partitions", config.changelogTopic(), partitions);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            int have = describe(admin, config.changelogTopic()).partitions().size();
            if (have < partitions) {
                throw new IllegalStateException("changelog " + config.changelogTopic() + " has " + have
                        + " partitions but input " + config.inputTopic() + " has " + partitions
                        + "; it must be co-partitioned: add partitions to the changelog");
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot check topics " + config.inputTopic() + " / "
                    + config.changelogTopic() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking topics", e);
        }
    }

    /**
     * Describes a topic, waiting while a just-created topic's metadata has not reached the broker yet
     * ({@link UnknownTopicOrPartitionException}) until {@code ADMIN_TIMEOUT}.
     */
    private static TopicDescription describe(Admin admin, String topic)
            throws ExecutionException, TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        while (true) {
            try {
                return admin.describeTopics(Set.of(topic)).allTopicNames()
                        .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    /** Starts the loop only (no HTTP shell): for the launcher's one-JVM run, tests and benchmarks. */
    public static RewardService start(RewardConfig config, MeterRegistry registry) {
        ensureChangelog(config);
        RewardMetrics metrics = metrics(config, registry);
        Clock clock = Clock.systemUTC();
        StreamProcessor processor = processor(config, metrics, clock);
        TransactionalLoop loop = TransactionalLoop.start(loopOptions(config, registry, clock).build(), processor);
        LOG.info("reward service started: {}, timeout {}, incomplete groups {}, input {} -> {}",
                config.reward(), config.groupTimeout(), config.incompletePolicy(), config.inputTopic(), config.outputTopic());
        return new RewardService(config, metrics, loop, null);
    }

    /**
     * Runs the whole service from an environment map: loop, HTTP shell and SIGTERM hook.
     *
     * @throws org.o1pruner.runtime.ConfigException for bad configuration (naming the keys)
     */
    public static RewardService serve(Map<String, String> env) {
        RewardConfig config = RewardConfig.load(env);
        LOG.info("reward configuration:\n{}", config.config().summary());
        PrometheusMeterRegistry registry = ServiceShell.newRegistry(RewardConfig.SERVICE,
                config.config().get(CommonConfig.RUN_ID));
        RewardService core = start(config, registry);
        ServiceShell shell = ServiceShell.fromConfig(config.config()).optRegistry(registry)
                .addLoop(RewardConfig.SERVICE, core.loop)
                .startWithBrokerCheck(CommonConfig.bootstrapServers(config.config()), core::close);
        RewardService service = new RewardService(config, core.metrics, core.loop, shell);
        GracefulShutdown.install(RewardConfig.SERVICE, core.loop, shell);
        return service;
    }

    public RewardConfig config() {
        return config;
    }

    public RewardMetrics metrics() {
        return metrics;
    }

    public TransactionalLoop loop() {
        return loop;
    }

    /** The HTTP port, when started by {@link #serve}; -1 otherwise. */
    public int httpPort() {
        return shell == null ? -1 : shell.actualPort();
    }

    /** Waits until the loop runs (transactions initialised, subscribed). */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return loop.awaitRunning(timeout);
    }

    /** Stops the loop (finishing or aborting its transaction), then the shell. */
    @Override
    public void close() {
        GracefulShutdown.closeAll(RewardConfig.SERVICE, shell == null ? List.of(loop) : List.of(loop, shell));
    }
}
