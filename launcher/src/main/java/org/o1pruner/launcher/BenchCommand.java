package org.o1pruner.launcher;

import picocli.CommandLine.Command;

/**
 * {@code o1p bench …}: the benchmarks. Each prints its figures for people and, as its
 * last line, one JSON object with them.
 */
@Command(name = "bench",
        description = "Run a benchmark; the last line printed is one JSON object with its figures.",
        mixinStandardHelpOptions = true,
        subcommands = {BenchRewardCommand.class, BenchEngineCommand.class, BenchPipelineCommand.class})
public final class BenchCommand {}
