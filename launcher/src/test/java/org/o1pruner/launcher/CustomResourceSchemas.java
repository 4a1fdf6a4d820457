package org.o1pruner.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hand-written allow-lists of the fields the project uses from the operators' custom resources
 * (fabric8 has no typed model for Strimzi, the Prometheus operator or KEDA): a subset of each
 * CRD's schema, so that a misspelled or misplaced field fails {@link ManifestsTest}. A leaf
 * {@code ANY} accepts any value (free-form maps such as Kafka {@code config}); a map lists an
 * object's fields; a one-element list describes a list of such objects.
 */
final class CustomResourceSchemas {
    static final String ANY = "*";

    private static final Map<String, Object> LABEL_SELECTOR = obj("matchLabels", ANY, "matchExpressions", ANY);
    private static final Map<String, Object> RESOURCES = obj("requests", ANY, "limits", ANY);
    private static final Map<String, Object> VOLUME = obj("id", ANY, "type", ANY, "size", ANY, "class", ANY,
            "deleteClaim", ANY, "kraftMetadata", ANY);
    private static final Map<String, Object> STORAGE = obj("type", ANY, "size", ANY, "class", ANY,
            "deleteClaim", ANY, "volumes", List.of(VOLUME), "sizeLimit", ANY);
    private static final Map<String, Object> LISTENER = obj("name", ANY, "port", ANY, "type", ANY, "tls", ANY,
            "authentication", obj("type", ANY), "configuration", ANY, "networkPolicyPeers", ANY);
    private static final Map<String, Object> ACL = obj("resource", obj("type", ANY, "name", ANY, "patternType", ANY),
            "operations", ANY, "host", ANY, "type", ANY);
    private static final Map<String, Object> RELABEL = obj("sourceLabels", ANY, "separator", ANY, "targetLabel", ANY,
            "regex", ANY, "modulus", ANY, "replacement", ANY, "action", ANY);

    /** apiVersion + " " + kind -> schema of the top-level fields other than apiVersion, kind and metadata. */
    static final Map<String, Object> SCHEMAS = obj(
            "kafka.strimzi.io/v1beta2Kafka", obj("spec", obj(
                    "kafka", obj("version", ANY, "metadataVersion", ANY, "listeners", List.of(LISTENER),
                            "authorization", obj("type", ANY, "superUsers", ANY), "config", ANY, "resources", RESOURCES,
                            "template", ANY, "rack", ANY, "metricsConfig", ANY),
                    "entityOperator", obj("topicOperator", obj("resources", RESOURCES, "reconciliationIntervalMs", ANY),
                            "userOperator", obj("resources", RESOURCES, "reconciliationIntervalMs", ANY)),
                    "kafkaExporter", obj("topicRegex", ANY, "groupRegex", ANY, "resources", RESOURCES),
                    "cruiseControl", ANY)),
            "kafka.strimzi.io/v1beta2KafkaNodePool", obj("spec", obj("replicas", ANY, "roles", ANY,
                    "storage", STORAGE, "resources", RESOURCES, "jvmOptions", ANY, "template", ANY)),
            "kafka.strimzi.io/v1beta2KafkaTopic", obj("spec", obj("topicName", ANY, "partitions", ANY,
                    "replicas", ANY, "config", ANY)),
            "kafka.strimzi.io/v1beta2KafkaUser", obj("spec", obj(
                    "authentication", obj("type", ANY, "password", ANY),
                    "authorization", obj("type", ANY, "acls", List.of(ACL)), "quotas", ANY, "template", ANY)),
            "monitoring.coreos.com/v1PodMonitor", obj("spec", obj("selector", LABEL_SELECTOR,
                    "namespaceSelector", ANY, "jobLabel", ANY, "podTargetLabels", ANY,
                    "podMetricsEndpoints", List.of(obj("port", ANY, "path", ANY, "interval", ANY, "scrapeTimeout", ANY,
                            "scheme", ANY, "honorLabels", ANY, "relabelings", List.of(RELABEL),
                            "metricRelabelings", List.of(RELABEL))))),
            "keda.sh/v1alpha1ScaledObject", obj("spec", obj(
                    "scaleTargetRef", obj("name", ANY, "kind", ANY, "apiVersion", ANY, "envSourceContainerName", ANY),
                    "minReplicaCount", ANY, "maxReplicaCount", ANY, "pollingInterval", ANY, "cooldownPeriod", ANY,
                    "idleReplicaCount", ANY, "fallback", ANY, "advanced", ANY,
                    "triggers", List.of(obj("type", ANY, "name", ANY, "authenticationRef", ANY, "metricType", ANY,
                            "metadata", obj("bootstrapServers", ANY, "consumerGroup", ANY, "topic", ANY,
                                    "lagThreshold", ANY, "activationLagThreshold", ANY, "offsetResetPolicy", ANY,
                                    "allowIdleConsumers", ANY, "scaleToZeroOnInvalidOffset", ANY,
                                    "excludePersistentLag", ANY, "limitToPartitionsWithLag", ANY, "sasl", ANY,
                                    "tls", ANY))))));

    /** The kinds {@link #SCHEMAS} knows, as {@code apiVersion kind}. */
    static final Set<String> KINDS = Set.of("kafka.strimzi.io/v1beta2 Kafka", "kafka.strimzi.io/v1beta2 KafkaNodePool",
            "kafka.strimzi.io/v1beta2 KafkaTopic", "kafka.strimzi.io/v1beta2 KafkaUser",
            "monitoring.coreos.com/v1 PodMonitor", "keda.sh/v1alpha1 ScaledObject");

    private CustomResourceSchemas() {}

    /** An object schema from alternating field names and schemas. */
    private static Map<String, Object> obj(Object... kv) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Fields of {@code fields} (a custom resource's top level minus metadata) that the schema of {@code kind} lacks. */
    static List<String> check(String kind, Map<String, Object> fields, String where) {
        Object schema = SCHEMAS.get(kind.replace(" ", ""));
        List<String> problems = new ArrayList<>();
        if (schema == null) {
            problems.add(where + ": no schema for " + kind);
            return problems;
        }
        check(schema, fields, where, problems);
        return problems;
    }

    @SuppressWarnings("unchecked")
    private static void check(Object schema, Object value, String path, List<String> problems) {
        if (ANY.equals(schema) || value == null) {
            return;
        }
        if (schema instanceof List<?> l) {
            if (!(value instanceof List<?> items)) {
                problems.add(path + ": expected a list");
                return;
            }
            for (int i = 0; i < items.size(); i++) {
                check(l.get(0), items.get(i), path + "[" + i + "]", problems);
            }
            return;
        }
        Map<String, Object> fields = (Map<String, Object>) schema;
        if (!(value instanceof Map<?, ?> m)) {
            problems.add(path + ": expected an object");
            return;
        }
        m.forEach((k, v) -> {
            if (!fields.containsKey(String.valueOf(k))) {
                problems.add(path + "." + k + ": unknown field");
            } else {
                check(fields.get(String.valueOf(k)), v, path + "." + k, problems);
            }
        });
    }
}
