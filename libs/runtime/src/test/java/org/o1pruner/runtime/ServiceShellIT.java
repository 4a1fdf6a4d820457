package org.o1pruner.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.o1pruner.runtime.TestClients.unique;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.o1pruner.testing.KafkaCluster;
import org.o1pruner.testing.KafkaExtension;

/** The HTTP shell in front of a real loop: liveness, readiness transitions, Prometheus text. */
@ExtendWith(KafkaExtension.class)
class ServiceShellIT {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> get(ServiceShell shell, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + shell.actualPort() + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesHealthReadinessAndMetricsIncludingKafkaClientMetrics(KafkaCluster kafka) throws Exception {
        String in = unique("shell-in");
        kafka.createTopic(in, 1, Map.of());
        PrometheusMeterRegistry registry = ServiceShell.newRegistry("demo", "run-7");
        AtomicBoolean modelLoaded = new AtomicBoolean(false);
        LoopOptions options = LoopOptions.builder().setService("demo").setBootstrapServers(kafka.bootstrapServers())
                .setGroupId(unique("g")).setTransactionalId(unique("tx")).setInputTopics(List.of(in))
                .optMeterRegistry(registry).build();
        try (TransactionalLoop loop = TransactionalLoop.start(options, (record, out) -> { });
             BrokerCheck broker = new BrokerCheck(kafka.bootstrapServers(), Duration.ofSeconds(2));
             ServiceShell shell = ServiceShell.builder("demo", "run-7").optHost("127.0.0.1").optPort(0)
                     .optRegistry(registry)
                     .addLoop("main", loop)
                     .addReadiness("model", modelLoaded::get)
                     .addReadiness("broker", broker)
                     .start()) {
            assertTrue(shell.actualPort() > 0);

            HttpResponse<String> notReady = get(shell, "/ready");
            assertEquals(503, notReady.statusCode(), notReady.body());
            assertTrue(notReady.body().contains("\"model\""), notReady.body());

            assertTrue(loop.awaitRunning(Duration.ofSeconds(60)));
            modelLoaded.set(true);
            HttpResponse<String> ready = get(shell, "/ready");
            assertEquals(200, ready.statusCode(), ready.body());
            assertTrue(ready.body().contains("UP"), ready.body());

            HttpResponse<String> health = get(shell, "/health");
            assertEquals(200, health.statusCode(), health.body());

            HttpResponse<String> metrics = get(shell, "/metrics");
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
            String text = metrics.body();
            assertTrue(text.contains("kafka_consumer_"), "kafka consumer metrics bound");
            assertTrue(text.contains("kafka_producer_"), "kafka producer metrics bound");
            assertTrue(text.contains("jvm_memory_used_bytes"), "JVM metrics bound");
            assertTrue(text.contains("o1p_demo_loop_transactions_total"), "loop metrics exported");
            assertTrue(text.contains("o1p_demo_dead_letters_total{reason=\"undecodable\",run_id=\"run-7\",service=\"demo\"}"),
                    "dead-letter counter with reason and common tags");

            loop.close(Duration.ofSeconds(30));
            assertEquals(503, get(shell, "/ready").statusCode(), "a stopped loop is not ready");
            assertEquals(503, get(shell, "/health").statusCode(), "a dead loop thread is not alive");
        }
    }

    @Test
    void unknownPathIs404AndPortInUseFailsClearly() throws Exception {
        try (ServiceShell shell = ServiceShell.builder("demo", "r").optHost("127.0.0.1").optPort(0).start()) {
            assertEquals(404, get(shell, "/nope").statusCode());
            assertEquals(204, get(shell, "/ready").statusCode(), "no checks registered: nothing to report");
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> ServiceShell.builder("demo", "r").optHost("127.0.0.1").optPort(shell.actualPort()).start());
            assertTrue(e.getMessage().contains("could not listen on 127.0.0.1:" + shell.actualPort()), e.getMessage());
        }
    }
}
