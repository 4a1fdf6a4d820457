package org.o1pruner.model.train;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Chooses which named parameters are trained; the rest are frozen (no gradient, never updated).
 *
 * <p>Freeze-tuning is how the paper trains QwQ-32B: only the last 48 decoder layers learn. Names are
 * Hugging Face parameter names such as {@code model.layers.3.mlp.up_proj.weight}.
 */
@FunctionalInterface
public interface ParameterFilter {
    Pattern LAYER = Pattern.compile("^model\\.layers\\.(\\d+)\\.");

    /** Whether the parameter with this name is trained. */
    boolean trains(String name);

    /** Every parameter is trained (full fine-tuning). */
    static ParameterFilter all() {
        return name -> true;
    }

    /**
     * Only the decoder layers {@code numLayers - n .. numLayers - 1} are trained; embeddings, the final
     * norm and the output head stay frozen (LLaMA-Factory's {@code freeze_trainable_layers = n}).
     *
     * @param n number of trailing layers to train, in [0, numLayers]
     * @param numLayers number of decoder layers of the model
     */
    static ParameterFilter lastLayers(int n, int numLayers) {
        if (numLayers < 1 || n < 0 || n > numLayers) {
            throw new IllegalArgumentException(
                    "need 0 <= n <= numLayers and numLayers >= 1, got n=" + n + ", numLayers=" + numLayers);
        }
        int first = numLayers - n;
        return name -> {
            Matcher m = LAYER.matcher(name);
            return m.find() && Integer.parseInt(m.group(1)) >= first;
        };
    }

    /** Parameters whose full name matches the regular expression. */
    static ParameterFilter matching(String regex) {
        Pattern p = Pattern.compile(regex);
        return name -> p.matcher(name).matches();
    }

    /** Trains what either filter trains. */
    default ParameterFilter or(ParameterFilter other) {
        Objects.requireNonNull(other, "other");
        return name -> trains(name) || other.trains(name);
    }

    /** Trains what this filter trains except what {@code other} trains. */
    default ParameterFilter except(ParameterFilter other) {
        Objects.requireNonNull(other, "other");
        return name -> trains(name) && !other.trains(name);
    }

    /** As a predicate over names. */
    default Predicate<String> asPredicate() {
        return this::trains;
    }

    /**
     * The trained subset of {@code parameters}, in their order.
     *
     * @throws IllegalArgumentException when nothing would be trained
     */
    default <T> Map<String, T> select(Map<String, T> parameters) {
        Map<String, T> out = new LinkedHashMap<>();
        parameters.forEach((k, v) -> {
            if (trains(k)) {
                out.put(k, v);
            }
        });
        if (out.isEmpty()) {
            throw new IllegalArgumentException("the parameter filter selects none of " + parameters.size() + " parameters");
        }
        return out;
    }
}
