package org.o1pruner.trainer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.o1pruner.trainer.core.TrainItem;

/**
 * A trainer in its own JVM for the kill test: settings from {@code key=value} arguments
 * ({@code O1P_*} names), and one line per optimizer step appended to a log file
 * ({@code step<TAB>sample ids}) so the test can see what the process trained before it was killed.
 */
public final class TrainerProcessMain {
    private TrainerProcessMain() {}

    public static void main(String[] args) throws Exception {
        Path log = Path.of(args[0]);
        Map<String, String> env = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            env.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        TrainerConfig.Settings settings = TrainerConfig.Settings.from(TrainerConfig.registry().load(env));
        TrainerService.Listener listener = new TrainerService.Listener() {
            @Override
            public void trained(TrainerEngine.StepReport report, List<TrainItem> items) {
                String ids = items.stream().flatMap(it -> it.sources().stream())
                        .map(t -> t.record().sampleId().toString()).collect(Collectors.joining("|"));
                try {
                    Files.writeString(log, report.step() + "\t" + ids + "\n", StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        TrainerService service = new TrainerService(settings, new SimpleMeterRegistry(), listener, Clock.systemUTC());
        service.start();
        service.awaitTermination(java.time.Duration.ofHours(1));
    }
}
