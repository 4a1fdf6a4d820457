package org.o1pruner.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.o1pruner.eval.EvalConfig;
import org.o1pruner.reward.RewardConfig;
import org.o1pruner.reward.RewardTopics;
import org.o1pruner.runtime.ConfigKey;
import org.o1pruner.runtime.ConfigRegistry;
import org.o1pruner.sampler.SamplerConfig;
import org.o1pruner.schema.Topics;
import org.o1pruner.trainer.TrainerConfig;

/**
 * Every manifest under {@code deploy/} (and the Grafana kustomization) parsed offline with
 * fabric8's typed model: no unknown field anywhere (fabric8 keeps them in
 * {@code additionalProperties}, which this test walks), custom resources (Strimzi, Prometheus
 * operator, KEDA) checked against an allow-list of their fields, and every environment variable a
 * workload sets is a key of that service's config registry, every required key set in the base.
 */
class ManifestsTest {
    private static final Path ROOT = repositoryRoot();
    private static final Path DEPLOY = ROOT.resolve("deploy");
    private static final KubernetesSerialization K8S = new KubernetesSerialization();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, ConfigRegistry> REGISTRIES = Map.of(
            "sampler", SamplerConfig.registry(), "reward", RewardConfig.registry(),
            "trainer", TrainerConfig.registry(), "eval", EvalConfig.registry());

    /** path relative to deploy/ -> resources in it, in order. */
    private static final Map<String, List<HasMetadata>> FILES = new LinkedHashMap<>();

