package org.o1pruner.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code o1p} command: every service, tool and benchmark of the project is a
 * subcommand. This is the only class that calls {@link System#exit}.
 */
@Command(name = "o1p",
        description = "O1-Pruner: length-harmonizing fine-tuning as a streaming training service.",
        mixinStandardHelpOptions = true,
        version = "o1p 0.1.0",
        subcommands = {
            BrokerCommand.class,
            PromptsCommand.class,
            SamplerCommand.class,
            RewardCommand.class,
            TrainerCommand.class,
            EvalCommand.class,
            ProduceCommand.class,
            ConsumeCommand.class,
            GradeCommand.class,
            CheckDashboardsCommand.class,
            BenchCommand.class,
            DisharmonyCommand.class,
            DemoCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class O1p {
    private O1p() {}

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, for tests. */
    static CommandLine commandLine() {
        return new CommandLine(new O1p()).setCaseInsensitiveEnumValuesAllowed(true);
    }
}
