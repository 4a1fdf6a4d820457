package org.o1pruner.runtime;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One typed configuration key: its environment name ({@code O1P_...}), how to parse it, its
 * default (or that it is required, or optional without a value), and a one-line doc. A service
 * declares its keys as constants and registers them in a {@link ConfigRegistry}; nothing else
 * reads the environment (STYLE.md habit 2).
 *
 * <p>A default is given as the raw string a user would write and is parsed when the key is
 * created, so a bad default fails at class initialisation, not in production.
 *
 * @param <T> the parsed value type
 */
public final class ConfigKey<T> {
    private static final Pattern ENV_NAME = Pattern.compile("O1P_[A-Z][A-Z0-9_]*");

    /** Parses a raw string; throws {@link IllegalArgumentException} with a short reason. */
    @FunctionalInterface
    public interface Parser<T> {
        T parse(String raw);
    }

    /** Whether a key must be set, has a default, or may stay unset. */
    public enum Presence { REQUIRED, DEFAULTED, OPTIONAL }

    private final String env;
    private final String type;
    private final Parser<T> parser;
    private final Presence presence;
    private final String defaultRaw;
    private final T defaultValue;
    private final String doc;
    private final boolean secret;

    private ConfigKey(String env, String type, Parser<T> parser, Presence presence, String defaultRaw, String doc, boolean secret) {
        this.env = Objects.requireNonNull(env, "env");
        if (!ENV_NAME.matcher(env).matches()) {
            throw new IllegalArgumentException("config key name must match " + ENV_NAME + ": " + env);
        }
        this.type = Objects.requireNonNull(type, "type");
        this.parser = Objects.requireNonNull(parser, "parser");
        this.presence = presence;
        this.doc = Objects.requireNonNull(doc, "doc");
        if (doc.isBlank() || doc.contains("\n")) {
            throw new IllegalArgumentException(env + ": doc must be one non-blank line");
        }
        this.secret = secret;
        this.defaultRaw = defaultRaw;
        if (presence == Presence.DEFAULTED) {
            Objects.requireNonNull(defaultRaw, "defaultRaw");
            try {
                this.defaultValue = parser.parse(defaultRaw);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(env + ": default '" + defaultRaw + "' is invalid: " + e.getMessage(), e);
            }
        } else {
            this.defaultValue = null;
        }
    }

    /** A key with a default, given as the string a user would write. */
    public static <T> ConfigKey<T> withDefault(String env, String type, Parser<T> parser, String defaultRaw, String doc) {
        return new ConfigKey<>(env, type, parser, Presence.DEFAULTED, defaultRaw, doc, false);
    }

    /** A key that must be set; start-up fails without it. */
    public static <T> ConfigKey<T> required(String env, String type, Parser<T> parser, String doc) {
        return new ConfigKey<>(env, type, parser, Presence.REQUIRED, null, doc, false);
    }

    /** A key that may stay unset; read it with {@link Config#find(ConfigKey)}. */
    public static <T> ConfigKey<T> optional(String env, String type, Parser<T> parser, String doc) {
        return new ConfigKey<>(env, type, parser, Presence.OPTIONAL, null, doc, false);
    }

    /** The same key with its value masked in errors, {@link ConfigRegistry#describe()} and logs. */
    public ConfigKey<T> secret() {
        return new ConfigKey<>(env, type, parser, presence, defaultRaw, doc, true);
    }

    public String env() {
        return env;
    }

    /** A short type name for docs, e.g. {@code int 1..65535} or {@code duration}. */
    public String type() {
        return type;
    }

    public Presence presence() {
        return presence;
    }

    /** The default as written, when {@link Presence#DEFAULTED}. */
    public Optional<String> defaultRaw() {
        return Optional.ofNullable(defaultRaw);
    }

    T defaultValue() {
        return defaultValue;
    }

    public String doc() {
        return doc;
    }

    public boolean isSecret() {
        return secret;
    }

    /** Parses a raw value with this key's parser (surrounding whitespace stripped). */
    public T parse(String raw) {
        return parser.parse(raw.strip());
    }

    /** The value as it may be shown: masked for secrets. */
    String show(String raw) {
        return secret ? "****" : raw;
    }

    @Override
    public String toString() {
        return env;
    }
}
