package org.o1pruner.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.o1pruner.schema.DeadLetterReason;

class MetricNamesTest {
    @Test
    void namesFollowTheRule() {
        assertEquals("o1p.reward.dead.letters", MetricNames.name("reward", "dead.letters"));
        assertThrows(IllegalArgumentException.class, () -> MetricNames.name("Reward", "x"));
        assertThrows(IllegalArgumentException.class, () -> MetricNames.name("reward", "samples_in"));
        assertThrows(IllegalArgumentException.class, () -> MetricNames.name("reward", "a..b"));
    }

    @Property(tries = 100)
    void validNamesAreLowerCaseDotted(@ForAll @AlphaChars @StringLength(min = 1, max = 8) String s) {
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        String name = MetricNames.name("svc", lower + ".total");
        assertTrue(name.matches("o1p\\.svc\\.[a-z]+\\.total"), name);
    }

    static final class DemoMetrics extends ServiceMetrics {
        DemoMetrics(SimpleMeterRegistry r) {
            super(r, "demo");
        }
    }

    @Test
    void deadLetterCounterHasOneSeriesPerReason() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DemoMetrics m = new DemoMetrics(registry);
        m.deadLetter(DeadLetterReason.GROUP_TIMEOUT);
        m.deadLetter(DeadLetterReason.GROUP_TIMEOUT);
        assertEquals(2.0, registry.get("o1p.demo.dead.letters").tag("reason", "group-timeout").counter().count());
        List<String> reasons = new ArrayList<>();
        registry.get("o1p.demo.dead.letters").counters().forEach(c -> reasons.add(c.getId().getTag("reason")));
        assertEquals(DeadLetterReason.values().length, reasons.size());
        // a second metrics object on the same registry shares the series (the loop and the service both count)
        new DemoMetrics(registry).deadLetter(DeadLetterReason.GROUP_TIMEOUT);
        assertEquals(3.0, m.deadLetters(DeadLetterReason.GROUP_TIMEOUT));
    }
}
