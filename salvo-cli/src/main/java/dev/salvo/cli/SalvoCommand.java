package dev.salvo.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code salvo} command: the entry point that lists and dispatches the subcommands. */
@Command(name = "salvo",
        mixinStandardHelpOptions = true,
        version = "salvo 0.1.0-SNAPSHOT",
        description = "High-throughput UDP for the JVM: probe, benchmark and exercise datagram I/O.",
        subcommands = {
                CommandLine.HelpCommand.class,
                BenchCommand.class,
                DoctorCommand.class,
                BlastCommand.class,
                SinkCommand.class,
                EchoCommand.class,
                SoakCommand.class,
        })
public final class SalvoCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * Runs the command line and exits with its status: 0 on success, 2 on bad arguments.
     *
     * @param args the arguments, passed through from the {@code ./salvo} launcher
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** @return the configured picocli command line, shared by {@link #main} and the tests */
    public static CommandLine commandLine() {
        // Enum options in any case: soak --transport epoll, as -Dsalvo.transport=epoll spells it.
        return new CommandLine(new SalvoCommand()).setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(new ShortParameterErrors());
    }
}
