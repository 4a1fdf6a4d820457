package org.o1pruner.schema;

import java.util.Random;

/**
 * Throughput of the sample codec on a realistic long-thought sample (200 prompt
 * tokens, 2,000 response tokens, ~6,000 characters of text). Not a test: run with
 * {@code java -cp libs/schema/target/classes:libs/schema/target/test-classes
 * org.o1pruner.schema.SampleCodecBenchmark}. Prints median µs per encode and decode.
 */
public final class SampleCodecBenchmark {
    private SampleCodecBenchmark() {}

    public static void main(String[] args) {
        int responseTokens = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        Random rnd = new Random(42);
        int[] prompt = new int[200];
        int[] response = new int[responseTokens];
        float[] lp = new float[responseTokens];
        for (int i = 0; i < prompt.length; i++) {
            prompt[i] = rnd.nextInt(150_000);
        }
        for (int i = 0; i < response.length; i++) {
            response[i] = rnd.nextInt(150_000);
            lp[i] = (float) -rnd.nextDouble() * 3;
        }
        StringBuilder text = new StringBuilder();
        while (text.length() < 3 * responseTokens) {
            text.append("Wait, let me double-check: 47 + 38 = 85. ");
        }
        SampleRecord s = new SampleRecord("math_train/algebra/17", "math_train", 0, 3, 5, 16, "42", "default",
                prompt, response, lp, text.toString(), FinishReason.EOS, 1234, 1_700_000_000_000L);
        byte[] bytes = Codecs.SAMPLE.encode(s);
        long sink = 0;
        for (int warm = 0; warm < 20_000; warm++) {
            sink += Codecs.SAMPLE.encode(s).length;
            sink += Codecs.SAMPLE.decode(bytes).length();
        }
        int rounds = 15;
        int reps = 2_000;
        double[] enc = new double[rounds];
        double[] dec = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                sink += Codecs.SAMPLE.encode(s).length;
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                sink += Codecs.SAMPLE.decode(bytes).length();
            }
            long t2 = System.nanoTime();
            enc[r] = (t1 - t0) / 1e3 / reps;
            dec[r] = (t2 - t1) / 1e3 / reps;
        }
        java.util.Arrays.sort(enc);
        java.util.Arrays.sort(dec);
        double e = enc[rounds / 2];
        double d = dec[rounds / 2];
        System.out.printf("sample: %d prompt + %d response tokens, %d chars text, %d bytes encoded%n",
                prompt.length, responseTokens, text.length(), bytes.length);
        System.out.printf("encode (validate + write): median %.1f us  (%.0f MB/s)%n", e, bytes.length / e);
        System.out.printf("decode (read + validate):  median %.1f us  (%.0f MB/s)%n", d, bytes.length / d);
        System.out.println("(checksum " + sink + ")");
    }
}
