package org.o1pruner.model.train;

import ai.djl.ndarray.NDArray;
import org.o1pruner.model.DirectFloats;
import org.o1pruner.model.GradMode;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The AdamW optimizer (decoupled weight decay), with state that is saved and restored bit-exactly so
 * that a training run resumed from a checkpoint continues exactly as if it had never stopped.
 *
 * <p>The state is the step count and, per parameter, the first and second moments in float32.
 * Parameters stored in a lower precision (bfloat16, float16) get a float32 master copy: the update
 * is computed and accumulated in float32 and then rounded into the parameter, which is the
 * mixed-precision recipe (low-precision forward and backward, full-precision optimizer).
 *
 * <p>The update follows {@code torch.optim.AdamW}: {@code w *= 1 - lr*wd}; {@code m = b1*m +
 * (1-b1)*g}; {@code v = b2*v + (1-b2)*g^2}; {@code w -= lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) +
 * eps)}. DJL's built-in Adam keeps its moments private, which is why the project has its own.
 */
public final class AdamW implements AutoCloseable {
    /** File holding the moments and master weights (safetensors). */
    public static final String STATE_FILE = "optimizer.safetensors";
    /** File holding the step count and hyper-parameters (JSON). */
    public static final String META_FILE = "optimizer.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Hyper-parameters other than the learning rate (which comes from a schedule per step).
     *
     * @param beta1 decay of the first moment, in [0, 1)
     * @param beta2 decay of the second moment, in [0, 1)
     * @param eps added to the denominator, {@code > 0}
     * @param weightDecay decoupled weight decay, {@code >= 0}
     * @param decays which parameter names get weight decay (Hugging Face exempts biases and norms)
     */
    public record Settings(double beta1, double beta2, double eps, double weightDecay, Predicate<String> decays) {
        public Settings {
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("betas must be in [0, 1), got " + beta1 + ", " + beta2);
            }
            if (!(eps > 0)) {
                throw new IllegalArgumentException("eps must be > 0, got " + eps);
            }
            if (!(weightDecay >= 0)) {
                throw new IllegalArgumentException("weightDecay must be >= 0, got " + weightDecay);
            }
            Objects.requireNonNull(decays, "decays");
        }

        /** torch defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0.01 on every parameter. */
        public static Settings defaults() {
            return new Settings(0.9, 0.999, 1e-8, 0.01, name -> true);
        }

        /** Same settings with another weight decay. */
        public Settings withWeightDecay(double wd) {
            return new Settings(beta1, beta2, eps, wd, decays);
        }

