package org.o1pruner.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A small classifier with Hugging Face-style parameter names (an "embedding", two "layers", a head),
 * enough to exercise the optimizer, clipping, accumulation and freezing with real autograd.
 */
final class TinyNet implements AutoCloseable {
    static final int FEATURES = 12;
    static final int HIDDEN = 16;
    static final int CLASSES = 5;

    final NDManager manager;
    final Map<String, NDArray> params = new LinkedHashMap<>();

    TinyNet(long seed) {
        manager = NDManager.newBaseManager();
        Random r = new Random(seed);
        put("model.embed_tokens.weight", r, HIDDEN, FEATURES);
        put("model.layers.0.mlp.up_proj.weight", r, HIDDEN, HIDDEN);
        put("model.layers.0.mlp.up_proj.bias", r, HIDDEN);
        put("model.layers.1.mlp.up_proj.weight", r, HIDDEN, HIDDEN);
        put("model.layers.1.mlp.up_proj.bias", r, HIDDEN);
        put("lm_head.weight", r, CLASSES, HIDDEN);
    }

    private TinyNet(byte[] saved) {
        manager = NDManager.newBaseManager();
        NDList list = NDList.decode(manager, saved);
        Map<String, NDArray> byName = new java.util.HashMap<>();
        for (NDArray a : list) {
            byName.put(a.getName(), a);
        }
        for (String n : NAMES) {
            params.put(n, byName.get(n));
        }
    }

    static final java.util.List<String> NAMES = java.util.List.of(
            "model.embed_tokens.weight",
            "model.layers.0.mlp.up_proj.weight", "model.layers.0.mlp.up_proj.bias",
            "model.layers.1.mlp.up_proj.weight", "model.layers.1.mlp.up_proj.bias",
            "lm_head.weight");

    static TinyNet restore(byte[] saved) {
        return new TinyNet(saved);
    }

    private void put(String name, Random r, long... shape) {
        int n = (int) new Shape(shape).size();
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = (float) (r.nextGaussian() * 0.3);
        }
        NDArray a = manager.create(data, new Shape(shape));
        a.setName(name);
        params.put(name, a);
    }

    /** Features {@code [n, FEATURES]} and labels {@code [n]} drawn from a fixed seed. */
    static float[][] features(long seed, int n) {
        Random r = new Random(seed);
        float[][] x = new float[n][FEATURES];
        for (float[] row : x) {
            for (int j = 0; j < FEATURES; j++) {
                row[j] = (float) r.nextGaussian();
            }
        }
        return x;
    }

    static int[] labels(long seed, int n) {
        Random r = new Random(seed ^ 0x5DEECE66DL);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(CLASSES);
        }
        return y;
    }

    /** Converts every parameter to float16 (for mixed-precision tests). */
    TinyNet toHalf() {
        params.replaceAll((n, a) -> {
            NDArray h = a.toType(DataType.FLOAT16, true);
            h.setName(n);
            a.close();
            return h;
        });
        return this;
    }

    /** Per-example log-probability of the label, {@code [n]}, in {@code scope}. */
    NDArray labelLogProbs(NDManager scope, float[][] x, int[] y) {
        NDArray in = scope.create(x);
        DataType type = params.get("lm_head.weight").getDataType();
        if (type != DataType.FLOAT32) {
            in = in.toType(type, false);
        }
        NDArray h = Linear.linear(in, params.get("model.embed_tokens.weight"), null).singletonOrThrow();
        h = Linear.linear(h, params.get("model.layers.0.mlp.up_proj.weight"),
                params.get("model.layers.0.mlp.up_proj.bias")).singletonOrThrow().tanh();
        h = Linear.linear(h, params.get("model.layers.1.mlp.up_proj.weight"),
                params.get("model.layers.1.mlp.up_proj.bias")).singletonOrThrow().tanh();
        NDArray logits = Linear.linear(h, params.get("lm_head.weight"), null).singletonOrThrow();
        // DJL's toType cuts the autograd graph, so a float16 net stays in float16 to the end
        NDArray onehot = scope.create(y).oneHot(CLASSES, type);
        return logits.logSoftmax(-1).mul(onehot).sum(new int[] {1});
    }

    /** Mean NLL over the examples. */
    NDArray loss(NDManager scope, float[][] x, int[] y) {
        return labelLogProbs(scope, x, y).mean().neg();
    }

    byte[] save() {
        NDList list = new NDList();
        params.forEach((n, a) -> {
            a.setName(n);
            list.add(a);
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            list.encode(out, NDList.Encoding.SAFETENSORS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    float[] flat(String name) {
        return params.get(name).toFloatArray();
    }

    @Override
    public void close() {
        manager.close();
    }

    static float[][] slice(float[][] x, int from, int to) {
        return java.util.Arrays.copyOfRange(x, from, to);
    }

    static int[] slice(int[] y, int from, int to) {
        return java.util.Arrays.copyOfRange(y, from, to);
    }
}
