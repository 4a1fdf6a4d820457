package org.o1pruner.runtime;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The keys one service reads, and the one place that turns the environment (and an optional
 * properties file) into a typed, validated {@link Config}.
 *
 * <p>Precedence, highest first: environment variable, then the properties file, then the key's
 * default. The file is a Java properties file whose keys are the same {@code O1P_*} names; it
 * is named by the {@code file} argument or, failing that, by {@code O1P_CONFIG_FILE} in the
 * environment. Every key is parsed once; all problems are collected and reported together in
 * one {@link ConfigException}. A key in the file that this registry does not know is an error
 * (a typo there would otherwise be silently ignored). Unknown {@code O1P_*} environment
 * variables are not errors: one pod environment (or the one-JVM launcher) may serve several
 * services.
 */
public final class ConfigRegistry {
    private final String service;
    private final Map<String, ConfigKey<?>> keys = new LinkedHashMap<>();

    /** @param service the service name used in error messages, e.g. {@code reward} */
    public ConfigRegistry(String service) {
        this.service = Objects.requireNonNull(service, "service");
        register(CommonConfig.CONFIG_FILE);
    }

    /** A registry of the given keys (plus {@link CommonConfig#CONFIG_FILE}). */
    public static ConfigRegistry of(String service, Collection<? extends ConfigKey<?>> keys) {
        ConfigRegistry r = new ConfigRegistry(service);
        keys.forEach(r::register);
        return r;
    }

    /** Adds keys; registering the same key object twice is harmless, two keys with one name are not. */
    public ConfigRegistry register(ConfigKey<?>... more) {
        for (ConfigKey<?> key : more) {
            ConfigKey<?> existing = keys.putIfAbsent(key.env(), key);
            if (existing != null && existing != key) {
                throw new IllegalArgumentException("two different config keys named " + key.env());
            }
        }
        return this;
    }

    /** Adds every key of another registry (e.g. the launcher composing all services). */
    public ConfigRegistry include(ConfigRegistry other) {
        other.keys.values().forEach(this::register);
        return this;
    }

    public String service() {
        return service;
    }

    /** The registered keys in registration order. */
    public List<ConfigKey<?>> keys() {
        return List.copyOf(keys.values());
    }

    /** The registered environment names, sorted (for manifest checks). */
    public TreeSet<String> envNames() {
        return new TreeSet<>(keys.keySet());
    }

    /** Loads with the file named by {@code O1P_CONFIG_FILE} in {@code env}, if any. */
    public Config load(Map<String, String> env) {
        return load(env, Optional.empty());
    }

    /**
     * Reads, parses and validates every key.
     *
     * @param env  the environment (normally {@code System.getenv()}, passed in by {@code main})
     * @param file a properties file; when empty, {@code O1P_CONFIG_FILE} in {@code env} names it
     * @throws ConfigException naming every bad, missing or unknown key
     */
    public Config load(Map<String, String> env, Optional<Path> file) {
        List<ConfigException.Problem> problems = new ArrayList<>();
        Map<String, String> fromFile = new LinkedHashMap<>();
        Optional<Path> source = file;
        if (source.isEmpty() && env.get(CommonConfig.CONFIG_FILE.env()) != null) {
            String raw = env.get(CommonConfig.CONFIG_FILE.env());
            try {
                source = Optional.of(CommonConfig.CONFIG_FILE.parse(raw));
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigException.Problem(CommonConfig.CONFIG_FILE.env(), raw, e.getMessage()));
            }
        }
        source.ifPresent(path -> readFile(path, fromFile, problems));

        Map<ConfigKey<?>, Object> values = new LinkedHashMap<>();
        Map<ConfigKey<?>, Config.Source> sources = new LinkedHashMap<>();
        for (ConfigKey<?> key : keys.values()) {
            String raw = env.get(key.env());
            Config.Source from = Config.Source.ENV;
            if (raw == null) {
                raw = fromFile.get(key.env());
                from = Config.Source.FILE;
            }
            if (raw == null) {
                switch (key.presence()) {
                    case REQUIRED -> problems.add(new ConfigException.Problem(key.env(), null,
                            "required but not set (" + key.doc() + ")"));
                    case DEFAULTED -> {
                        values.put(key, key.defaultValue());
                        sources.put(key, Config.Source.DEFAULT);
                    }
                    case OPTIONAL -> { }
                }
                continue;
            }
            try {
                values.put(key, key.parse(raw));
                sources.put(key, from);
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigException.Problem(key.env(), key.show(raw),
                        e.getMessage() + (from == Config.Source.FILE ? " (from the config file)" : "")));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(service, problems);
        }
        return new Config(service, keys(), values, sources);
    }

    private void readFile(Path path, Map<String, String> into, List<ConfigException.Problem> problems) {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            problems.add(new ConfigException.Problem(CommonConfig.CONFIG_FILE.env(), path.toString(),
                    "cannot read config file: " + e.getMessage()));
            return;
        }
        for (String name : new TreeSet<>(props.stringPropertyNames())) {
            if (!keys.containsKey(name)) {
                problems.add(new ConfigException.Problem(name, null,
                        "unknown key in config file " + path + " (not a " + service + " setting)"));
            } else {
                into.put(name, props.getProperty(name));
            }
        }
    }

    /** A plain-text table of every key (name, type, default, doc) for {@code --help} and docs. */
    public String describe() {
        int w1 = "KEY".length();
        int w2 = "TYPE".length();
        int w3 = "DEFAULT".length();
        List<String[]> rows = new ArrayList<>();
        for (ConfigKey<?> key : keys.values()) {
            String def = switch (key.presence()) {
                case REQUIRED -> "(required)";
                case OPTIONAL -> "(unset)";
                case DEFAULTED -> key.isSecret() ? "****" : (key.defaultRaw().orElseThrow().isEmpty() ? "\"\"" : key.defaultRaw().orElseThrow());
            };
            rows.add(new String[] {key.env(), key.type(), def, key.doc()});
            w1 = Math.max(w1, key.env().length());
            w2 = Math.max(w2, key.type().length());
            w3 = Math.max(w3, def.length());
        }
        String fmt = "%-" + w1 + "s  %-" + w2 + "s  %-" + w3 + "s  %s%n";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(fmt, "KEY", "TYPE", "DEFAULT", "DESCRIPTION"));
        for (String[] row : rows) {
            sb.append(String.format(fmt, (Object[]) row));
        }
        return sb.toString();
    }
}
