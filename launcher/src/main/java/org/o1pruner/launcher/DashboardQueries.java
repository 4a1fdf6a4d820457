package org.o1pruner.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The queries of Grafana dashboards, made runnable against Prometheus' HTTP API: which panels
 * a dashboard has, the PromQL of each target with Grafana's variables replaced, and the metric
 * names a query reads. Pure (parsed JSON in, strings out), so the dashboard checks can be
 * unit-tested without Prometheus.
 */
public final class DashboardQueries {
    /** One target (query) of a panel. */
    public record Query(String refId, String expr) {}

    /** One panel of a dashboard with its queries. */
    public record Panel(String dashboard, String title, List<Query> queries) {
        /** {@code dashboard / title}, for reports. */
        public String label() {
            return dashboard + " / " + title;
        }
    }

    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan", "atan2");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENT = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z0-9_]+)(?::[a-z]+)?}|\\$([A-Za-z0-9_]+)");

    private DashboardQueries() {}

    /**
     * Every panel with at least one query, rows' nested panels included, in order.
     *
     * @param name the dashboard's name for reports (its title when null)
     */
    public static List<Panel> panels(String name, JsonNode dashboard) {
        String dash = name != null ? name : dashboard.path("title").asText("dashboard");
        List<Panel> out = new ArrayList<>();
        collect(dash, dashboard.path("panels"), out);
        return out;
    }

    private static void collect(String dash, JsonNode panels, List<Panel> out) {
        for (JsonNode p : panels) {
            if (p.has("panels")) {
                collect(dash, p.path("panels"), out);
            }
            List<Query> queries = new ArrayList<>();
            for (JsonNode t : p.path("targets")) {
                String expr = t.path("expr").asText("");
                if (!expr.isBlank() && !t.path("hide").asBoolean(false)) {
                    queries.add(new Query(t.path("refId").asText("?"), expr));
                }
            }
            if (!queries.isEmpty()) {
                out.add(new Panel(dash, p.path("title").asText("(untitled)"), List.copyOf(queries)));
            }
        }
    }

    /**
     * The metric names {@code expr} reads: identifiers outside label matchers, strings, ranges
     * and grouping clauses that are neither functions, aggregations nor keywords.
     */
    public static Set<String> metricNames(String expr) {
        String s = STRING.matcher(expr).replaceAll("\"\"");
        s = MATCHERS.matcher(s).replaceAll(" ");
        s = RANGES.matcher(s).replaceAll(" ");
        s = GROUPING.matcher(s).replaceAll(" ");
        s = VARIABLE.matcher(s).replaceAll(" ");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = IDENT.matcher(s);
        while (m.find()) {
            String id = m.group();
            int before = m.start() - 1;
            if (before >= 0 && (Character.isDigit(s.charAt(before)) || s.charAt(before) == '.')) {
                continue; // part of a number such as 1e3 or a duration
            }
            int after = m.end();
            while (after < s.length() && Character.isWhitespace(s.charAt(after))) {
                after++;
            }
            boolean call = after < s.length() && s.charAt(after) == '(';
            if (!call && !KEYWORDS.contains(id.toLowerCase(java.util.Locale.ROOT))) {
                names.add(id);
            }
        }
        return names;
    }

    /**
     * {@code expr} with Grafana's variables replaced: {@code $__rate_interval} and
     * {@code $__interval} by {@code rate}, {@code $__range} by {@code range}, any other
     * {@code $name} or {@code ${name}} by {@code values.get(name)} ({@code .*} when absent, which
     * is what an "All" selection of a regex variable means).
     */
    public static String instantiate(String expr, Map<String, String> values, Duration rate, Duration range) {
        Matcher m = VARIABLE.matcher(expr);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            String value = switch (name) {
                case "__rate_interval", "__interval" -> rate.toSeconds() + "s";
                case "__range" -> range.toSeconds() + "s";
                default -> values.getOrDefault(name, ".*");
            };
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
