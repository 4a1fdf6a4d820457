package org.o1pruner.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.o1pruner.runtime.ConfigException;
import picocli.CommandLine;

class ServiceLauncherTest {

    /** A service whose loop runs for {@code polls} checks, then ends with {@code failure}. */
    private static ServiceLauncher.Started service(int polls, Throwable failure, AtomicInteger closed) {
        AtomicInteger left = new AtomicInteger(polls);
        return new ServiceLauncher.Started(closed::incrementAndGet, () -> left.getAndDecrement() > 0,
                () -> Optional.ofNullable(failure), "running");
    }

    @Test
    void aBadConfigurationExitsWithTwo() throws InterruptedException {
        int code = ServiceLauncher.run("test", false, 0, env -> {
            throw new ConfigException("test", List.of(new ConfigException.Problem("O1P_X", "y", "bad")));
        });
        assertEquals(2, code);
    }

    @Test
    void theServiceSeesTheProcessEnvironment() throws InterruptedException {
        AtomicInteger closed = new AtomicInteger();
        AtomicReference<Map<String, String>> seen = new AtomicReference<>();
        int code = ServiceLauncher.run("test", false, 0, env -> {
            seen.set(env);
            return service(0, null, closed);
        });
        assertEquals(0, code);
        assertEquals(System.getenv(), seen.get());
        assertEquals(0, closed.get(), "a clean stop leaves closing to the service's own shutdown hook");
    }

    @Test
    void aLoopFailureClosesTheServiceAndExitsWithOne() throws InterruptedException {
        AtomicInteger closed = new AtomicInteger();
        int code = ServiceLauncher.run("test", false, 0, env -> service(1, new IllegalStateException("fatal"), closed));
        assertEquals(1, code);
        assertEquals(1, closed.get());
    }

    @Test
    void otherStartFailuresPropagate() {
        IllegalStateException boom = new IllegalStateException("no model");
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> ServiceLauncher.run("test", false, 0, env -> {
                    throw boom;
                }));
        assertSame(boom, thrown);
    }

    @Test
    void rewardAndSamplerShareTheServiceOptions() {
        RewardCommand reward = new RewardCommand();
        new CommandLine(reward).parseArgs("--embedded", "--embedded-port", "0");
        assertTrue(reward.options.embedded);
        assertEquals(0, reward.options.embeddedPort);
        assertFalse(reward.options.describe);

        SamplerCommand sampler = new SamplerCommand();
        new CommandLine(sampler).parseArgs("--describe");
        assertTrue(sampler.options.describe);
        assertFalse(sampler.options.embedded);
        assertEquals(9092, sampler.options.embeddedPort);
    }
}