        /** Same settings, decaying only parameters that are neither biases nor norm weights. */
        public Settings exemptBiasAndNorm() {
            return new Settings(beta1, beta2, eps, weightDecay,
                    name -> !name.endsWith(".bias") && !name.contains("norm"));
        }
    }

    private final Settings settings;
    private final Map<String, NDArray> params;
    private final NDManager state;
    private final Map<String, NDArray> m = new LinkedHashMap<>();
    private final Map<String, NDArray> v = new LinkedHashMap<>();
    private final Map<String, NDArray> master = new LinkedHashMap<>();
    private long step;
    private volatile int threads = 1;
    private volatile boolean fusedKernel = true;

    /**
     * Creates the optimizer for the given trainable parameters, with zero moments.
     *
     * @param params trainable parameters by name (not copied: updated in place)
     */
    public AdamW(Map<String, NDArray> params, Settings settings) {
        if (params.isEmpty()) {
            throw new IllegalArgumentException("AdamW needs at least one parameter");
        }
        this.settings = Objects.requireNonNull(settings, "settings");
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        NDArray any = params.values().iterator().next();
        this.state = NDManager.newBaseManager(any.getDevice());
        try (GradMode.Scope off = GradMode.disabled()) {
            for (Map.Entry<String, NDArray> e : this.params.entrySet()) {
                NDArray p = e.getValue();
                m.put(e.getKey(), state.zeros(p.getShape(), DataType.FLOAT32));
                v.put(e.getKey(), state.zeros(p.getShape(), DataType.FLOAT32));
                if (p.getDataType() != DataType.FLOAT32) {
                    NDArray w = p.toType(DataType.FLOAT32, true);
                    w.attach(state);
                    master.put(e.getKey(), w);
                }
            }
        }
    }

    /** The hyper-parameters. */
    public Settings settings() {
        return settings;
    }

    /** Number of updates applied so far. */
    public long stepCount() {
        return step;
    }

    /** Names of the parameters this optimizer updates, in order. */
    public java.util.Set<String> names() {
        return params.keySet();
    }

    /** The first moment of a parameter (read-only use; owned by the optimizer). */
    public NDArray firstMoment(String name) {
        return require(m, name);
    }

    /** The second moment of a parameter (read-only use; owned by the optimizer). */
    public NDArray secondMoment(String name) {
        return require(v, name);
    }

    /**
     * Applies one update with learning rate {@code lr} from the gradients currently attached to the
     * parameters. Parameters without a computed gradient are skipped (their moments do not move),
     * as in torch. Does not zero the gradients: see {@link #zeroGradients()}.
     */
    public void step(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("lr must be finite and >= 0, got " + lr);
        }
        step++;
        double bc1 = 1.0 - Math.pow(settings.beta1, step);
        double bc2 = 1.0 - Math.pow(settings.beta2, step);
        float stepSize = (float) (lr / bc1);
        float bc2Sqrt = (float) Math.sqrt(bc2);
        float b1 = (float) settings.beta1;
        float b2 = (float) settings.beta2;
        float oneMinusB1 = (float) (1.0 - settings.beta1);
        float oneMinusB2 = (float) (1.0 - settings.beta2);
        float eps = (float) settings.eps;
        AdamWKernel.Coefficients decayed = new AdamWKernel.Coefficients(true,
                (float) (1.0 - lr * settings.weightDecay), b1, oneMinusB1, b2, oneMinusB2, bc2Sqrt, eps, stepSize);
        AdamWKernel.Coefficients plain = new AdamWKernel.Coefficients(false, 1f, b1, oneMinusB1, b2, oneMinusB2,
                bc2Sqrt, eps, stepSize);
        AdamWKernel kernel = fusedKernel ? AdamWKernel.vectorized() : null;
        List<Span> spans = new ArrayList<>();
        try (GradMode.Scope off = GradMode.disabled(); NDManager grads = state.newSubManager()) {
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                String name = e.getKey();
                NDArray p = e.getValue();
                AdamWKernel.Coefficients c = settings.weightDecay != 0 && settings.decays.test(name) ? decayed : plain;
                // a fused update needs the gradient until the kernel has run; the tensor path
                // releases each parameter's handle at once
                try (NDManager own = state.newSubManager()) {
                    boolean fusable = kernel != null && !master.containsKey(name);
                    NDArray g = Gradients.of(p, fusable ? grads : own);
                    if (g != null && !(fusable && addSpans(spans, p, g, m.get(name), v.get(name), c))) {
                        tensorUpdate(name, p, g, c);
                    }
                }
            }
            if (!spans.isEmpty()) {
                runSpans(kernel, spans);
            }
            fusedSpans = spans.size();
        }
    }

    /** A range of one parameter for the fused kernel. */
    private record Span(ByteBuffer w, ByteBuffer g, ByteBuffer m, ByteBuffer v, int from, int to,
            AdamWKernel.Coefficients c) {}

    /** Floats per unit of work the fused update hands to a thread. */
    private static final int SPAN = 1 << 15;


    /** Spans the fused kernel updated in the last step (tests check which path ran). */
    int fusedSpans;

    /** Adds {@code p}'s spans when all four tensors can be viewed in place; false otherwise. */
    private static boolean addSpans(List<Span> spans, NDArray p, NDArray g, NDArray mi, NDArray vi,
            AdamWKernel.Coefficients c) {
        ByteBuffer wb = DirectFloats.view(p);
        ByteBuffer gb = wb == null ? null : DirectFloats.view(g);
        ByteBuffer mb = gb == null ? null : DirectFloats.view(mi);
        ByteBuffer vb = mb == null ? null : DirectFloats.view(vi);
        if (vb == null || !p.getShape().equals(g.getShape())) {
            return false;
        }
        int n = Math.toIntExact(p.getShape().size());
        for (int from = 0; from < n; from += SPAN) {
            spans.add(new Span(wb, gb, mb, vb, from, Math.min(n, from + SPAN), c));
        }
        return true;
    }

    /** Runs the spans on up to {@link #threads()} threads, the caller's included. */
    private void runSpans(AdamWKernel kernel, List<Span> spans) {
        int workers = Math.min(threads(), spans.size());
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        Runnable work = () -> {
            for (int i = next.getAndIncrement(); i < spans.size(); i = next.getAndIncrement()) {
                Span s = spans.get(i);
                kernel.update(s.w, s.g, s.m, s.v, s.from, s.to, s.c);
            }
        };
        List<java.util.concurrent.Future<?>> helpers = new ArrayList<>(workers - 1);
        for (int t = 1; t < workers; t++) {
            helpers.add(Pool.EXECUTOR.submit(work));
        }
        work.run();
        for (java.util.concurrent.Future<?> f : helpers) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("AdamW update failed", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during an AdamW update", e);
            }
        }
    }

    /** Daemon threads for the fused update, created on first use. */
    private static final class Pool {
        static final java.util.concurrent.ExecutorService EXECUTOR =
                java.util.concurrent.Executors.newCachedThreadPool(r -> {
                    Thread t = new Thread(r, "o1p-adamw");
                    t.setDaemon(true);
                    return t;
                });

        private Pool() {}
    }

    /** The update as tensor operations: other devices and types, and master weights. */
    private void tensorUpdate(String name, NDArray p, NDArray g, AdamWKernel.Coefficients c) {
        try (NDManager scope = state.newSubManager()) {
            NDArray w = master.getOrDefault(name, p);
            if (g.getDataType() != DataType.FLOAT32) {
                g = g.toType(DataType.FLOAT32, false);
                g.attach(scope);
            }
            if (c.applyDecay()) {
                w.muli(c.decay());
            }
            NDArray mi = m.get(name);
            NDArray vi = v.get(name);
            mi.muli(c.b1()).addi(g.mul(c.oneMinusB1()));
            vi.muli(c.b2()).addi(g.square().muli(c.oneMinusB2()));
            NDArray denom = vi.sqrt();
            denom.attach(scope);
            denom.divi(c.bc2Sqrt()).addi(c.eps());
            NDArray update = mi.div(denom);
            update.attach(scope);
            w.subi(update.muli(c.stepSize()));
            if (w != p) {
                NDArray rounded = w.toType(p.getDataType(), true);
                rounded.attach(scope);
                p.subi(p).addi(rounded);
            }
        }
    }

    /**
     * Threads the fused update runs on: the larger of {@link #setThreads(int)} and libtorch's
     * intra-op thread count at the time of the step.
     */
    public int threads() {
        return Math.max(threads, GradMode.intraOpThreads());
    }

    /**
     * Whether float32 CPU parameters are updated by the fused kernel (default) or by tensor
     * operations. The two agree to an ulp or two of the weights per step, not bit for bit: a run
     * that must reproduce earlier bits uses the path those were made with.
     */
    public void setFusedKernel(boolean fused) {
        this.fusedKernel = fused;
    }

    /** At least this many threads for the fused update (default 1; see {@link #threads()}). */
    public void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
    }

    /** Sets the gradients of all parameters of this optimizer to zero. */
    public void zeroGradients() {
        for (NDArray p : params.values()) {
            Gradients.zero(p);
        }
    }

    /**
     * Writes {@link #STATE_FILE} and {@link #META_FILE} into {@code dir} (created if needed); each
     * file is written to a temporary name and moved into place.
     */
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        NDList list = new NDList();
        for (String name : params.keySet()) {
            list.add(named(m.get(name), "m/" + name));
            list.add(named(v.get(name), "v/" + name));
            if (master.containsKey(name)) {
                list.add(named(master.get(name), "master/" + name));
            }
        }
        Path tmp = dir.resolve(STATE_FILE + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            list.encode(out, NDList.Encoding.SAFETENSORS);
        }
        Files.move(tmp, dir.resolve(STATE_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        ObjectNode meta = JSON.createObjectNode();
        meta.put("format", "o1p-adamw-1");
        meta.put("step", step);
        meta.put("beta1", settings.beta1);
        meta.put("beta2", settings.beta2);
        meta.put("eps", settings.eps);
        meta.put("weight_decay", settings.weightDecay);
        meta.putArray("parameters").addAll(params.keySet().stream().map(JSON.getNodeFactory()::textNode).toList());
        Path tmpMeta = dir.resolve(META_FILE + ".tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmpMeta.toFile(), meta);
        Files.move(tmpMeta, dir.resolve(META_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Replaces this optimizer's state with the one saved in {@code dir} by {@link #save(Path)}.
     *
     * @throws IOException when a file is missing or unreadable, the parameter names or shapes do not
     *     match this optimizer's, or the saved hyper-parameters differ from {@link #settings()}
     */
    public void load(Path dir) throws IOException {
        Path metaPath = dir.resolve(META_FILE);
        Path statePath = dir.resolve(STATE_FILE);
        if (!Files.isRegularFile(metaPath) || !Files.isRegularFile(statePath)) {
            throw new IOException("optimizer state incomplete in " + dir + ": need " + META_FILE + " and " + STATE_FILE);
        }
        JsonNode meta = JSON.readTree(metaPath.toFile());
        if (!"o1p-adamw-1".equals(meta.path("format").asText())) {
            throw new IOException(metaPath + ": unknown format '" + meta.path("format").asText() + "'");
        }
        checkSame(metaPath, "beta1", settings.beta1, meta.path("beta1").asDouble());
        checkSame(metaPath, "beta2", settings.beta2, meta.path("beta2").asDouble());
        checkSame(metaPath, "eps", settings.eps, meta.path("eps").asDouble());
        checkSame(metaPath, "weight_decay", settings.weightDecay, meta.path("weight_decay").asDouble());
        Map<String, NDArray> loaded = new HashMap<>();
        NDManager incoming = state.newSubManager();
        try (InputStream in = Files.newInputStream(statePath)) {
            for (NDArray a : NDList.decode(incoming, in)) {
                loaded.put(a.getName(), a);
            }
        } catch (RuntimeException e) {
            incoming.close();
            throw new IOException(statePath + ": cannot decode: " + e.getMessage(), e);
        }
        try {
            for (String name : params.keySet()) {
                need(loaded, "m/" + name, m.get(name), statePath);
                need(loaded, "v/" + name, v.get(name), statePath);
                if (master.containsKey(name)) {
                    need(loaded, "master/" + name, master.get(name), statePath);
                }
            }
            int expected = params.size() * 2 + master.size();
            if (loaded.size() != expected) {
                throw new IOException(statePath + ": holds " + loaded.size() + " tensors, expected " + expected);
            }
            for (String name : params.keySet()) {
                replace(m, name, loaded.get("m/" + name));
                replace(v, name, loaded.get("v/" + name));
                if (master.containsKey(name)) {
                    replace(master, name, loaded.get("master/" + name));
                }
            }
        } finally {
            incoming.close();
        }
        step = meta.path("step").asLong();
    }

    private void replace(Map<String, NDArray> target, String name, NDArray fresh) {
        fresh.attach(state);
        NDArray old = target.put(name, fresh);
        old.close();
    }

    private static void need(Map<String, NDArray> loaded, String key, NDArray like, Path file) throws IOException {
        NDArray a = loaded.get(key);
        if (a == null) {
            throw new IOException(file + ": missing tensor '" + key + "'");
        }
        if (!a.getShape().equals(like.getShape()) || a.getDataType() != like.getDataType()) {
            throw new IOException(file + ": tensor '" + key + "' is " + a.getDataType() + a.getShape()
                    + ", expected " + like.getDataType() + like.getShape());
        }
    }

    private static void checkSame(Path file, String key, double expected, double actual) throws IOException {
        if (Double.compare(expected, actual) != 0) {
            throw new IOException(file + ": " + key + " is " + actual + " but this optimizer uses " + expected);
        }
    }

    private static NDArray named(NDArray a, String name) {
        a.setName(name);
        return a;
    }

    private static NDArray require(Map<String, NDArray> map, String name) {
        NDArray a = map.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no parameter named '" + name + "' in this optimizer");
        }
        return a;
    }

    /** Number of native arrays the optimizer holds (tests use it to prove nothing leaks). */
    int stateArrayCount() {
        return state.getManagedArrays().size();
    }

    @Override
    public void close() {
        state.close();
    }
}
