package dev.salvo.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Runs one {@code salvo} command line in-process, as {@code SalvoCommand.main} would, capturing
 * its output; in the background when it must run alongside the test (a sink, an echo server).
 */
final class CliRun {
    private final CommandLine root = SalvoCommand.commandLine();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final String[] args;
    private CompletableFuture<Integer> exit;

    private CliRun(String... args) {
        this.args = args;
        root.setOut(new PrintWriter(out, true));
        root.setErr(new PrintWriter(err, true));
    }

    /** Runs to completion on this thread. */
    static CliRun run(String... args) {
        CliRun r = new CliRun(args);
        r.exit = CompletableFuture.completedFuture(r.root.execute(args));
        return r;
    }

    /** Starts on a thread of its own. */
    static CliRun start(String... args) {
        CliRun r = new CliRun(args);
        r.exit = CompletableFuture.supplyAsync(() -> r.root.execute(args), runnable -> {
            Thread t = new Thread(runnable, "cli-" + args[0]);
            t.setDaemon(true);
            t.start();
        });
        return r;
    }

    /** @return the subcommand object picocli runs, to call its test hooks (requestStop) */
    <T> T command() {
        return root.getSubcommands().get(args[0]).getCommand();
    }

    /** @return the exit code, waiting up to 30 s for it */
    int exitCode() {
        try {
            return exit.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            return fail("'salvo " + String.join(" ", args) + "' did not end: " + e + "\nout:\n" + out + "\nerr:\n" + err);
        }
    }

    /** @return whether the command has ended */
    boolean ended() {
        return exit.isDone();
    }

    String out() {
        return out.toString();
    }

    String err() {
        return err.toString();
    }

    /**
     * Waits for a line of output matching {@code regex} and returns its first group.
     *
     * @param regex a pattern matched against each whole line
     * @return the first capturing group of the first matching line
     */
    String awaitLine(String regex) {
        Pattern p = Pattern.compile(regex);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            for (String line : out().split("\n")) {
                Matcher m = p.matcher(line);
                if (m.matches()) {
                    return m.group(1);
                }
            }
            if (ended()) {
                break;
            }
            sleep(10);
        }
        return fail("no line matching " + regex + " from 'salvo " + String.join(" ", args) + "'\nout:\n" + out()
                + "\nerr:\n" + err());
    }

    /** @return the value of the first {@code key: value} line with this key */
    String value(String key) {
        return Arrays.stream(out().split("\n"))
                .filter(l -> l.startsWith(key + ": "))
                .map(l -> l.substring(key.length() + 2).strip())
                .findFirst()
                .orElseGet(() -> fail("no '" + key + ":' line\nout:\n" + out() + "\nerr:\n" + err()));
    }

    /** @return the numeric value of a {@code key: N} line */
    long number(String key) {
        return Long.parseLong(value(key));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
