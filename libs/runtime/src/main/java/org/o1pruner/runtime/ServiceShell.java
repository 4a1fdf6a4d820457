package org.o1pruner.runtime;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face every service shares (Vert.x 5): {@code GET /health} (liveness: 200 while every
 * liveness check passes, e.g. the loop thread is alive), {@code GET /ready} (readiness: 503 until
 * every readiness check passes, e.g. loop running, broker reachable, model loaded) and
 * {@code GET /metrics} (Prometheus text from a {@link PrometheusMeterRegistry} with common tags
 * {@code service} and {@code run_id}, JVM and process metrics, and the Kafka clients' metrics of
 * any {@link TransactionalLoop} added to it).
 *
 * <p>Checks run on the Vert.x event loop: synchronous ones must be cheap (read a volatile flag);
 * anything that talks to the network is an asynchronous check (see {@link BrokerCheck}).
 */
public final class ServiceShell implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceShell.class);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    /** How long the {@code broker} readiness check waits for the cluster to answer. */
    static final Duration BROKER_CHECK_TIMEOUT = Duration.ofSeconds(3);

    private final String service;
    private final Vertx vertx;
    private final HttpServer server;
    private final PrometheusMeterRegistry registry;
    private final List<AutoCloseable> resources;
    private volatile boolean closed;

    private ServiceShell(String service, Vertx vertx, HttpServer server, PrometheusMeterRegistry registry,
                         List<AutoCloseable> resources) {
        this.service = service;
        this.vertx = vertx;
        this.server = server;
        this.registry = registry;
        this.resources = resources;
    }

    /**
     * A Prometheus registry with the common tags {@code service} and {@code run_id}. Create it
     * first and give it to the loop ({@link LoopOptions.Builder#optMeterRegistry}) and the
     * service's metrics class, then to {@link Builder#optRegistry}.
     */
    public static PrometheusMeterRegistry newRegistry(String service, String runId) {
        PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        r.config().commonTags("service", service, "run_id", runId);
        return r;
    }

    public static Builder builder(String service, String runId) {
        return new Builder(service, runId);
    }

    /** Service, run id, host and port from a loaded config. */
    public static Builder fromConfig(Config config) {
        return builder(config.service(), config.get(CommonConfig.RUN_ID))
                .optHost(config.get(CommonConfig.HTTP_HOST))
                .optPort(config.get(CommonConfig.HTTP_PORT));
    }

    /** An asynchronous health procedure: complete with true (up) or false (down). */
    @FunctionalInterface
    public interface AsyncCheck {
        CompletionStage<Boolean> check();
    }

    /** {@code setX} required (the constructor's), {@code optX} optional, {@code add*} repeatable. */
    public static final class Builder {
        private final String service;
        private final String runId;
        private String host = "0.0.0.0";
        private int port = 8080;
        private PrometheusMeterRegistry registry;
        private Vertx vertx;
        private final Map<String, AsyncCheck> liveness = new LinkedHashMap<>();
        private final Map<String, AsyncCheck> readiness = new LinkedHashMap<>();
        private final List<TransactionalLoop> loops = new ArrayList<>();
        private final List<MeterBinder> binders = new ArrayList<>();
        private final List<AutoCloseable> resources = new ArrayList<>();

        private Builder(String service, String runId) {
            this.service = Objects.requireNonNull(service, "service");
            this.runId = Objects.requireNonNull(runId, "runId");
        }

        public Builder optHost(String v) { host = v; return this; }
        /** 0 picks an ephemeral port: read it with {@link #actualPort()}. */
        public Builder optPort(int v) { port = v; return this; }
        /** The registry to expose; default {@link #newRegistry(String, String)}. */
        public Builder optRegistry(PrometheusMeterRegistry v) { registry = v; return this; }
        /** A Vert.x instance to use (not closed by the shell); default: the shell owns one. */
        public Builder optVertx(Vertx v) { vertx = v; return this; }

        public Builder addLiveness(String name, BooleanSupplier check) {
            liveness.put(name, sync(check));
            return this;
        }

        public Builder addReadiness(String name, BooleanSupplier check) {
            readiness.put(name, sync(check));
            return this;
        }

        public Builder addReadiness(String name, AsyncCheck check) {
            readiness.put(name, check);
            return this;
        }

        /** Liveness "loop-x": thread alive; readiness "loop-x": running; its Kafka client metrics. */
        public Builder addLoop(String name, TransactionalLoop loop) {
            liveness.put("loop-" + name, sync(loop::isAlive));
            readiness.put("loop-" + name, sync(loop::isReady));
            loops.add(loop);
            return this;
        }

        /** Extra metrics to bind (closed with the shell if {@link AutoCloseable}). */
        public Builder addBinder(MeterBinder binder) {
            binders.add(binder);
            return this;
        }

        /** Something to close with the shell, e.g. a {@link BrokerCheck}. */
        public Builder addResource(AutoCloseable resource) {
            resources.add(resource);
            return this;
        }

        private static AsyncCheck sync(BooleanSupplier check) {
            return () -> java.util.concurrent.CompletableFuture.completedFuture(check.getAsBoolean());
        }

        /** Binds metrics, starts the HTTP server and waits until it listens. */
        /**
         * Adds the readiness check {@code broker} on the Kafka cluster at {@code bootstrapServers}
         * (closed with the shell) and starts. The services start their loop before their shell, so
         * when the shell cannot start, {@code startedService} is closed first, then the check, and
         * the error propagates: a failed start leaves nothing running.
         */
        public ServiceShell startWithBrokerCheck(String bootstrapServers, Runnable startedService) {
            BrokerCheck broker = new BrokerCheck(bootstrapServers, BROKER_CHECK_TIMEOUT);
            try {
                return addReadiness("broker", broker).addResource(broker).start();
            } catch (RuntimeException e) {
                startedService.run();
                broker.close();
                throw e;
            }
        }

        public ServiceShell start() {
            PrometheusMeterRegistry reg = registry != null ? registry : newRegistry(service, runId);
            List<AutoCloseable> owned = new ArrayList<>(resources);
            List<MeterBinder> all = new ArrayList<>(List.of(new ClassLoaderMetrics(), new JvmMemoryMetrics(),
                    new JvmGcMetrics(), new JvmThreadMetrics(), new ProcessorMetrics(), new UptimeMetrics(),
                    new FileDescriptorMetrics()));
            all.addAll(binders);
            for (MeterBinder b : all) {
                b.bindTo(reg);
                if (b instanceof AutoCloseable c) {
                    owned.add(c);
                }
            }
            loops.forEach(loop -> loop.bindClientMetrics(reg));

            boolean ownVertx = vertx == null;
            Vertx vx = ownVertx ? Vertx.vertx() : vertx;
            Router router = Router.router(vx);
            router.get("/health").handler(healthHandler(vx, liveness));
            router.get("/ready").handler(healthHandler(vx, readiness));
            router.get("/metrics").handler(ctx -> vx.executeBlocking(reg::scrape, false).onComplete(ar -> {
                if (ar.succeeded()) {
                    ctx.response().putHeader("Content-Type", PROMETHEUS_TEXT).end(ar.result());
                } else {
                    ctx.fail(ar.cause());
                }
            }));
            try {
                HttpServer srv = await(vx.createHttpServer().requestHandler(router).listen(port, host));
                if (ownVertx) {
                    owned.add(() -> await(vx.close()));
                }
                LOG.info("{}: /health /ready /metrics on {}:{}", service, host, srv.actualPort());
                return new ServiceShell(service, vx, srv, reg, owned);
            } catch (RuntimeException e) {
                if (ownVertx) {
                    vx.close();
                }
                throw new IllegalStateException(service + ": HTTP server could not listen on " + host + ":" + port
                        + ": " + e.getMessage(), e);
            }
        }

        private static HealthCheckHandler healthHandler(Vertx vx, Map<String, AsyncCheck> checks) {
            HealthCheckHandler handler = HealthCheckHandler.create(vx);
            checks.forEach((name, check) -> handler.register(name, 5_000, procedure(check)));
            return handler;
        }

        private static Handler<Promise<Status>> procedure(AsyncCheck check) {
            return promise -> {
                try {
                    check.check().whenComplete((ok, error) -> {
                        if (error != null) {
                            promise.complete(Status.KO(new io.vertx.core.json.JsonObject().put("error", error.toString())));
                        } else {
                            promise.complete(Boolean.TRUE.equals(ok) ? Status.OK() : Status.KO());
                        }
                    });
                } catch (RuntimeException e) {
                    promise.complete(Status.KO(new io.vertx.core.json.JsonObject().put("error", e.toString())));
                }
            };
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out after " + START_TIMEOUT, e);
        }
    }

    /** The port the server listens on (the ephemeral one when configured with 0). */
    public int actualPort() {
        return server.actualPort();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Stops the HTTP server, closes owned resources and metric binders, then the registry. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            await(server.close());
        } catch (RuntimeException e) {
            LOG.warn("{}: closing the HTTP server failed: {}", service, e.toString());
        }
        List<AutoCloseable> reversed = new ArrayList<>(resources);
        Collections.reverse(reversed);
        for (AutoCloseable c : reversed) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("{}: closing {} failed: {}", service, c, e.toString());
            }
        }
        registry.close();
    }

    /** The Vert.x instance serving HTTP (shared, e.g., with a service's own verticles). */
    public Vertx vertx() {
        return vertx;
    }

    /** Supplies the current metrics text, as {@code GET /metrics} serves it. */
    public Supplier<String> scraper() {
        return registry::scrape;
    }
}
