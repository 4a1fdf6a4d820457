package org.o1pruner.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class DashboardQueriesTest {

    @Test
    void metricNamesSkipFunctionsLabelsRangesAndGrouping() {
        String expr = "histogram_quantile(0.99, sum by (le) (rate(o1p_reward_grading_time_seconds_bucket"
                + "{run_id=~\"$run_id\", dataset=\"gsm8k\"}[$__rate_interval]))) / on (service) group_left "
                + "max without (instance) (o1p_x_total offset 5m) + 1e3 * up";
        assertEquals(Set.of("o1p_reward_grading_time_seconds_bucket", "o1p_x_total", "up"),
                DashboardQueries.metricNames(expr));
    }

    @Test
    void metricNamesIgnoreLabelValuesThatLookLikeNames() {
        assertEquals(Set.of("up"), DashboardQueries.metricNames("up{job=~\"o1p_sampler.*\", x='y z'}"));
    }

    @Test
    void instantiateReplacesGrafanaVariables() {
        String out = DashboardQueries.instantiate(
                "sum(rate(a{run_id=~\"$run_id\",d=~\"${dataset}\"}[$__rate_interval])) + increase(b[$__range])",
                Map.of("dataset", "gsm8k"), Duration.ofSeconds(30), Duration.ofMinutes(10));
        assertEquals("sum(rate(a{run_id=~\".*\",d=~\"gsm8k\"}[30s])) + increase(b[600s])", out);
    }

    @Test
    void panelsIncludeRowChildrenAndSkipHiddenOrEmptyTargets() throws Exception {
        String json = """
                {"title":"T","panels":[
                  {"type":"row","title":"r","panels":[{"title":"inner","targets":[{"refId":"A","expr":"up"}]}]},
                  {"title":"text","type":"text"},
                  {"title":"two","targets":[{"refId":"A","expr":"a"},{"refId":"B","expr":"b","hide":true},{"refId":"C","expr":" "}]}
                ]}""";
        List<DashboardQueries.Panel> panels = DashboardQueries.panels("d", new ObjectMapper().readTree(json));
        assertEquals(2, panels.size());
        assertEquals("d / inner", panels.get(0).label());
        assertEquals(List.of(new DashboardQueries.Query("A", "a")), panels.get(1).queries());
    }

    @Property(tries = 200)
    void aSelectorsMetricIsFoundWhateverItsLabelsAndRange(@ForAll @AlphaChars @StringLength(min = 1, max = 12) String suffix,
                                                         @ForAll @AlphaChars @StringLength(min = 1, max = 8) String label,
                                                         @ForAll @StringLength(max = 10) @AlphaChars String value) {
        String metric = "o1p_" + suffix.toLowerCase();
        String expr = "sum by (" + label + ") (rate(" + metric + "{" + label + "=~\"" + value + "\"}[5m]))";
        assertEquals(Set.of(metric), DashboardQueries.metricNames(expr));
    }

    @Property(tries = 200)
    void instantiatedQueriesHaveNoVariablesLeft(@ForAll @AlphaChars @StringLength(min = 1, max = 10) String var) {
        String out = DashboardQueries.instantiate("x{a=~\"$" + var + "\",b=\"${" + var + "}\"}[$__rate_interval]",
                Map.of(), Duration.ofSeconds(15), Duration.ofHours(1));
        assertFalse(out.contains("$"), out);
    }
}
