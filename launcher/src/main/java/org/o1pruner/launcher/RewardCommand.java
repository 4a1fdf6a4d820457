package org.o1pruner.launcher;

import java.util.concurrent.Callable;
import org.o1pruner.reward.RewardConfig;
import org.o1pruner.reward.RewardService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code o1p reward}: runs the reward service (configured by {@code O1P_*} environment
 * variables, see {@code --describe}) until SIGTERM or a fatal loop failure. With
 * {@code --embedded} and no {@code O1P_KAFKA_BOOTSTRAP}, it first starts an embedded broker
 * with every topic, for trying the service on one machine.
 */
@Command(name = "reward", mixinStandardHelpOptions = true,
        description = "Run the reward service: grade samples, compute the length-harmonizing reward, produce scored.")
public final class RewardCommand implements Callable<Integer> {

    @Mixin
    ServiceOptions options = new ServiceOptions();

    @Override
    public Integer call() throws Exception {
        if (options.describe) {
            System.out.print(RewardConfig.registry().describe());
            return 0;
        }
        return ServiceLauncher.run("reward", options.embedded, options.embeddedPort, env -> {
            RewardService service = RewardService.serve(env);
            return new ServiceLauncher.Started(service::close, () -> service.loop().isAlive(),
                    () -> service.loop().failure(), "running; /health /ready /metrics on port " + service.httpPort());
        });
    }
}
