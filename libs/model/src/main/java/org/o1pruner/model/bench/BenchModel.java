package org.o1pruner.model.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Random;
import org.o1pruner.model.CausalLM;
import org.o1pruner.model.ModelConfig;

/** The benchmark's model shape and its training loss, shared by the benchmark and its memory probe. */
final class BenchModel {
    private BenchModel() {}

    static ModelConfig config(int vocab, int hidden, int intermediate, int layers, int heads, int kvHeads, int maxPositions) {
        return ModelConfig.builder()
                .setArchitecture(ModelConfig.QWEN2)
                .setVocabSize(vocab)
                .setHiddenSize(hidden)
                .setIntermediateSize(intermediate)
                .setNumLayers(layers)
                .setNumHeads(heads)
                .optNumKvHeads(kvHeads)
                .optAttentionBias(true)
                .optTieWordEmbeddings(false)
                .optRmsNormEps(1e-6)
                .optRopeTheta(10000)
                .optMaxPositionEmbeddings(maxPositions)
                .optEosTokenIds(List.of(vocab - 1))
                .build();
    }

    /** Random tokens {@code [batch, seq + 1]} from a fixed seed. */
    static long[] tokens(int vocab, int batch, int seq, long seed) {
        Random r = new Random(seed);
        long[] t = new long[batch * (seq + 1)];
        for (int i = 0; i < t.length; i++) {
            t[i] = r.nextInt(vocab);
        }
        return t;
    }

    /** Next-token NLL (token mean) of {@code data [batch, seq + 1]}, in {@code scope}. */
    static NDArray loss(CausalLM model, NDManager scope, long[] data, int batch, int seq) {
        long[] in = new long[batch * seq];
        long[] target = new long[batch * seq];
        long[] ones = new long[batch * seq];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(data, b * (seq + 1), in, b * seq, seq);
            System.arraycopy(data, b * (seq + 1) + 1, target, b * seq, seq);
        }
        java.util.Arrays.fill(ones, 1L);
        NDArray ids = scope.create(in, new Shape(batch, seq));
        NDArray mask = scope.create(ones, new Shape(batch, seq));
        NDArray targets = scope.create(target, new Shape(batch, seq, 1));
        NDArray logits = model.forward(ids, mask, null);
        return logits.logSoftmax(-1).gather(targets, -1).mean().neg();
    }
}
