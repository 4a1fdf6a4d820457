package org.o1pruner.launcher;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.o1pruner.runtime.CommonConfig;
import org.o1pruner.runtime.Config;
import org.o1pruner.runtime.ConfigException;
import org.o1pruner.runtime.GracefulShutdown;
import org.o1pruner.runtime.ServiceShell;
import org.o1pruner.trainer.TrainerConfig;
import org.o1pruner.trainer.TrainerService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code o1p trainer}: runs the trainer service (configured by {@code O1P_*} environment
 * variables, see {@code --describe}) until SIGTERM, the configured step limit, or a failure.
 * SIGTERM writes a final checkpoint before exiting; /health, /ready and /metrics are served by the
 * common service shell.
 */
@Command(name = "trainer", mixinStandardHelpOptions = true,
        description = "Run the trainer service: scored samples in, optimizer steps, checkpoints out.")
public final class TrainerCommand implements Callable<Integer> {

    @Option(names = "--describe", description = "Print every configuration key with its type, default and meaning, and exit.")
    boolean describe;

    @Override
    public Integer call() throws Exception {
        if (describe) {
            System.out.print(TrainerConfig.registry().describe());
            return 0;
        }
        Config config;
        TrainerConfig.Settings settings;
        try {
            config = TrainerConfig.registry().load(System.getenv());
            settings = TrainerConfig.Settings.from(config);
        } catch (ConfigException | IllegalArgumentException e) {
            System.err.println("o1p trainer: " + e.getMessage());
            return 2;
        }
        PrometheusMeterRegistry registry = ServiceShell.newRegistry(TrainerConfig.SERVICE, settings.runId());
        TrainerService service = new TrainerService(settings, registry);
        // the training thread starts only once the shell is up, so a failed start has nothing else to stop
        ServiceShell shell = ServiceShell.fromConfig(config).optRegistry(registry)
                .addLiveness(TrainerConfig.SERVICE, () -> service.failure().isEmpty())
                .addReadiness(TrainerConfig.SERVICE, service::ready)
                .startWithBrokerCheck(CommonConfig.bootstrapServers(config), () -> { });
        service.start();
        GracefulShutdown.install(TrainerConfig.SERVICE, service, shell);
        System.err.println("o1p trainer: running (" + settings.objective().wireName() + ", checkpoints in "
                + settings.checkpointDir().toAbsolutePath() + "); /health /ready /metrics on port " + shell.actualPort());
        while (!service.awaitTermination(Duration.ofSeconds(1))) {
            // the training thread ends on SIGTERM (via the shutdown hook), at the step limit, or on failure
        }
        shell.close();
        if (service.failure().isPresent()) {
            System.err.println("o1p trainer: stopped by " + service.failure().get());
            return 1;
        }
        return 0;
    }
}
