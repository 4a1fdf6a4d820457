package org.o1pruner.runtime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A service's parsed, validated configuration: immutable, produced once at start-up by
 * {@link ConfigRegistry#load}. Reading a key that was not registered is a programming error.
 */
public final class Config {
    /** Where a value came from. */
    public enum Source { ENV, FILE, DEFAULT }

    private final String service;
    private final Set<ConfigKey<?>> registered;
    private final Map<ConfigKey<?>, Object> values;
    private final Map<ConfigKey<?>, Source> sources;

    Config(String service, List<ConfigKey<?>> registered, Map<ConfigKey<?>, Object> values, Map<ConfigKey<?>, Source> sources) {
        this.service = service;
        this.registered = Set.copyOf(registered);
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
    }

    /** The value of a required or defaulted key (or a set optional one). */
    public <T> T get(ConfigKey<T> key) {
        return find(key).orElseThrow(() -> new IllegalStateException(
                key.env() + " is optional and not set; read it with find()"));
    }

    /** The value, if set or defaulted. */
    @SuppressWarnings("unchecked")
    public <T> Optional<T> find(ConfigKey<T> key) {
        if (!registered.contains(key)) {
            throw new IllegalArgumentException(key.env() + " is not registered for " + service);
        }
        return Optional.ofNullable((T) values.get(key));
    }

    /** Where the value of {@code key} came from; empty for an unset optional key. */
    public Optional<Source> source(ConfigKey<?> key) {
        return Optional.ofNullable(sources.get(key));
    }

    public String service() {
        return service;
    }

    /** {@code KEY=value (source)} lines for a start-up log, secrets masked. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        values.forEach((key, value) -> sb.append(key.env()).append('=')
                .append(key.isSecret() ? "****" : String.valueOf(value))
                .append(" (").append(sources.get(key).name().toLowerCase(Locale.ROOT)).append(")\n"));
        return sb.toString();
    }
}
