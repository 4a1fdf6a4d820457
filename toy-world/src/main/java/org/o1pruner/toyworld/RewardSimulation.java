package org.o1pruner.toyworld;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Simulates the length-harmonizing reward on the toy world's own data, before any model exists:
 * a perfect imitator of the trace writer draws K long traces per problem, each is graded and
 * counted in tokens, and each gets the clipped reward against its own problem's means. The
 * table (difficulty bucket × number of re-checks) shows what O1-Pruner would reinforce: a world
 * is fit for the experiment when keeping a re-check earns more than dropping it on hard
 * problems and less on easy ones (DESIGN.md §5).
 *
 * <p>Run: {@code java -cp … org.o1pruner.toyworld.RewardSimulation [K] [lambda] [out.md]}.
 */
public final class RewardSimulation {

    /** Default samples per problem. */
    public static final int DEFAULT_K = 8;
    /** Default accuracy weight. */
    public static final double DEFAULT_LAMBDA = 2.0;
    /** Reward clip range of DESIGN.md §2. */
    public static final double CLIP_LOW = -2.0;
    /** Reward clip range of DESIGN.md §2. */
    public static final double CLIP_HIGH = 4.0;
    /** Seed of the simulation's trace draws. */
    public static final long SEED = 7L;

    /** Aggregates of one table cell. */
    public static final class Cell {
        private long count;
        private long correct;
        private long tokens;
        private double reward;

        void add(boolean ok, int length, double r) {
            count++;
            correct += ok ? 1 : 0;
            tokens += length;
            reward += r;
        }

        /** Number of traces. */
        public long count() {
            return count;
        }

        /** Share of traces whose boxed answer is exact. */
        public double accuracy() {
            return count == 0 ? Double.NaN : (double) correct / count;
        }

        /** Mean response length in tokens. */
        public double meanLength() {
            return count == 0 ? Double.NaN : (double) tokens / count;
        }

        /** Mean clipped reward. */
        public double meanReward() {
            return count == 0 ? Double.NaN : reward / count;
        }
    }

    /** The simulation's result. */
    public static final class Result {
        private final int k;
        private final double lambda;
        private final int problems;
        private final Map<Difficulty, List<Cell>> cells = new EnumMap<>(Difficulty.class);
        private final Map<Difficulty, Cell> all = new EnumMap<>(Difficulty.class);
        private final Map<Difficulty, Cell> fast = new EnumMap<>(Difficulty.class);
        private final Map<Difficulty, Integer> problemsPerBucket = new EnumMap<>(Difficulty.class);
        private double spreadSum;
        private long shortestCorrect;
        private long longestCorrect;
        private double recheckRatioSum;
        private long recheckRatioCount;

        Result(int k, double lambda, int problems, int maxRechecks) {
            this.k = k;
            this.lambda = lambda;
            this.problems = problems;
            for (Difficulty d : Difficulty.values()) {
                List<Cell> row = new ArrayList<>();
                for (int r = 0; r <= maxRechecks; r++) {
                    row.add(new Cell());
                }
                cells.put(d, row);
                all.put(d, new Cell());
                fast.put(d, new Cell());
                problemsPerBucket.put(d, 0);
            }
        }

        /** The cell of bucket {@code d} with {@code rechecks} re-checks. */
        public Cell cell(Difficulty d, int rechecks) {
            return cells.get(d).get(rechecks);
        }

        /** All long traces of a bucket. */
        public Cell bucket(Difficulty d) {
            return all.get(d);
        }

        /** One fast-prompt trace per problem of a bucket (reward not applicable: NaN). */
        public Cell fast(Difficulty d) {
            return fast.get(d);
        }

        /** Mean over problems of (longest / shortest) sampled length: the length spread. */
        public double meanSpread() {
            return spreadSum / problems;
        }

        /** Accuracy of each problem's shortest sample. */
        public double shortestAccuracy() {
            return (double) shortestCorrect / problems;
        }

        /** Accuracy of each problem's longest sample. */
        public double longestAccuracy() {
            return (double) longestCorrect / problems;
        }

        /** Mean length of one agreeing re-check relative to the same trace without re-checks. */
        public double recheckRatio() {
            return recheckRatioSum / recheckRatioCount;
        }

