package org.o1pruner.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.o1pruner.model.bench.EngineBenchmark;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code o1p bench engine}: the model engine's training and sampling throughput against a plain
 * PyTorch peer on the same machine, as fractions of the CPU's FMA peak, and a native-memory check
 * over thousands of training steps. The PyTorch side is {@code libs/model/src/main/python/bench_peer.py},
 * run with Debian's python3. Prints figures, then one JSON object as the last line.
 */
@Command(name = "engine", mixinStandardHelpOptions = true,
        description = "Benchmark the DJL engine (training, sampling at batch 1 and 16) against plain PyTorch.")
public final class BenchEngineCommand implements Callable<Integer> {

    @Option(names = "--layers", defaultValue = "4", description = "Decoder layers (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--hidden", defaultValue = "256", description = "Model width (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--intermediate", defaultValue = "704", description = "MLP width (default: ${DEFAULT-VALUE}).")
    int intermediate;

    @Option(names = "--heads", defaultValue = "4", description = "Attention heads (default: ${DEFAULT-VALUE}).")
    int heads;

    @Option(names = "--kv-heads", defaultValue = "2", description = "Key/value heads (default: ${DEFAULT-VALUE}).")
    int kvHeads;

    @Option(names = "--vocab", defaultValue = "512", description = "Vocabulary size (default: ${DEFAULT-VALUE}).")
    int vocab;

    @Option(names = "--seq", defaultValue = "256", description = "Training sequence length (default: ${DEFAULT-VALUE}).")
    int seq;

    @Option(names = "--train-batch", defaultValue = "8", description = "Training batch (default: ${DEFAULT-VALUE}).")
    int trainBatch;

    @Option(names = "--train-steps", defaultValue = "6", description = "Timed training steps (default: ${DEFAULT-VALUE}).")
    int trainSteps;

    @Option(names = "--warmup-steps", defaultValue = "2", description = "Untimed training steps first (default: ${DEFAULT-VALUE}).")
    int warmupSteps;

    @Option(names = "--prompt-len", defaultValue = "16", description = "Prompt tokens when sampling (default: ${DEFAULT-VALUE}).")
    int promptLen;

    @Option(names = "--new-tokens", defaultValue = "128", description = "Tokens sampled per row (default: ${DEFAULT-VALUE}).")
    int newTokens;

    @Option(names = "--train-rounds", defaultValue = "5",
            description = "Training measurements, engine and peer alternating; the medians count (default: ${DEFAULT-VALUE}).")
    int trainRounds;

    @Option(names = "--repeats", defaultValue = "2", description = "Timed sampling runs; the best counts (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--train-threads", defaultValue = "2", description = "Intra-op threads for training (default: ${DEFAULT-VALUE}).")
    int trainThreads;

    @Option(names = "--sample-b1-threads", defaultValue = "1", description = "Intra-op threads for batch-1 sampling (default: ${DEFAULT-VALUE}).")
    int sampleB1Threads;

    @Option(names = "--sample-b16-threads", defaultValue = "2", description = "Intra-op threads for batch-16 sampling (default: ${DEFAULT-VALUE}).")
    int sampleB16Threads;

    @Option(names = "--memory-steps", defaultValue = "2000",
            description = "Training steps of the native-memory check, in a child JVM; 0 skips it (default: ${DEFAULT-VALUE}).")
    int memorySteps;

    @Option(names = "--memory-seq", defaultValue = "32", description = "Sequence length of the memory check's steps (default: ${DEFAULT-VALUE}).")
    int memorySeq;

    @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with torch for the peer (default: ${DEFAULT-VALUE}).")
    String python;

    @Option(names = "--peer-script", description = "The PyTorch peer script (default: found from the working directory).")
    Path peerScript;

    @Option(names = "--peer-threads", split = ",", defaultValue = "1x2,2x1",
            description = "Peer settings to try, torchThreads x OpenBLAS threads; the best of each figure counts (default: ${DEFAULT-VALUE}).")
    List<String> peerThreads;

    @Option(names = "--skip-peer", description = "Measure only this engine.")
    boolean skipPeer;

    /** Standalone entry point. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchEngineCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        for (String s : peerThreads) {
            if (!s.matches("\\d+x\\d+")) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--peer-threads entries look like 1x2, got " + s);
            }
        }
        if (layers < 1 || hidden < 1 || heads < 1 || kvHeads < 1 || vocab < 2 || seq < 2 || trainBatch < 1 || trainSteps < 1
                || warmupSteps < 0 || promptLen < 1 || newTokens < 1 || repeats < 1 || trainRounds < 1 || trainThreads < 1
                || sampleB1Threads < 1 || sampleB16Threads < 1 || memorySteps < 0 || memorySeq < 2) {
            throw new CommandLine.ParameterException(new CommandLine(this), "sizes, steps and thread counts must be positive");
        }
        EngineBenchmark.Options o = new EngineBenchmark.Options(vocab, hidden, intermediate, layers, heads, kvHeads, seq,
                trainBatch, trainSteps, warmupSteps, promptLen, newTokens, repeats, trainThreads, sampleB1Threads,
                sampleB16Threads, memorySteps, memorySeq, python, peerScript, peerThreads, skipPeer, trainRounds);
        EngineBenchmark.run(o, System.out);
        return 0;
    }
}
