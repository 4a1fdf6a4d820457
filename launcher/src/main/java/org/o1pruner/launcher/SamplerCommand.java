package org.o1pruner.launcher;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.o1pruner.runtime.CommonConfig;
import org.o1pruner.runtime.ConfigException;
import org.o1pruner.sampler.SamplerConfig;
import org.o1pruner.sampler.SamplerService;
import org.o1pruner.testing.EmbeddedKafkaBroker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code o1p sampler}: runs the sampler service (configured by {@code O1P_*} environment
 * variables, see {@code --describe}) until SIGTERM or a fatal loop failure. With
 * {@code --embedded} and no {@code O1P_KAFKA_BOOTSTRAP}, it first starts an embedded broker
 * with every topic, for trying the service on one machine.
 */
@Command(name = "sampler", mixinStandardHelpOptions = true,
        description = "Run the sampler service: K solutions per prompt from the policy, produced to samples.")
public final class SamplerCommand implements Callable<Integer> {

    @Option(names = "--embedded", description = "Start an embedded Kafka broker first when O1P_KAFKA_BOOTSTRAP is not set.")
    boolean embedded;

    @Option(names = "--embedded-port", defaultValue = "9092",
            description = "Client port of the embedded broker (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int embeddedPort;

    @Option(names = "--describe", description = "Print every configuration key with its type, default and meaning, and exit.")
    boolean describe;

    @Override
    public Integer call() throws Exception {
        if (describe) {
            System.out.print(SamplerConfig.registry().describe());
            return 0;
        }
        Map<String, String> env = new HashMap<>(System.getenv());
        EmbeddedKafkaBroker broker = null;
        if (embedded && !env.containsKey(CommonConfig.KAFKA_BOOTSTRAP.env())) {
            broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults().withPort(embeddedPort));
            BrokerCommand.createTopics(broker, 4);
            env.put(CommonConfig.KAFKA_BOOTSTRAP.env(), broker.bootstrapServers());
            System.err.println("o1p sampler: " + broker.description());
        }
        SamplerService service;
        try {
            service = SamplerService.serve(env);
        } catch (ConfigException e) {
            System.err.println("o1p sampler: " + e.getMessage());
            closeQuietly(broker);
            return 2;
        } catch (RuntimeException e) {
            closeQuietly(broker);
            throw e;
        }
        EmbeddedKafkaBroker ownedBroker = broker;
        if (ownedBroker != null) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                service.close();
                ownedBroker.close();
            }, "o1p-sampler-embedded-broker"));
        }
        System.err.println("o1p sampler: running; /health /ready /metrics on port " + service.httpPort());
        while (service.loop().isAlive()) {
            Thread.sleep(Duration.ofMillis(500).toMillis());
        }
        if (service.loop().failure().isPresent()) {
            System.err.println("o1p sampler: stopped by " + service.loop().failure().get());
            service.close();
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