        /** The Markdown report. */
        public String toMarkdown(WorldParams params, String command) {
            StringBuilder sb = new StringBuilder();
            sb.append("# Toy world: reward simulation\n\n");
            sb.append("A perfect imitator of the trace writer: ").append(k).append(" long traces per problem for the ")
                    .append(problems).append(" problems of the training split; each trace gets the clipped ")
                    .append("length-harmonizing reward R = L̄_ref/L − 1 + λ(A − Ā_ref), λ = ")
                    .append(fmt(lambda, 1)).append(", clip [").append(fmt(CLIP_LOW, 0)).append(", ")
                    .append(fmt(CLIP_HIGH, 0)).append("], against its own problem's means. ")
                    .append("Length L is in tokens of the toy tokenizer (response only, EOS excluded).\n\n");
            sb.append("Generator settings: `").append(params).append("`, problem mix `")
                    .append(ProblemMix.DEFAULT).append("`.\n\n");
            sb.append("Command: `").append(command).append("`\n\n");
            sb.append("| bucket | problems | re-checks | traces | accuracy | mean length | mean clipped R |\n");
            sb.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
            for (Difficulty d : Difficulty.values()) {
                List<Cell> row = cells.get(d);
                for (int r = 0; r < row.size(); r++) {
                    Cell c = row.get(r);
                    if (c.count() == 0) {
                        continue;
                    }
                    sb.append("| ").append(d.tag()).append(" | ").append(problemsPerBucket.get(d)).append(" | ")
                            .append(r).append(" | ").append(c.count()).append(" | ")
                            .append(pct(c.accuracy())).append(" | ").append(fmt(c.meanLength(), 1)).append(" | ")
                            .append(fmt(c.meanReward(), 3)).append(" |\n");
                }
                Cell b = all.get(d);
                sb.append("| ").append(d.tag()).append(" | ").append(problemsPerBucket.get(d)).append(" | all | ")
                        .append(b.count()).append(" | ").append(pct(b.accuracy())).append(" | ")
                        .append(fmt(b.meanLength(), 1)).append(" | ").append(fmt(b.meanReward(), 3)).append(" |\n");
                Cell f = fast.get(d);
                sb.append("| ").append(d.tag()).append(" | ").append(problemsPerBucket.get(d))
                        .append(" | fast prompt | ").append(f.count()).append(" | ").append(pct(f.accuracy()))
                        .append(" | ").append(fmt(f.meanLength(), 1)).append(" | – |\n");
            }
            sb.append("\nLength disharmony: per problem, longest/shortest sampled length averages ")
                    .append(fmt(meanSpread(), 2)).append("; the shortest sample of each problem is ")
                    .append(pct(shortestAccuracy())).append(" accurate, the longest ").append(pct(longestAccuracy()))
                    .append(".\nAn agreeing re-check adds ").append(fmt(recheckRatio(), 2))
                    .append("× the length of the same trace without re-checks.\n\n");
            sb.append("Required ordering (checked by `RewardSimulationTest`): hard, 1 re-check R ")
                    .append(fmt(cell(Difficulty.HARD, 1).meanReward(), 3)).append(" > 0 re-checks R ")
                    .append(fmt(cell(Difficulty.HARD, 0).meanReward(), 3)).append("; easy, 0 re-checks R ")
                    .append(fmt(cell(Difficulty.EASY, 0).meanReward(), 3)).append(" > 1 re-check R ")
                    .append(fmt(cell(Difficulty.EASY, 1).meanReward(), 3)).append(".\n");
            return sb.toString();
        }
    }

    private RewardSimulation() {
    }

