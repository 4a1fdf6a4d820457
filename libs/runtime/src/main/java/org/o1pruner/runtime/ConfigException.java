package org.o1pruner.runtime;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Start-up configuration is invalid. Carries every problem found at once (not just the first),
 * each naming the key and the offending value, so one failed start shows everything to fix.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** One bad or missing key (or an unknown key in the file). {@code value} is null when unset. */
    public record Problem(String key, String value, String reason) {
        @Override
        public String toString() {
            return value == null ? key + ": " + reason : key + "='" + value + "': " + reason;
        }
    }

    private final transient List<Problem> problems;

    public ConfigException(String service, List<Problem> problems) {
        super("invalid configuration for " + service + " (" + problems.size() + " problem"
                + (problems.size() == 1 ? "" : "s") + "):\n  "
                + problems.stream().map(Problem::toString).collect(Collectors.joining("\n  ")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
