package org.o1pruner.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.o1pruner.model.CausalLM;
import org.o1pruner.model.train.AdamW;
import org.o1pruner.model.train.CosineSchedule;
import org.o1pruner.model.GradMode;
import org.o1pruner.model.train.Losses;
import org.o1pruner.model.train.ParameterFilter;
import org.o1pruner.model.train.TrainStep;
import org.o1pruner.trainer.core.AdvantageStats;
import org.o1pruner.trainer.core.Advantages;
import org.o1pruner.trainer.core.Objective;
import org.o1pruner.trainer.core.PackedBatch;
import org.o1pruner.trainer.core.ReferenceSource;
import org.o1pruner.trainer.core.TrainItem;
import org.o1pruner.trainer.core.Tracked;
import org.o1pruner.trainer.loss.DpoLoss;
import org.o1pruner.trainer.loss.PpoLoss;
import org.o1pruner.trainer.loss.ResponseLogProbs;

/**
 * The training half of the trainer without any Kafka: given a step's micro-batches of
 * {@link TrainItem}s it computes advantages (length-harmonizing objectives), reference log-probs
 * (recorded or from the frozen copy), the objective's loss per micro-batch, and one optimizer
 * step through the engine's {@link TrainStep} (AdamW, cosine schedule with warm-up, global-norm
 * clipping, gradient accumulation, freezing).
 *
 * <p>On its first {@code referenceCheckBatches} steps, when a frozen reference model is present,
 * it computes both the recorded and the frozen reference log-probs and reports how far apart they
 * are ({@link #referenceDrift()}); with {@link ReferenceSource#RECORDED} the frozen copy is then
 * closed. Owns both models. One thread at a time.
 */
public final class TrainerEngine implements AutoCloseable {

    /**
     * What the engine needs from the configuration.
     *
     * @param trainableLayers train only the last N decoder layers; 0 trains every parameter
     */
    public record Options(Objective objective, ReferenceSource referenceSource, int referenceCheckBatches,
            double ppoEpsilon, double dpoBeta, double advantageClipLow, double advantageClipHigh, double lr,
            double warmupFraction, long totalSteps, double gradClip, double weightDecay, int trainableLayers,
            int padId, int parallelMicroBatches, boolean fusedBackward) {

        public Options {
            if (parallelMicroBatches < 1) {
                throw new IllegalArgumentException("parallelMicroBatches must be >= 1, got " + parallelMicroBatches);
            }
        }

        /** The same options training up to {@code n} micro-batches at once. */
        public Options withParallelMicroBatches(int n) {
            return new Options(objective, referenceSource, referenceCheckBatches, ppoEpsilon, dpoBeta, advantageClipLow,
                    advantageClipHigh, lr, warmupFraction, totalSteps, gradClip, weightDecay, trainableLayers, padId, n,
                    fusedBackward);
        }

        /** From the trainer settings. */
        public static Options from(TrainerConfig.Settings s) {
            return new Options(s.objective(), s.referenceSource(), s.referenceCheckBatches(), s.ppoEpsilon(),
                    s.dpoBeta(), s.advantageClipLow(), s.advantageClipHigh(), s.lr(), s.warmupFraction(),
                    s.totalSteps(), s.gradClip(), s.weightDecay(), s.trainableLayers(), 0, s.parallelMicroBatches(),
                    s.fusedBackward());
        }
    }

