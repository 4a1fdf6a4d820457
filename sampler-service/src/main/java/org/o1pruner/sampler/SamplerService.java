package org.o1pruner.sampler;

import ai.djl.Device;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.o1pruner.model.GradMode;
import org.o1pruner.runtime.CommonConfig;
import org.o1pruner.runtime.GracefulShutdown;
import org.o1pruner.runtime.LoopOptions;
import org.o1pruner.runtime.ServiceShell;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sampler service, wired: configuration → starting policy (verified, loaded) → policy
 * follower (unless fixed) → back-pressure from the downstream group's lag (when configured) →
 * the {@link SamplerLoop} → (for {@link #serve}) the HTTP shell with /health, /ready (loop
 * running, broker reachable, model loaded) and /metrics, and a SIGTERM hook.
 *
 * <p>Several samplers with the same consumer group share the prompts' partitions; give each a
 * distinct {@code O1P_INSTANCE_ID} so their transactional ids differ. {@code main} lives in the
 * launcher ({@code o1p sampler}), which passes the environment in.
 */
public final class SamplerService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SamplerService.class);

    private final SamplerConfig config;
    private final SamplerMetrics metrics;
    private final SamplerLoop loop;
    private final PolicyFollower follower;
    private final ServiceShell shell;

    private SamplerService(SamplerConfig config, SamplerMetrics metrics, SamplerLoop loop, PolicyFollower follower,
                           ServiceShell shell) {
        this.config = config;
        this.metrics = metrics;
        this.loop = loop;
        this.follower = follower;
        this.shell = shell;
    }

    /** Loop options from the common keys, reading the prompts topic, one poll batch per transaction. */
    public static LoopOptions.Builder loopOptions(SamplerConfig config, MeterRegistry registry, Clock clock) {
        return LoopOptions.fromConfig(config.config(), List.of(config.inputTopic()))
                .optDeadLetterTopic(config.deadLetterTopic())
                .optMaxPollRecords(config.promptsPerTransaction())
                .optMeterRegistry(registry)
                .optClock(clock)
                .optConsumerOverrides(Map.of(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
                        (int) Math.min(Integer.MAX_VALUE, config.maxPollInterval().toMillis())));
    }

    /** Starts the sampler (no HTTP shell): for the launcher's one-JVM run, tests and benchmarks. */
    public static SamplerService start(SamplerConfig config, MeterRegistry registry) {
        SamplerMetrics metrics = new SamplerMetrics(registry);
        Device device = ModelPolicy.device(config.device());
        ai.djl.engine.Engine.getInstance(); // loads the native library before the thread setting
        GradMode.setIntraOpThreads(config.threads());
        Policy initial = ModelPolicy.load(config.modelDir(), config.policyVersion(), device, config.batchSize(),
                config.decodeBackend());
        String bootstrap = CommonConfig.bootstrapServers(config.config());
        PolicyFollower follower = null;
        BackPressure backPressure = BackPressure.none();
        try {
            PolicySource source = PolicySource.none();
            if (config.follow() != FollowMode.FIXED) {
                follower = PolicyFollower.start(bootstrap, config.follow(), config.runId(), config.checkpointTopic(),
                        config.evalTopic(), config.policyVersion(), (dir, version) -> ModelPolicy.load(dir, version, device, config.batchSize(), config.decodeBackend()),
                        metrics);
                source = follower;
            }
            if (config.maxDownstreamLag().isPresent()) {
                backPressure = new DownstreamLag(bootstrap, config.outputTopic(), config.downstreamGroup(),
                        config.maxDownstreamLag().get(), config.lagCheckInterval(), metrics);
            }
            Clock clock = Clock.systemUTC();
            SamplerProcessor processor = new SamplerProcessor(config.sampling(), config.batchSize(), clock, metrics);
            SamplerLoop loop = SamplerLoop.start(loopOptions(config, registry, clock).build(), config.outputTopic(),
                    initial, source, processor, backPressure, metrics);
            LOG.info("sampler started: model {} (version {}), follow {}, {}, batch {}, {} prompts per transaction, {} -> {}",
                    config.modelDir(), config.policyVersion(), config.follow(), config.sampling(), config.batchSize(),
                    config.promptsPerTransaction(), config.inputTopic(), config.outputTopic());
            return new SamplerService(config, metrics, loop, follower, null);
        } catch (RuntimeException e) {
            initial.close();
            if (follower != null) {
                follower.close();
            }
            backPressure.close();
            throw e;
        }
    }

    /**
     * Runs the whole service from an environment map: loop, HTTP shell and SIGTERM hook.
     *
     * @throws org.o1pruner.runtime.ConfigException for bad configuration (naming the keys)
     */
    public static SamplerService serve(Map<String, String> env) {
        SamplerConfig config = SamplerConfig.load(env);
        LOG.info("sampler configuration:\n{}", config.config().summary());
        PrometheusMeterRegistry registry = ServiceShell.newRegistry(SamplerConfig.SERVICE, config.runId());
        SamplerService core = start(config, registry);
        ServiceShell shell = ServiceShell.fromConfig(config.config()).optRegistry(registry)
                .addLiveness("loop-" + SamplerConfig.SERVICE, core.loop::isAlive)
                .addReadiness("loop-" + SamplerConfig.SERVICE, core.loop::isReady)
                .addReadiness("model", () -> core.loop.isReady())
                .startWithBrokerCheck(CommonConfig.bootstrapServers(config.config()), core::close);
        SamplerService service = new SamplerService(config, core.metrics, core.loop, core.follower, shell);
        GracefulShutdown.install(SamplerConfig.SERVICE, service::close);
        return service;
    }

    public SamplerConfig config() {
        return config;
    }

    public SamplerMetrics metrics() {
        return metrics;
    }

    public SamplerLoop loop() {
        return loop;
    }

    /** The HTTP port, when started by {@link #serve}; -1 otherwise. */
    public int httpPort() {
        return shell == null ? -1 : shell.actualPort();
    }

    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return loop.awaitRunning(timeout);
    }

    /** Stops the follower, the loop (finishing or aborting its transaction, closing the policy), then the shell. */
    @Override
    public void close() {
        List<AutoCloseable> parts = new ArrayList<>();
        parts.add(loop);
        if (follower != null) {
            parts.add(follower);
        }
        if (shell != null) {
            parts.add(shell);
        }
        GracefulShutdown.closeAll(SamplerConfig.SERVICE, parts);
    }
}