    @BeforeAll
    static void parseEverything() throws IOException {
        try (Stream<Path> s = Files.walk(DEPLOY)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                if (f.getFileName().toString().equals("kustomization.yaml")) {
                    continue;
                }
                List<HasMetadata> docs = new ArrayList<>();
                for (String doc : Files.readString(f).split("(?m)^---\\s*$")) {
                    if (doc.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"))) {
                        continue;
                    }
                    Object o = K8S.unmarshal(doc);
                    assertTrue(o instanceof HasMetadata, f + ": not a Kubernetes resource: " + doc);
                    docs.add((HasMetadata) o);
                }
                FILES.put(DEPLOY.relativize(f).toString(), docs);
            }
        }
        assertFalse(FILES.isEmpty(), "no manifests under " + DEPLOY);
    }

    @Test
    void typedResourcesHaveNoUnknownFields() {
        List<String> problems = new ArrayList<>();
        FILES.forEach((file, docs) -> {
            for (HasMetadata r : docs) {
                if (r instanceof GenericKubernetesResource) {
                    continue; // custom resources: see customResourcesUseOnlyKnownFields
                }
                walk(r, file + ": " + r.getKind() + "/" + r.getMetadata().getName(), problems);
            }
        });
        assertEquals(List.of(), problems, "unknown fields (typos or fields of another API version)");
    }

    @Test
    void everyTypedKindIsKnownToFabric8() {
        Set<String> generic = new TreeSet<>();
        FILES.forEach((file, docs) -> docs.stream().filter(r -> r instanceof GenericKubernetesResource)
                .forEach(r -> generic.add(r.getApiVersion() + " " + r.getKind())));
        assertEquals(CustomResourceSchemas.KINDS, generic,
                "only the operators' custom resources may parse as generic resources (a misspelled built-in kind or "
                        + "apiVersion also lands here)");
    }

    @Test
    void customResourcesUseOnlyKnownFields() {
        List<String> problems = new ArrayList<>();
        FILES.forEach((file, docs) -> {
            for (HasMetadata r : docs) {
                if (r instanceof GenericKubernetesResource g) {
                    String where = file + ": " + g.getKind() + "/" + g.getMetadata().getName();
                    walk(g.getMetadata(), where + ".metadata", problems);
                    problems.addAll(CustomResourceSchemas.check(g.getApiVersion() + " " + g.getKind(),
                            g.getAdditionalProperties(), where));
                }
            }
        });
        assertEquals(List.of(), problems);
    }

    @Test
    void workloadEnvironmentUsesOnlyRegistryKeys() {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (var e : FILES.entrySet()) {
            for (HasMetadata r : e.getValue()) {
                PodSpec pod = podSpec(r);
                if (pod == null) {
                    continue;
                }
                for (Container c : pod.getContainers()) {
                    ConfigRegistry registry = REGISTRIES.get(c.getName());
                    if (registry == null) {
                        problems.add(e.getKey() + ": container " + c.getName() + " is not a service (" + REGISTRIES.keySet() + ")");
                        continue;
                    }
                    checked++;
                    Set<String> known = registry.envNames();
                    for (EnvVar v : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
                        if (!known.contains(v.getName())) {
                            problems.add(e.getKey() + ": " + c.getName() + " sets " + v.getName()
                                    + ", which is not a key of its config registry");
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(checked >= 4 + 4 + 3, "base (4), dev (4) and gpu (3) workloads, saw " + checked);
    }

    @Test
    void baseWorkloadsSetEveryRequiredKeyAndHaveProbesAndResources() {
        Map<String, Container> containers = baseContainers();
        assertEquals(REGISTRIES.keySet(), containers.keySet(), "one workload per service in deploy/base");
        containers.forEach((service, c) -> {
            Set<String> set = c.getEnv().stream().map(EnvVar::getName).collect(Collectors.toSet());
            for (ConfigKey<?> k : REGISTRIES.get(service).keys()) {
                if (k.presence() == ConfigKey.Presence.REQUIRED) {
                    assertTrue(set.contains(k.env()), service + " must set required " + k.env());
                }
            }
            String port = c.getEnv().stream().filter(v -> v.getName().equals("O1P_HTTP_PORT")).findFirst()
                    .map(EnvVar::getValue).orElse("8080");
            assertEquals(Integer.parseInt(port), c.getPorts().get(0).getContainerPort(), service + " http port");
            assertEquals("/health", c.getLivenessProbe().getHttpGet().getPath(), service + " liveness");
            assertEquals("/ready", c.getReadinessProbe().getHttpGet().getPath(), service + " readiness");
            assertNotNull(c.getResources().getRequests().get("cpu"), service + " cpu request");
            assertNotNull(c.getResources().getRequests().get("memory"), service + " memory request");
            assertNotNull(c.getResources().getLimits().get("memory"), service + " memory limit");
            assertNotNull(c.getResources().getLimits().get("cpu"), service + " cpu limit");
        });
    }

    @Test
    void gpuOverlayPutsSamplerTrainerAndEvalOnGpuNodes() {
        Set<String> onGpu = new TreeSet<>();
        for (HasMetadata r : FILES.entrySet().stream().filter(e -> e.getKey().startsWith("overlays/gpu/"))
                .flatMap(e -> e.getValue().stream()).toList()) {
            PodSpec pod = podSpec(r);
            if (pod == null) {
                continue;
            }
            Container c = pod.getContainers().get(0);
            Quantity gpu = c.getResources().getRequests().get("nvidia.com/gpu");
            assertNotNull(gpu, c.getName() + " requests a GPU");
            assertEquals(gpu, c.getResources().getLimits().get("nvidia.com/gpu"), c.getName() + " GPU limit = request");
            assertFalse(pod.getNodeSelector().isEmpty(), c.getName() + " node selector");
            assertTrue(pod.getTolerations().stream().anyMatch(t -> "nvidia.com/gpu".equals(t.getKey())),
                    c.getName() + " tolerates the GPU taint");
            onGpu.add(c.getName());
        }
        assertEquals(Set.of("eval", "sampler", "trainer"), onGpu);
    }

    @Test
    void topicsMatchTheSchemaAndChangelogIsCoPartitioned() {
        Map<String, Map<String, Object>> topics = new LinkedHashMap<>();
        for (HasMetadata r : FILES.get("base/topics.yaml")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> spec = (Map<String, Object>) ((GenericKubernetesResource) r).getAdditionalProperties().get("spec");
            topics.put((String) spec.get("topicName"), spec);
        }
        assertEquals(Set.of(Topics.PROMPTS, Topics.SAMPLES, Topics.SCORED, Topics.CHECKPOINTS, Topics.EVALS,
                Topics.DEAD_LETTER, RewardTopics.CHANGELOG), topics.keySet());
        assertEquals(topics.get(Topics.SAMPLES).get("partitions"), topics.get(RewardTopics.CHANGELOG).get("partitions"),
                "the changelog must be co-partitioned with the samples");
        @SuppressWarnings("unchecked")
        Map<String, Object> changelog = (Map<String, Object>) topics.get(RewardTopics.CHANGELOG).get("config");
        RewardTopics.CHANGELOG_CONFIGS.forEach((k, v) -> assertEquals(v, changelog.get(k), "changelog " + k));
        assertEquals(1, topics.get(Topics.CHECKPOINTS).get("partitions"), "checkpoints are read in order");
    }

    @Test
    void autoscalersFollowTheServicesGroupsAndInputTopics() {
        Map<String, String> input = Map.of("sampler", Topics.PROMPTS, "reward", Topics.SAMPLES);
        Set<String> scaled = new TreeSet<>();
        for (HasMetadata r : FILES.values().stream().flatMap(List::stream).toList()) {
            if (!"ScaledObject".equals(r.getKind())) {
                continue;
            }
            JsonNode spec = YAML.valueToTree(((GenericKubernetesResource) r).getAdditionalProperties().get("spec"));
            String service = spec.path("scaleTargetRef").path("name").asText().replaceFirst("^o1p-", "");
            JsonNode meta = spec.path("triggers").path(0).path("metadata");
            assertEquals("kafka", spec.path("triggers").path(0).path("type").asText());
            assertEquals("o1p-" + service, meta.path("consumerGroup").asText(), service + " group");
            assertEquals(input.get(service), meta.path("topic").asText(), service + " input topic");
            assertTrue(spec.path("maxReplicaCount").asInt() <= 8, "no more replicas than partitions");
            scaled.add(service);
        }
        assertEquals(input.keySet(), scaled);
    }

    @Test
    void everyServiceHasAPodMonitorAndADisruptionBudget() {
        Set<String> monitors = names("base/", "PodMonitor");
        Set<String> budgets = names("base/", "PodDisruptionBudget");
        Set<String> expected = REGISTRIES.keySet().stream().map(s -> "o1p-" + s).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(expected, monitors);
        assertEquals(expected, budgets);
    }

    @Test
    void kustomizationsNameFilesThatExist() throws IOException {
        List<Path> ks;
        try (Stream<Path> s = Stream.concat(Files.walk(DEPLOY), Files.walk(ROOT.resolve("grafana")))) {
            ks = s.filter(p -> p.getFileName().toString().equals("kustomization.yaml")).toList();
        }
        assertEquals(4, ks.size(), "base, dev, gpu and grafana: " + ks);
        for (Path k : ks) {
            JsonNode n = YAML.readTree(k.toFile());
            List<String> refs = new ArrayList<>();
            n.path("resources").forEach(r -> refs.add(r.asText()));
            n.path("patches").forEach(p -> {
                if (p.has("path")) {
                    refs.add(p.path("path").asText());
                }
            });
            n.path("configMapGenerator").forEach(g -> g.path("files").forEach(f -> refs.add(f.asText())));
            assertFalse(refs.isEmpty(), k + " references nothing");
            for (String ref : refs) {
                assertTrue(Files.exists(k.getParent().resolve(ref)), k + " names missing " + ref);
            }
        }
    }

    /**
     * The overlays as kustomize renders them (when {@code kubectl} is on the PATH): the merged
     * workloads still have no unknown field, only registry keys, and every required key.
     */
    @Test
    void renderedOverlaysPassTheSameChecks() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(onPath("kubectl"), "kubectl not installed");
        for (String overlay : List.of("base", "overlays/dev", "overlays/gpu")) {
            Process p = new ProcessBuilder("kubectl", "kustomize", DEPLOY.resolve(overlay).toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0,
                    "kubectl kustomize " + overlay + " failed");
            List<String> problems = new ArrayList<>();
            Set<String> services = new TreeSet<>();
            for (String doc : out.split("(?m)^---\\s*$")) {
                if (doc.isBlank()) {
                    continue;
                }
                HasMetadata r = (HasMetadata) K8S.unmarshal(doc);
                String where = overlay + ": " + r.getKind() + "/" + r.getMetadata().getName();
                if (r instanceof GenericKubernetesResource g) {
                    problems.addAll(CustomResourceSchemas.check(g.getApiVersion() + " " + g.getKind(),
                            g.getAdditionalProperties(), where));
                    continue;
                }
                walk(r, where, problems);
                PodSpec pod = podSpec(r);
                if (pod == null) {
                    continue;
                }
                for (Container c : pod.getContainers()) {
                    services.add(c.getName());
                    ConfigRegistry registry = REGISTRIES.get(c.getName());
                    Set<String> set = c.getEnv().stream().map(EnvVar::getName).collect(Collectors.toSet());
                    set.stream().filter(n -> !registry.envNames().contains(n))
                            .forEach(n -> problems.add(where + ": unknown key " + n));
                    registry.keys().stream().filter(k -> k.presence() == ConfigKey.Presence.REQUIRED)
                            .filter(k -> !set.contains(k.env())).forEach(k -> problems.add(where + ": missing " + k.env()));
                }
            }
            assertEquals(List.of(), problems, overlay);
            assertEquals(REGISTRIES.keySet(), services, overlay + " runs every service");
        }
    }

    private static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return Stream.of(path.split(":")).filter(d -> !d.isBlank()).anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    @Test
    void theChecksCatchMisspelledFields() {
        Deployment typo = K8S.unmarshal("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  replica: 2
                  template:
                    spec:
                      containers:
                        - name: sampler
                          image: i
                          livenessProbe: {httpGet: {path: /health, port: 8080}, periodSecond: 5}
                """, Deployment.class);
        List<String> problems = new ArrayList<>();
        walk(typo, "x", problems);
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("replica") || problems.get(1).contains("replica"), problems.toString());
        List<String> cr = CustomResourceSchemas.check("keda.sh/v1alpha1 ScaledObject",
                Map.of("spec", Map.of("triggers", List.of(Map.of("type", "kafka", "metadata", Map.of("lagTreshold", "5"))))),
                "so");
        assertEquals(List.of("so.spec.triggers[0].metadata.lagTreshold: unknown field"), cr);
    }

    private static Set<String> names(String prefix, String kind) {
        return FILES.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).flatMap(e -> e.getValue().stream())
                .filter(r -> kind.equals(r.getKind())).map(r -> r.getMetadata().getName())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Map<String, Container> baseContainers() {
        Map<String, Container> out = new java.util.TreeMap<>();
        FILES.entrySet().stream().filter(e -> e.getKey().startsWith("base/")).flatMap(e -> e.getValue().stream())
                .map(ManifestsTest::podSpec).filter(java.util.Objects::nonNull)
                .forEach(p -> p.getContainers().forEach(c -> out.put(c.getName(), c)));
        return out;
    }

    private static PodSpec podSpec(HasMetadata r) {
        if (r instanceof Deployment d) {
            return d.getSpec().getTemplate().getSpec();
        }
        if (r instanceof StatefulSet s) {
            return s.getSpec().getTemplate().getSpec();
        }
        return null;
    }

    /** Reports every non-empty {@code additionalProperties} in the object graph under {@code o}. */
    static void walk(Object o, String path, List<String> problems) {
        if (o == null || o instanceof String || o instanceof Number || o instanceof Boolean || o instanceof Enum<?>) {
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> walk(v, path + "." + k, problems));
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                walk(e, path + "[" + i++ + "]", problems);
            }
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || m.getDeclaringClass() == Object.class
                    || !(m.getName().startsWith("get") || m.getName().startsWith("is")) || m.getName().equals("getClass")) {
                continue;
            }
            if (m.getReturnType().isPrimitive() || m.getName().equals("getPlural") || m.getName().equals("getSingular")
                    || m.getName().equals("getFullResourceName") || m.getName().equals("getAmount")
                    || m.getName().equals("getFormat") || m.getName().equals("getNumericalAmount")) {
                continue;
            }
            Object v;
            try {
                v = m.invoke(o);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue; // derived getters that need context (e.g. Quantity arithmetic) are not fields
            }
            if (m.getName().equals("getAdditionalProperties")) {
                if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": unknown " + extra.keySet());
                }
                continue;
            }
            String field = Character.toLowerCase(m.getName().charAt(m.getName().startsWith("is") ? 2 : 3))
                    + m.getName().substring(m.getName().startsWith("is") ? 3 : 4);
            walk(v, path + "." + field, problems);
        }
    }

    private static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("deploy").resolve("base"))) {
                return p;
            }
        }
        fail("no deploy/base above " + Path.of("").toAbsolutePath());
        return null;
    }
}