    /**
     * One optimizer step's outcome and statistics (NaN where the objective has no such quantity).
     *
     * @param step optimizer steps completed
     * @param items training items (samples or pairs) in the step
     * @param tokens response tokens in the step
     * @param nanos wall time of the step
     */
    public record StepReport(long step, double loss, double gradNorm, double lr, boolean applied, double meanRatio,
            double clipFraction, double approxKl, double advantageMean, double advantageStd, double rewardMean,
            double dpoAccuracy, int items, long tokens, long nanos) {

        /** Response tokens per second of wall time. */
        public double tokensPerSecond() {
            return nanos == 0 ? 0 : tokens * 1e9 / nanos;
        }

        /** As metrics for the checkpoint record (finite values only). */
        public Map<String, Double> asMetrics() {
            Map<String, Double> m = new java.util.TreeMap<>();
            put(m, "loss", loss);
            put(m, "grad_norm", gradNorm);
            put(m, "lr", lr);
            put(m, "ratio_mean", meanRatio);
            put(m, "clip_fraction", clipFraction);
            put(m, "kl_approx", approxKl);
            put(m, "advantage_mean", advantageMean);
            put(m, "advantage_std", advantageStd);
            put(m, "reward_mean", rewardMean);
            put(m, "dpo_reward_accuracy", dpoAccuracy);
            put(m, "tokens_per_second", tokensPerSecond());
            put(m, "step_seconds", nanos / 1e9);
            return m;
        }

        private static void put(Map<String, Double> m, String k, double v) {
            if (Double.isFinite(v)) {
                m.put(k, v);
            }
        }
    }

    private final CausalLM policy;
    private CausalLM reference;
    private final Options options;
    private final Advantages advantages;
    private final TrainStep trainStep;
    private AdvantageStats stats;
    private int checkedBatches;
    private double driftSum;
    private long driftCount;
    private double driftMax;

