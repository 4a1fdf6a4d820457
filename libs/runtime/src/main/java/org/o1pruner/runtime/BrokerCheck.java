package org.o1pruner.runtime;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Readiness check "broker reachable": an asynchronous {@code describeCluster} with a short
 * timeout through one long-lived Admin client (closed with the shell). Non-blocking, so it can
 * run on the Vert.x event loop.
 */
public final class BrokerCheck implements ServiceShell.AsyncCheck, AutoCloseable {
    private final Admin admin;
    private final int timeoutMs;

    public BrokerCheck(String bootstrapServers, Duration timeout) {
        this.timeoutMs = (int) timeout.toMillis();
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "o1p-broker-check",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs));
    }

    @Override
    public CompletionStage<Boolean> check() {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs)).nodes()
                .whenComplete((nodes, error) -> result.complete(error == null && !nodes.isEmpty()));
        return result;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
