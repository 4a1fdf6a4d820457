package org.o1pruner.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.o1pruner.schema.EvalRecord;

class EvalMetricsTest {
    private static EvalRecord record(long version, boolean promoted) {
        return new EvalRecord("run", version, "math_test", "greedy", 10, 5, 0.5, 0.2, 0.8, 120, 0.3, 0.4, version == 0,
                promoted, 1).validate();
    }

    @Test
    void gaugesAreTaggedByDataSetAndKindOnly() {
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        EvalMetrics m = new EvalMetrics(reg, List.of("math_test", "gsm8k_test"));
        assertTrue(Double.isNaN(reg.get("o1p.eval.accuracy").tags("dataset", "math_test", "kind", "best").gauge().value()));
        m.show(EvalMetrics.Kind.LATEST, record(7, true));
        m.show(EvalMetrics.Kind.BEST, record(7, true));
        assertEquals(7.0, reg.get("o1p.eval.version").tags("dataset", "math_test", "kind", "latest").gauge().value());
        assertEquals(0.5, reg.get("o1p.eval.accuracy").tags("dataset", "math_test", "kind", "best").gauge().value());
        assertEquals(120, reg.get("o1p.eval.length.mean.tokens").tags("dataset", "math_test", "kind", "best").gauge().value());
        assertEquals(0.4, reg.get("o1p.eval.aes.paper").tags("dataset", "math_test", "kind", "latest").gauge().value());
        for (Meter meter : reg.getMeters()) {
            Set<String> keys = new HashSet<>();
            meter.getId().getTags().forEach(t -> keys.add(t.getKey()));
            assertTrue(Set.of("dataset", "kind", "reason").containsAll(keys), meter.getId().toString());
        }
    }

    @Test
    void countsEvaluationsAndPromotions() {
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        EvalMetrics m = new EvalMetrics(reg, List.of("math_test"));
        m.evaluated(record(1, true), Duration.ofSeconds(3));
        m.evaluated(record(2, false), Duration.ofSeconds(1));
        assertEquals(2, reg.get("o1p.eval.evaluations").counter().count());
        assertEquals(1, reg.get("o1p.eval.promotions").counter().count());
        assertEquals(20, reg.get("o1p.eval.solutions").counter().count());
        assertEquals(4, reg.get("o1p.eval.evaluation.duration").timer().totalTime(java.util.concurrent.TimeUnit.SECONDS), 1e-9);
    }
}
