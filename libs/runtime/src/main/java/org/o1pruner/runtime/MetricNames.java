package org.o1pruner.runtime;

import java.util.regex.Pattern;

/**
 * The naming rule for every metric of the project: {@code o1p.<service>.<noun>}, lower case,
 * dot-separated, base units (Prometheus renders {@code o1p_<service>_<noun>}). Pure.
 */
public final class MetricNames {
    private static final Pattern SERVICE = Pattern.compile("[a-z][a-z0-9]*");
    private static final Pattern NOUN = Pattern.compile("[a-z][a-z0-9]*(\\.[a-z][a-z0-9]*)*");

    private MetricNames() {}

    /** @throws IllegalArgumentException if service or noun break the naming rule */
    public static String name(String service, String noun) {
        if (!SERVICE.matcher(service).matches()) {
            throw new IllegalArgumentException("metric service part must match " + SERVICE + ": " + service);
        }
        if (!NOUN.matcher(noun).matches()) {
            throw new IllegalArgumentException("metric noun must match " + NOUN + ": " + noun);
        }
        return "o1p." + service + "." + noun;
    }
}
