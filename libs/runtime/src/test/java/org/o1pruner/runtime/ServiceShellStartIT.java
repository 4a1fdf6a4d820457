package org.o1pruner.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The shell's start with a broker readiness check, without a broker: nothing answers on port 1. */
class ServiceShellStartIT {
    private static final String NO_BROKER = "127.0.0.1:1";

    @Test
    void theBrokerCheckIsPartOfReadiness() throws Exception {
        AtomicInteger closed = new AtomicInteger();
        try (ServiceShell shell = ServiceShell.builder("demo", "run-1").optHost("127.0.0.1").optPort(0)
                .addReadiness("model", () -> true)
                .startWithBrokerCheck(NO_BROKER, closed::incrementAndGet)) {
            HttpResponse<String> ready = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + shell.actualPort() + "/ready"))
                            .timeout(Duration.ofSeconds(20)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, ready.statusCode(), ready.body());
            assertTrue(ready.body().contains("\"broker\""), ready.body());
            assertTrue(ready.body().contains("\"model\""), ready.body());
        }
        assertEquals(0, closed.get(), "a started shell leaves the service running");
    }

    @Test
    void aShellThatCannotStartClosesTheServiceBehindIt() throws Exception {
        AtomicInteger closed = new AtomicInteger();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> ServiceShell.builder("demo", "run-1").optHost("127.0.0.1").optPort(taken.getLocalPort())
                            .startWithBrokerCheck(NO_BROKER, closed::incrementAndGet));
            assertTrue(e.getMessage().contains(Integer.toString(taken.getLocalPort())), e.getMessage());
        }
        assertEquals(1, closed.get());
    }
}