    /** Runs the simulation over {@code problems} with {@code k} long traces each. */
    public static Result run(List<ToyProblem> problems, TraceGenerator generator, int k, double lambda, long seed) {
        if (k < 2) {
            throw new IllegalArgumentException("k must be >= 2, got " + k);
        }
        ToyVocabulary vocab = ToyVocabulary.get();
        Result res = new Result(k, lambda, problems.size(), generator.params().maxRechecks());
        SplittableRandom root = new SplittableRandom(seed);
        for (ToyProblem p : problems) {
            SplittableRandom rng = root.split();
            Difficulty d = p.difficulty();
            res.problemsPerBucket.merge(d, 1, Integer::sum);
            Trace[] traces = new Trace[k];
            int[] lengths = new int[k];
            double meanLength = 0;
            double meanAccuracy = 0;
            for (int i = 0; i < k; i++) {
                traces[i] = generator.generate(p, rng, Variant.LONG);
                lengths[i] = vocab.count(traces[i].text());
                meanLength += lengths[i];
                meanAccuracy += traces[i].correctFor(p) ? 1 : 0;
            }
            meanLength /= k;
            meanAccuracy /= k;
            int shortest = 0;
            int longest = 0;
            for (int i = 0; i < k; i++) {
                boolean ok = traces[i].correctFor(p);
                double r = RewardMath.clip(RewardMath.raw(meanLength, meanAccuracy, lengths[i], ok, lambda),
                        CLIP_LOW, CLIP_HIGH);
                res.cell(d, traces[i].rechecks()).add(ok, lengths[i], r);
                res.all.get(d).add(ok, lengths[i], r);
                shortest = lengths[i] < lengths[shortest] ? i : shortest;
                longest = lengths[i] > lengths[longest] ? i : longest;
            }
            res.spreadSum += (double) lengths[longest] / lengths[shortest];
            res.shortestCorrect += traces[shortest].correctFor(p) ? 1 : 0;
            res.longestCorrect += traces[longest].correctFor(p) ? 1 : 0;
            Trace f = generator.generate(p, rng, Variant.FAST);
            int fastLength = vocab.count(f.text());
            res.fast.get(d).add(f.correctFor(p), fastLength, Double.NaN);
            if (f.firstPassSlips() == 0) {
                // the same first pass with one agreeing re-check appended
                Trace one = oneAgreeingRecheck(p, rng);
                if (one != null) {
                    res.recheckRatioSum += (double) (vocab.count(one.text()) - fastLength) / fastLength;
                    res.recheckRatioCount++;
                }
            }
        }
        return res;
    }

    private static Trace oneAgreeingRecheck(ToyProblem p, SplittableRandom rng) {
        WorldParams exact = new WorldParams(0, 0, 0, 0, Map.of(Difficulty.EASY, new double[] {0, 1},
                Difficulty.MEDIUM, new double[] {0, 1}, Difficulty.HARD, new double[] {0, 1}));
        Trace t = new TraceGenerator(exact).generate(p, rng, Variant.LONG);
        return t.rechecks() == 1 ? t : null;
    }

    static String pct(double x) {
        return Double.isNaN(x) ? "–" : String.format(Locale.ROOT, "%.1f %%", 100 * x);
    }

    static String fmt(double x, int digits) {
        return Double.isNaN(x) ? "–" : String.format(Locale.ROOT, "%." + digits + "f", x);
    }

    /**
     * Prints the table for the training split; with a third argument also writes it to that file.
     *
     * @param args {@code [K] [lambda] [out.md]}
     */
    public static void main(String[] args) throws IOException {
        int k = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_K;
        double lambda = args.length > 1 ? Double.parseDouble(args[1]) : DEFAULT_LAMBDA;
        List<ToyProblem> problems = new ProblemGenerator(ProblemMix.DEFAULT).split(Split.TRAIN);
        TraceGenerator generator = new TraceGenerator(WorldParams.DEFAULT);
        Result result = run(problems, generator, k, lambda, SEED);
        String md = result.toMarkdown(WorldParams.DEFAULT,
                COMMAND + " " + k + " " + fmt(lambda, 0) + " toy-world/SIMULATION.md");
        System.out.print(md);
        if (args.length > 2) {
            Files.writeString(Path.of(args[2]), md, StandardCharsets.UTF_8);
        }
    }

    /** How SIMULATION.md is rebuilt (from the repository root, after building toy-world). */
    static final String COMMAND = "mvn -B -q -o -pl toy-world -am install -DskipTests && "
            + "mvn -B -q -o -pl toy-world dependency:build-classpath -Dmdep.outputFile=target/cp.txt && "
            + "java -cp \"toy-world/target/classes:$(cat toy-world/target/cp.txt)\" "
            + "org.o1pruner.toyworld.RewardSimulation";
}
