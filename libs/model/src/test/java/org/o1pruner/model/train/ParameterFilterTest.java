package org.o1pruner.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ParameterFilterTest {

    @Test
    void lastLayersTrainsOnlyTrailingDecoderLayers() {
        ParameterFilter f = ParameterFilter.lastLayers(48, 64);
        assertTrue(f.trains("model.layers.16.self_attn.q_proj.weight"));
        assertTrue(f.trains("model.layers.63.mlp.down_proj.weight"));
        assertFalse(f.trains("model.layers.15.mlp.down_proj.weight"));
        assertFalse(f.trains("model.embed_tokens.weight"));
        assertFalse(f.trains("model.norm.weight"));
        assertFalse(f.trains("lm_head.weight"));
        assertTrue(f.or(ParameterFilter.matching("lm_head\\..*")).trains("lm_head.weight"));
        assertFalse(ParameterFilter.all().except(ParameterFilter.matching(".*norm.*")).trains("model.norm.weight"));
    }

    @Test
    void selectKeepsOrderAndRefusesEmptySelections() {
        Map<String, Integer> ps = new LinkedHashMap<>();
        ps.put("model.layers.1.a", 1);
        ps.put("model.layers.0.a", 0);
        ps.put("model.layers.1.b", 2);
        assertEquals(List.of("model.layers.1.a", "model.layers.1.b"),
                List.copyOf(ParameterFilter.lastLayers(1, 2).select(ps).keySet()));
        assertThrows(IllegalArgumentException.class, () -> ParameterFilter.lastLayers(0, 2).select(ps));
        assertThrows(IllegalArgumentException.class, () -> ParameterFilter.lastLayers(3, 2));
    }

    @Property
    void lastLayersSelectsExactlyN(@ForAll @IntRange(min = 1, max = 80) int layers, @ForAll @IntRange(min = 0, max = 80) int n) {
        if (n > layers) {
            return;
        }
        ParameterFilter f = ParameterFilter.lastLayers(n, layers);
        int count = 0;
        for (int i = 0; i < layers; i++) {
            if (f.trains("model.layers." + i + ".input_layernorm.weight")) {
                count++;
                assertTrue(i >= layers - n);
            }
        }
        assertEquals(n, count);
    }
}
