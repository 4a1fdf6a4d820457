package org.o1pruner.model.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.o1pruner.model.CausalLM;
import org.o1pruner.model.GradMode;
import org.o1pruner.model.train.LrSchedule;
import org.o1pruner.model.train.TrainStep;

/**
 * Child-process part of the benchmark's memory check: trains the benchmark model for many small
 * steps and prints the resident set size every 100 steps ({@code rss b1 b2 ...} in bytes).
 *
 * <p>It runs in its own JVM with a small pre-touched heap so that RSS moves only with native memory.
 * Arguments: steps, seq, vocab, hidden, intermediate, layers, heads, kvHeads, threads.
 */
public final class MemoryProbe {
    private MemoryProbe() {}

    public static void main(String[] args) {
        int steps = Integer.parseInt(args[0]);
        int seq = Integer.parseInt(args[1]);
        int vocab = Integer.parseInt(args[2]);
        Engine.getEngine("PyTorch");
        GradMode.setIntraOpThreads(Integer.parseInt(args[8]));
        var config = BenchModel.config(vocab, Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                Integer.parseInt(args[5]), Integer.parseInt(args[6]), Integer.parseInt(args[7]), seq + 1);
        StringBuilder rss = new StringBuilder("rss");
        try (CausalLM model = CausalLM.random(config, 1, Device.cpu());
                TrainStep step = TrainStep.builder().setParameters(model.parameters())
                        .setSchedule(LrSchedule.constant(1e-4)).build()) {
            for (int i = 0; i < steps; i++) {
                long[] data = BenchModel.tokens(vocab, 1, seq, i);
                step.step(List.of(data), (scope, d) -> BenchModel.loss(model, scope, d, 1, seq));
                if (i % 100 == 99) {
                    rss.append(' ').append(rssBytes());
                }
            }
        }
        System.out.println(rss);
    }

    static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/status", e);
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
