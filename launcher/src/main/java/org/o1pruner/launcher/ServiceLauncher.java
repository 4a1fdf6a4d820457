package org.o1pruner.launcher;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.o1pruner.runtime.CommonConfig;
import org.o1pruner.runtime.ConfigException;
import org.o1pruner.testing.EmbeddedKafkaBroker;

/**
 * Runs one loop-driven service (reward, sampler, eval) for its {@code o1p} subcommand, so that
 * every service starts, reports and stops the same way: with {@code --embedded} and no
 * {@code O1P_KAFKA_BOOTSTRAP}, an embedded broker with every topic comes up first; the service
 * is started from the environment; the command then waits while the service's loop runs.
 *
 * <p>Exit codes: 0 when the loop stopped cleanly (SIGTERM), 1 when it stopped on a failure, 2 for
 * a bad configuration. An embedded broker is closed on every path, after the service.
 */
final class ServiceLauncher {
    private static final Duration POLL = Duration.ofMillis(500);

    private ServiceLauncher() {}

    /**
     * What the launcher needs of a started service.
     *
     * @param close   stops the service (loop, then HTTP shell)
     * @param alive   whether its loop still runs
     * @param failure what stopped the loop, if it failed
     * @param banner  the line printed once it runs (after {@code "o1p <name>: "})
     */
    record Started(Runnable close, BooleanSupplier alive, Supplier<Optional<Throwable>> failure, String banner) {
        Started {
            Objects.requireNonNull(close, "close");
            Objects.requireNonNull(alive, "alive");
            Objects.requireNonNull(failure, "failure");
            Objects.requireNonNull(banner, "banner");
        }
    }

    /**
     * Starts the service with {@code serve} and waits until its loop ends.
     *
     * @param name         the subcommand's name, used in messages and the shutdown hook's thread name
     * @param embedded     whether to start an embedded broker when no bootstrap address is configured
     * @param embeddedPort the embedded broker's client port (0: any free port)
     * @param serve        starts the service from the environment (a {@link ConfigException} means
     *                     a bad configuration)
     * @return the exit code
     */
    static int run(String name, boolean embedded, int embeddedPort, Function<Map<String, String>, Started> serve)
            throws InterruptedException {
        Map<String, String> env = new HashMap<>(System.getenv());
        EmbeddedKafkaBroker broker = null;
        if (embedded && !env.containsKey(CommonConfig.KAFKA_BOOTSTRAP.env())) {
            broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults().withPort(embeddedPort));
            BrokerCommand.createTopics(broker, 4);
            env.put(CommonConfig.KAFKA_BOOTSTRAP.env(), broker.bootstrapServers());
            System.err.println("o1p " + name + ": " + broker.description());
        }
        Started service;
        try {
            service = serve.apply(env);
        } catch (ConfigException e) {
            System.err.println("o1p " + name + ": " + e.getMessage());
            closeQuietly(broker);
            return 2;
        } catch (RuntimeException e) {
            closeQuietly(broker);
            throw e;
        }
        EmbeddedKafkaBroker ownedBroker = broker;
        if (ownedBroker != null) {
            // the service's own hook closes loop and shell; this one waits for that, then stops the broker
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                service.close().run();
                ownedBroker.close();
            }, "o1p-" + name + "-embedded-broker"));
        }
        System.err.println("o1p " + name + ": " + service.banner());
        while (service.alive().getAsBoolean()) {
            Thread.sleep(POLL.toMillis());
        }
        Optional<Throwable> failure = service.failure().get();
        if (failure.isPresent()) {
            System.err.println("o1p " + name + ": stopped by " + failure.get());
            service.close().run();
            closeQuietly(ownedBroker);
            return 1;
        }
        return 0;
    }

    private static void closeQuietly(EmbeddedKafkaBroker broker) {
        if (broker != null) {
            broker.close();
        }
    }
}
