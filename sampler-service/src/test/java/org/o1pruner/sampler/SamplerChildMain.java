package org.o1pruner.sampler;

/**
 * Runs a sampler in a child JVM for the crash test: configuration from the environment, no
 * HTTP shell; it samples until the parent kills it.
 */
public final class SamplerChildMain {
    private SamplerChildMain() {
    }

    public static void main(String[] args) throws Exception {
        SamplerService s = SamplerService.start(SamplerConfig.load(System.getenv()),
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        System.out.println("child sampler running: " + s.awaitRunning(java.time.Duration.ofSeconds(60)));
        Thread.sleep(Long.MAX_VALUE);
    }
}
