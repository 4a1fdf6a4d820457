package org.o1pruner.launcher;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.o1pruner.reward.RewardTopics;
import org.o1pruner.schema.Topics;
import org.o1pruner.testing.EmbeddedKafkaBroker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code o1p broker}: runs a single-node embedded Kafka broker with every pipeline topic
 * created, until Ctrl-C. For the one-machine default run and for trying the tools.
 */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Run an embedded single-node Kafka broker (KRaft) with all O1-Pruner topics, until Ctrl-C.")
public final class BrokerCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "9092", description = "Client port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--controller-port", defaultValue = "0",
            description = "KRaft controller port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int controllerPort;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Listen address (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--partitions", defaultValue = "4",
            description = "Partitions of the keyed data topics: prompts, samples, scored, dead-letter and the "
                    + "reward changelog (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--data-dir", description = "Keep the broker's data here (re-used on the next start); "
            + "default: a temporary directory deleted on exit.")
    Path dataDir;

    /** Topic name to partition count for the pipeline, given the data-topic partition count. */
    static Map<String, Integer> topicLayout(int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("--partitions must be >= 1, got " + partitions);
        }
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put(Topics.PROMPTS, partitions);
        m.put(Topics.SAMPLES, partitions);
        m.put(Topics.SCORED, partitions);
        // one partition: checkpoints and evals are low-volume and read in order by every consumer
        m.put(Topics.CHECKPOINTS, 1);
        m.put(Topics.EVALS, 1);
        m.put(Topics.DEAD_LETTER, partitions);
        return m;
    }

    /** Creates every pipeline topic, and the reward changelog co-partitioned with samples. */
    static void createTopics(org.o1pruner.testing.KafkaCluster cluster, int partitions) {
        cluster.createTopics(topicLayout(partitions));
        cluster.createTopic(RewardTopics.CHANGELOG, partitions, RewardTopics.CHANGELOG_CONFIGS);
    }

    @Override
    public Integer call() throws Exception {
        EmbeddedKafkaBroker.Options opts = EmbeddedKafkaBroker.Options.defaults()
                .withHost(host).withPort(port).withControllerPort(controllerPort);
        if (dataDir != null) {
            opts = opts.withDataDir(dataDir);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(opts);
        // Ctrl-C: the JVM exits once the hooks finish, so the hook itself shuts the broker down cleanly
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "o1p-broker-shutdown"));
        try {
            createTopics(broker, partitions);
            System.out.println("o1p broker: " + broker.description() + " (started in "
                    + broker.startupTime().toMillis() + " ms); topics: " + topicLayout(partitions)
                    + " + " + RewardTopics.CHANGELOG + "; Ctrl-C to stop");
            System.out.flush();
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        stopped.await();
        return 0;
    }
}
