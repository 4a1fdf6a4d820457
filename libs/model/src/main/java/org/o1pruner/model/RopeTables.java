package org.o1pruner.model;

/**
 * The rotary-embedding tables of a configuration: per position, {@code cos} and {@code sin} of
 * {@code position · θ^(-2i/D)}, each half of the head dimension repeated (the Hugging Face layout).
 * One definition for the DJL forward pass and the Java decoder, so both rotate by the same floats.
 */
final class RopeTables {
    final float[] cos;
    final float[] sin;
    final int headDim;

    private RopeTables(float[] cos, float[] sin, int headDim) {
        this.cos = cos;
        this.sin = sin;
        this.headDim = headDim;
    }

    static RopeTables of(ModelConfig config) {
        int d = config.headDim();
        int half = d / 2;
        int maxPos = config.maxPositionEmbeddings();
        float[] c = new float[maxPos * d];
        float[] s = new float[maxPos * d];
        float[] invFreq = new float[half];
        for (int i = 0; i < half; i++) {
            float exponent = (float) (2 * i) / d;
            invFreq[i] = 1.0f / (float) Math.pow(config.ropeTheta(), exponent);
        }
        for (int pos = 0; pos < maxPos; pos++) {
            for (int i = 0; i < half; i++) {
                float angle = (float) pos * invFreq[i];
                float ci = (float) Math.cos(angle);
                float si = (float) Math.sin(angle);
                c[pos * d + i] = ci;
                c[pos * d + i + half] = ci;
                s[pos * d + i] = si;
                s[pos * d + i + half] = si;
            }
        }
        return new RopeTables(c, s, d);
    }
}
