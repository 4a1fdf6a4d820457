package org.o1pruner.testing;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;

/** Topic creation shared by every {@link KafkaCluster} kind, through a short-lived Admin client. */
final class TopicAdmin {
    private static final long TIMEOUT_S = 30;

    private TopicAdmin() {}

    static Admin admin(String bootstrapServers) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "o1p-testing-admin");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_S));
        return Admin.create(props);
    }

    static void createTopic(String bootstrapServers, String name, int partitions, Map<String, String> configs) {
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + ": partitions must be >= 1, got " + partitions);
        }
        try (Admin admin = admin(bootstrapServers)) {
            NewTopic topic = new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(configs);
            try {
                admin.createTopics(List.of(topic)).all().get(TIMEOUT_S, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("creating topic " + name + " failed: " + e.getCause(), e.getCause());
                }
                TopicDescription existing = admin.describeTopics(List.of(name)).allTopicNames()
                        .get(TIMEOUT_S, TimeUnit.SECONDS).get(name);
                if (existing.partitions().size() != partitions) {
                    throw new IllegalStateException("topic " + name + " exists with "
                            + existing.partitions().size() + " partitions, wanted " + partitions);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("creating topic " + name + " failed: " + e, e);
        }
    }
}
