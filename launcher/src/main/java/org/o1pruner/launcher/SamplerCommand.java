package org.o1pruner.launcher;

import java.util.concurrent.Callable;
import org.o1pruner.sampler.SamplerConfig;
import org.o1pruner.sampler.SamplerService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code o1p sampler}: runs the sampler service (configured by {@code O1P_*} environment
 * variables, see {@code --describe}) until SIGTERM or a fatal loop failure. With
 * {@code --embedded} and no {@code O1P_KAFKA_BOOTSTRAP}, it first starts an embedded broker
 * with every topic, for trying the service on one machine.
 */
@Command(name = "sampler", mixinStandardHelpOptions = true,
        description = "Run the sampler service: K solutions per prompt from the policy, produced to samples.")
public final class SamplerCommand implements Callable<Integer> {

    @Mixin
    ServiceOptions options = new ServiceOptions();

    @Override
    public Integer call() throws Exception {
        if (options.describe) {
            System.out.print(SamplerConfig.registry().describe());
            return 0;
        }
        return ServiceLauncher.run("sampler", options.embedded, options.embeddedPort, env -> {
            SamplerService service = SamplerService.serve(env);
            return new ServiceLauncher.Started(service::close, () -> service.loop().isAlive(),
                    () -> service.loop().failure(), "running; /health /ready /metrics on port " + service.httpPort());
        });
    }
}
