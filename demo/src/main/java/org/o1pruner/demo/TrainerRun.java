package org.o1pruner.demo;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.o1pruner.schema.CheckpointRecord;
import org.o1pruner.trainer.CheckpointStore;
import org.o1pruner.trainer.TrainerConfig;
import org.o1pruner.trainer.TrainerEngine;
import org.o1pruner.trainer.TrainerService;
import org.o1pruner.trainer.core.Objective;
import org.o1pruner.trainer.core.SamplesPerProblem;
import org.o1pruner.trainer.core.TrainItem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One method's training inside the demo: a {@link TrainerService} (its own run id, consumer
 * group and checkpoint directory) over the whole {@code scored} topic, with a cosine schedule
 * sized to the items the objective makes of the data and a progress bar; it stops once those
 * items are trained (the trainer then writes its final checkpoint) and reports every checkpoint
 * it published.
 */
final class TrainerRun {
    private static final Logger LOG = LoggerFactory.getLogger(TrainerRun.class);
    private static final Duration STALL_TIMEOUT = Duration.ofMinutes(10);

    private final DemoConfig.Settings settings;
    private final Path modelDir;
    private final PrintStream progress;

    TrainerRun(DemoConfig.Settings settings, Path modelDir, PrintStream progress) {
        this.settings = settings;
        this.modelDir = modelDir;
        this.progress = progress;
    }

    /** A finished training run: its final checkpoint (empty when there was nothing to train) and every checkpoint record. */
    public record Trained(RunResults.Training training, Optional<Path> dir, List<CheckpointRecord> checkpoints) {}

    /**
     * Trains one method to the end of its items.
     *
     * @param items       training items the objective makes of the data, all epochs (0: nothing is trained)
     * @param checkpoints checkpoints to write over the run (the last one at the end)
     * @param work        the method's checkpoints go to {@code work/<method>}
     * @param registry    where the trainer's metrics go
     * @throws IllegalStateException when the trainer fails, stalls, or publishes no checkpoint
     */
    public Trained train(Method method, Objective objective, long items, double lr, int epochs, SamplesPerProblem spp,
                          int checkpoints, String bootstrap, Path work, MeterRegistry registry)
            throws InterruptedException {
        long t0 = System.nanoTime();
        if (items == 0) {
            info(method.title() + ": the scored samples make no training items (e.g. no correct sample); "
                    + "it is evaluated as the reference model");
            return new Trained(new RunResults.Training(0, 0, 0, epochs, lr, 0), Optional.empty(), List.of());
        }
        long totalSteps = Math.max(1, (items + settings.stepItems() - 1) / settings.stepItems());
        long every = Math.max(1, (totalSteps + checkpoints - 1) / checkpoints);
        String runId = method == Method.O1_PRUNER ? DemoRun.RUN_ID : DemoRun.RUN_ID + "-" + method.key().replace('_', '-');
        Path dir = work.resolve(method.key());
        TrainerConfig.Settings ts = TrainerConfig.Settings.from(TrainerConfig.registry().load(Map.ofEntries(
                Map.entry("O1P_KAFKA_BOOTSTRAP", bootstrap),
                Map.entry("O1P_RUN_ID", runId),
                Map.entry("O1P_CONSUMER_GROUP", "o1p-trainer-" + runId),
                Map.entry("O1P_POLL_TIMEOUT", "200ms"),
                Map.entry("O1P_TRAINER_OBJECTIVE", objective.wireName()),
                Map.entry("O1P_TRAINER_MODEL_DIR", modelDir.toString()),
                Map.entry("O1P_TRAINER_CHECKPOINT_DIR", dir.toString()),
                Map.entry("O1P_TRAINER_CHECKPOINT_EVERY", Long.toString(every)),
                Map.entry("O1P_TRAINER_LR", Double.toString(lr)),
                Map.entry("O1P_TRAINER_TOTAL_STEPS", Long.toString(totalSteps)),
                // the scheduled steps bound the run even when later epochs' copies are already queued
                Map.entry("O1P_TRAINER_MAX_STEPS", Long.toString(totalSteps)),
                Map.entry("O1P_TRAINER_BATCH_SIZE", Integer.toString(settings.batchSize())),
                Map.entry("O1P_TRAINER_GRAD_ACCUMULATION", Integer.toString(settings.gradAccumulation())),
                Map.entry("O1P_TRAINER_SAMPLES_PER_PROBLEM", spp.toString()),
                Map.entry("O1P_TRAINER_MAX_BATCH_WAIT", "1s"),
                Map.entry("O1P_TRAINER_THREADS", Integer.toString(settings.threads())))));
        AtomicLong trained = new AtomicLong();
        AtomicLong steps = new AtomicLong();
        List<CheckpointRecord> published = new CopyOnWriteArrayList<>();
        try (Progress bar = new Progress(progress, "train " + method.title(), items)) {
            TrainerService[] self = new TrainerService[1];
            TrainerService service = new TrainerService(ts, registry, new TrainerService.Listener() {
                @Override
                public void trained(TrainerEngine.StepReport report, List<TrainItem> stepItems) {
                    long done = trained.addAndGet(stepItems.size());
                    steps.incrementAndGet();
                    bar.update(done, String.format(Locale.ROOT, "step %d loss %.4f", steps.get(), report.loss()));
                    if (done >= items) {
                        self[0].stop(); // the loop writes the final checkpoint
                    }
                }

                @Override
                public void checkpointed(CheckpointRecord record, CheckpointStore.Stored stored) {
                    published.add(record);
                }
            }, java.time.Clock.systemUTC());
            self[0] = service;
            service.start();
            long lastStep = System.nanoTime();
            long lastSteps = 0;
            while (!service.awaitTermination(Duration.ofMillis(500))) {
                if (steps.get() != lastSteps) {
                    lastSteps = steps.get();
                    lastStep = System.nanoTime();
                } else if (System.nanoTime() - lastStep > STALL_TIMEOUT.toNanos()) {
                    service.abandon();
                    service.awaitTermination(Duration.ofMinutes(1));
                    throw new IllegalStateException(method.title() + ": no optimizer step for " + STALL_TIMEOUT + " ("
                            + trained.get() + " of " + items + " items trained)");
                }
            }
            if (service.failure().isPresent()) {
                throw new IllegalStateException(method.title() + " training failed: " + service.failure().get(),
                        service.failure().get());
            }
        }
        CheckpointRecord last = published.stream().max(Comparator.comparingLong(CheckpointRecord::version))
                .orElseThrow(() -> new IllegalStateException(method.title() + ": the trainer published no checkpoint"));
        double seconds = (System.nanoTime() - t0) / 1e9;
        info(String.format(Locale.ROOT, "%s: %d items in %d steps, %d checkpoints, final v%d (%.0f s)", method.title(),
                trained.get(), steps.get(), published.size(), last.version(), seconds));
        return new Trained(new RunResults.Training(trained.get(), steps.get(), last.version(), epochs, lr, seconds),
                Optional.of(Path.of(java.net.URI.create(last.uri()))), List.copyOf(published));
    }

    private void info(String message) {
        LOG.info(message);
        if (progress != null) {
            progress.println("o1p demo: " + message);
            progress.flush();
        }
    }
}
