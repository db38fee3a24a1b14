package dev.salvo.cli;

import picocli.CommandLine;

/**
 * Reports a bad argument as one sentence naming the command, instead of picocli's default of the
 * message followed by the whole usage text; the exit code stays 2.
 */
final class ShortParameterErrors implements CommandLine.IParameterExceptionHandler {
    /** The exit code for bad arguments. */
    static final int BAD_ARGUMENTS = 2;

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        String name = cmd.getCommandSpec().qualifiedName();
        cmd.getErr().println(name + ": " + ex.getMessage() + " (see '" + name + " --help')");
        cmd.getErr().flush();
        return BAD_ARGUMENTS;
    }
}
