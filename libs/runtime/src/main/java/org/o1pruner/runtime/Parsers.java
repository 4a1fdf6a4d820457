package org.o1pruner.runtime;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The value parsers {@link ConfigKey}s use. Pure; each throws {@link IllegalArgumentException}
 * with a short reason that {@link ConfigException} shows next to the key and the value.
 */
public final class Parsers {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private Parsers() {}

    /** Any string, including empty. */
    public static String string(String raw) {
        return raw;
    }

    /** A string with at least one non-blank character. */
    public static String nonBlank(String raw) {
        if (raw.isBlank()) {
            throw new IllegalArgumentException("must not be blank");
        }
        return raw;
    }

    public static ConfigKey.Parser<Integer> intIn(int min, int max) {
        return raw -> {
            int v;
            try {
                v = Integer.parseInt(raw);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an integer");
            }
            if (v < min || v > max) {
                throw new IllegalArgumentException("must be in " + min + ".." + max);
            }
            return v;
        };
    }

    public static ConfigKey.Parser<Long> longIn(long min, long max) {
        return raw -> {
            long v;
            try {
                v = Long.parseLong(raw);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an integer");
            }
            if (v < min || v > max) {
                throw new IllegalArgumentException("must be in " + min + ".." + max);
            }
            return v;
        };
    }

    /** A finite double in [min, max]. */
    public static ConfigKey.Parser<Double> doubleIn(double min, double max) {
        return raw -> {
            double v;
            try {
                v = Double.parseDouble(raw);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a number");
            }
            if (!Double.isFinite(v) || v < min || v > max) {
                throw new IllegalArgumentException("must be a finite number in [" + min + ", " + max + "]");
            }
            return v;
        };
    }

    /** {@code true/false}, {@code yes/no}, {@code 1/0} (any case). */
    public static boolean bool(String raw) {
        switch (raw.toLowerCase(Locale.ROOT)) {
            case "true": case "yes": case "1": return true;
            case "false": case "no": case "0": return false;
            default: throw new IllegalArgumentException("not a boolean (true/false)");
        }
    }

    /**
     * A non-negative duration: {@code 250ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}, or
     * ISO-8601 ({@code PT30S}). A bare number is rejected: its unit would be a guess.
     */
    public static Duration duration(String raw) {
        String s = raw.strip();
        Matcher m = DURATION.matcher(s);
        Duration d;
        if (m.matches()) {
            long n;
            try {
                n = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("duration out of range");
            }
            d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } else if (s.matches("\\d+")) {
            throw new IllegalArgumentException("a duration needs a unit: ms, s, m, h or d (e.g. 30s)");
        } else {
            try {
                d = Duration.parse(s);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not a duration (e.g. 250ms, 30s, 5m, PT1H)");
            }
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative");
        }
        return d;
    }

    /** A filesystem path (syntax only; existence is the user's business). */
    public static Path path(String raw) {
        if (raw.isBlank()) {
            throw new IllegalArgumentException("path must not be blank");
        }
        try {
            return Path.of(raw);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("not a valid path: " + e.getReason());
        }
    }

    /** Comma-separated non-blank items, stripped. */
    public static List<String> csv(String raw) {
        List<String> items = Arrays.stream(raw.split(",", -1)).map(String::strip).collect(Collectors.toList());
        if (items.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("comma-separated list with an empty item");
        }
        return List.copyOf(items);
    }

    /** An enum constant by name, case-insensitive, with {@code -} allowed for {@code _}. */
    public static <E extends Enum<E>> ConfigKey.Parser<E> enumOf(Class<E> type) {
        return raw -> {
            String name = raw.toUpperCase(Locale.ROOT).replace('-', '_');
            for (E e : type.getEnumConstants()) {
                if (e.name().equals(name)) {
                    return e;
                }
            }
            throw new IllegalArgumentException("must be one of " + Arrays.stream(type.getEnumConstants())
                    .map(e -> e.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
        };
    }

    /** A comma-separated list of {@code host:port} pairs (Kafka bootstrap servers). */
    public static List<String> hostPorts(String raw) {
        List<String> items = csv(raw);
        for (String item : items) {
            int colon = item.lastIndexOf(':');
            if (colon <= 0 || colon == item.length() - 1) {
                throw new IllegalArgumentException("'" + item + "' is not host:port");
            }
            intIn(1, 65535).parse(item.substring(colon + 1));
        }
        return items;
    }
}