    /**
     * @param policy the model to train (owned)
     * @param reference the frozen reference (owned), or null; required for {@link ReferenceSource#FROZEN}
     * @param stats advantage statistics to continue from
     */
    public TrainerEngine(CausalLM policy, CausalLM reference, Options options, AdvantageStats stats) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.options = Objects.requireNonNull(options, "options");
        this.stats = Objects.requireNonNull(stats, "stats");
        if (options.referenceSource() == ReferenceSource.FROZEN && reference == null) {
            throw new IllegalArgumentException("reference source 'frozen' needs a reference model");
        }
        this.reference = reference;
        this.advantages = new Advantages(options.advantageClipLow(), options.advantageClipHigh());
        int layers = policy.config().numLayers();
        if (options.trainableLayers() > layers) {
            throw new IllegalArgumentException("trainable layers " + options.trainableLayers()
                    + " exceeds the model's " + layers + " layers");
        }
        ParameterFilter filter = options.trainableLayers() == 0 ? ParameterFilter.all()
                : ParameterFilter.lastLayers(options.trainableLayers(), layers);
        this.trainStep = TrainStep.builder()
                .setParameters(policy.parameters())
                .setSchedule(new CosineSchedule(options.lr(), options.totalSteps(), options.warmupFraction()))
                .optFilter(filter)
                .optAdamW(AdamW.Settings.defaults().withWeightDecay(options.weightDecay()))
                .optMaxGradNorm(options.gradClip())
                .optParallelism(options.parallelMicroBatches())
                .optFusedBackward(options.fusedBackward())
                .build();
        releaseReferenceIfDone();
    }

    /** Restores the optimizer state saved in a checkpoint directory. */
    public void loadOptimizer(Path dir) throws IOException {
        trainStep.load(dir);
    }

    /** Saves the optimizer state into a directory. */
    public void saveOptimizer(Path dir) throws IOException {
        trainStep.save(dir);
    }

    public CausalLM policy() {
        return policy;
    }

    public AdvantageStats advantageStats() {
        return stats;
    }

    public long stepCount() {
        return trainStep.stepCount();
    }

    /** Mean and max |recorded − frozen| per token over the checked batches; NaN before any check. */
    public double[] referenceDrift() {
        return driftCount == 0 ? new double[] {Double.NaN, Double.NaN}
                : new double[] {driftSum / driftCount, driftMax};
    }

    /** Steps on which the reference check ran. */
    public int checkedBatches() {
        return checkedBatches;
    }

    /**
     * Runs one optimizer step.
     *
     * @param microBatches non-empty micro-batches of items, each non-empty
     */
    public StepReport step(List<List<TrainItem>> microBatches) {
        long t0 = System.nanoTime();
        List<TrainItem> all = new ArrayList<>();
        microBatches.forEach(all::addAll);
        Map<TrainItem, Double> advantage = new IdentityHashMap<>();
        double rewardMean = Double.NaN;
        if (options.objective().isLengthHarmonizing()) {
            double[] raw = new double[all.size()];
            for (int i = 0; i < raw.length; i++) {
                raw[i] = ((TrainItem.Single) all.get(i)).sample().record().rawReward();
            }
            Advantages.Result res = advantages.compute(stats, raw);
            stats = res.stats();
            for (int i = 0; i < raw.length; i++) {
                advantage.put(all.get(i), res.advantages()[i]);
            }
            rewardMean = java.util.Arrays.stream(raw).average().orElse(Double.NaN);
        }
        Map<Tracked, float[]> ref = referenceLogProbs(microBatches);
        Stats acc = new Stats();
        TrainStep.Result r = trainStep.step(microBatches, (scope, mb) -> loss(scope, mb, advantage, ref, acc));
        long tokens = 0;
        for (TrainItem item : all) {
            tokens += item.responseTokens();
        }
        boolean lh = options.objective().isLengthHarmonizing();
        return new StepReport(r.step(), r.loss(), r.gradNorm(), r.lr(), r.applied(),
                acc.mean(acc.ratio), acc.mean(acc.clip), acc.mean(acc.kl),
                lh ? stats.mean() : Double.NaN, lh ? stats.std() : Double.NaN, rewardMean,
                acc.pairs == 0 ? Double.NaN : acc.wins / acc.pairs, all.size(), tokens, System.nanoTime() - t0);
    }

    private NDArray loss(NDManager scope, List<TrainItem> mb, Map<TrainItem, Double> advantage,
            Map<Tracked, float[]> ref, Stats acc) {
        List<Tracked> rows = rows(mb);
        PackedBatch batch = pack(rows);
        NDArray logp = ResponseLogProbs.compute(policy, batch, scope);
        NDArray mask = scope.create(batch.responseMask());
        switch (options.objective()) {
            case SFT:
                return Losses.sftNll(logp, mask);
            case DPO: {
                int n = mb.size();
                NDArray sums = DpoLoss.sequenceSum(logp, mask);
                float[] refSums = new float[2 * n];
                for (int i = 0; i < 2 * n; i++) {
                    refSums[i] = sum(ref.get(rows.get(i)));
                }
                NDArray refArr = scope.create(refSums);
                DpoLoss.Output out = DpoLoss.compute(sums.get(new NDIndex("0:{}", n)), sums.get(new NDIndex("{}:", n)),
                        refArr.get(new NDIndex("0:{}", n)), refArr.get(new NDIndex("{}:", n)), options.dpoBeta());
                acc.addPairs(out.rewardAccuracy() * out.count(), out.count());
                return out.loss();
            }
            default: {
                float[] adv = new float[rows.size()];
                for (int i = 0; i < adv.length; i++) {
                    adv[i] = advantage.get(mb.get(i)).floatValue();
                }
                NDArray advArr = scope.create(adv);
                PpoLoss.Output out;
                if (options.objective() == Objective.LENGTH_HARMONIZING) {
                    float[] refScores = new float[rows.size()];
                    for (int i = 0; i < refScores.length; i++) {
                        refScores[i] = mean(ref.get(rows.get(i)));
                    }
                    out = PpoLoss.sequence(logp, mask, scope.create(refScores), advArr, options.ppoEpsilon());
                } else {
                    float[][] refTok = new float[rows.size()][batch.responseWidth()];
                    for (int i = 0; i < rows.size(); i++) {
                        float[] lp = ref.get(rows.get(i));
                        System.arraycopy(lp, 0, refTok[i], 0, lp.length);
                    }
                    out = PpoLoss.token(logp, scope.create(refTok), mask, advArr, options.ppoEpsilon());
                }
                acc.add(out.meanRatio() * out.count(), out.clipFraction() * out.count(), out.approxKl() * out.count(),
                        out.count());
                return out.loss();
            }
        }
    }

    /** Rows of a micro-batch: samples in order; for DPO all chosen, then all rejected. */
    private static List<Tracked> rows(List<TrainItem> mb) {
        List<Tracked> rows = new ArrayList<>();
        if (mb.get(0) instanceof TrainItem.Pair) {
            for (TrainItem i : mb) {
                rows.add(((TrainItem.Pair) i).chosen());
            }
            for (TrainItem i : mb) {
                rows.add(((TrainItem.Pair) i).rejected());
            }
        } else {
            for (TrainItem i : mb) {
                rows.add(((TrainItem.Single) i).sample());
            }
        }
        return rows;
    }

    private PackedBatch pack(List<Tracked> rows) {
        List<int[]> prompts = new ArrayList<>();
        List<int[]> responses = new ArrayList<>();
        for (Tracked t : rows) {
            prompts.add(t.record().sample().promptTokenIds());
            responses.add(t.record().sample().responseTokenIds());
        }
        return PackedBatch.pack(prompts, responses, options.padId());
    }

    private Map<Tracked, float[]> referenceLogProbs(List<List<TrainItem>> microBatches) {
        Map<Tracked, float[]> out = new IdentityHashMap<>();
        boolean check = reference != null && checkedBatches < options.referenceCheckBatches();
        boolean frozen = options.referenceSource() == ReferenceSource.FROZEN;
        for (List<TrainItem> mb : microBatches) {
            List<Tracked> rows = rows(mb);
            float[][] computed = (frozen || check) ? frozenLogProbs(rows) : null;
            for (int i = 0; i < rows.size(); i++) {
                float[] recorded = rows.get(i).record().sample().logProbs();
                if (check) {
                    for (int j = 0; j < recorded.length; j++) {
                        double d = Math.abs(recorded[j] - computed[i][j]);
                        driftSum += d;
                        driftMax = Math.max(driftMax, d);
                        driftCount++;
                    }
                }
                out.put(rows.get(i), frozen ? computed[i] : recorded);
            }
        }
        if (check) {
            checkedBatches++;
        }
        releaseReferenceIfDone();
        return out;
    }

    private float[][] frozenLogProbs(List<Tracked> rows) {
        PackedBatch batch = pack(rows);
        try (GradMode.Scope off = GradMode.disabled();
                NDManager scope = NDManager.newBaseManager(reference.device())) {
            float[] flat = ResponseLogProbs.compute(reference, batch, scope).toFloatArray();
            float[][] out = new float[rows.size()][];
            int width = batch.responseWidth();
            for (int i = 0; i < out.length; i++) {
                int len = rows.get(i).record().sample().responseTokenIds().length;
                out[i] = java.util.Arrays.copyOfRange(flat, i * width, i * width + len);
            }
            return out;
        }
    }

    private void releaseReferenceIfDone() {
        if (reference != null && options.referenceSource() == ReferenceSource.RECORDED
                && checkedBatches >= options.referenceCheckBatches()) {
            reference.close();
            reference = null;
        }
    }

    private static float mean(float[] xs) {
        double s = 0;
        for (float x : xs) {
            s += x;
        }
        return (float) (s / Math.max(1, xs.length));
    }

    private static float sum(float[] xs) {
        double s = 0;
        for (float x : xs) {
            s += x;
        }
        return (float) s;
    }

    /** Sums over a step's micro-batches; they may run on several threads at once. */
    private static final class Stats {
        double ratio;
        double clip;
        double kl;
        double n;
        double wins;
        double pairs;

        synchronized void add(double ratioSum, double clipSum, double klSum, double count) {
            ratio += ratioSum;
            clip += clipSum;
            kl += klSum;
            n += count;
        }

        synchronized void addPairs(double winSum, double count) {
            wins += winSum;
            pairs += count;
        }

        synchronized double mean(double sum) {
            return n == 0 ? Double.NaN : sum / n;
        }
    }

    @Override
    public void close() {
        trainStep.close();
        if (reference != null) {
            reference.close();
        }
        policy.close();
    }
}
