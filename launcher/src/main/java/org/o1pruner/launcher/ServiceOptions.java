package org.o1pruner.launcher;

import picocli.CommandLine.Option;

/**
 * The options every loop service's subcommand shares ({@code o1p reward}, {@code o1p sampler}):
 * an optional embedded broker for trying the service on one machine, and {@code --describe}.
 * A picocli mixin, so the options read and document the same in each command.
 */
final class ServiceOptions {

    @Option(names = "--embedded", description = "Start an embedded Kafka broker first when O1P_KAFKA_BOOTSTRAP is not set.")
    boolean embedded;

    @Option(names = "--embedded-port", defaultValue = "9092",
            description = "Client port of the embedded broker (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int embeddedPort;

    @Option(names = "--describe", description = "Print every configuration key with its type, default and meaning, and exit.")
    boolean describe;
}
