package dev.salvo.cli;

import dev.salvo.bench.harness.BenchRunner;
import dev.salvo.bench.harness.BenchSettings;
import dev.salvo.bench.harness.Contender;
import dev.salvo.bench.harness.ContenderRegistry;
import dev.salvo.bench.harness.NativePrograms;
import dev.salvo.bench.harness.SendMode;
import dev.salvo.bench.harness.Terminal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code salvo bench}: the side-by-side benchmark of Salvo, the JDK, Netty and C on loopback.
 * Parses and checks the options, then hands over to {@link BenchRunner} in salvo-bench.
 */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Runs UDP contenders side by side on 127.0.0.1 and prints a table of medians: datagrams/s, Gbit/s,"
                + " CPU seconds per million datagrams, loss, and each contender's ratio to the C reference and to"
                + " the best Java peer (JDK DatagramChannel, Netty epoll).",
            "Every contender runs in its own child process (a JVM, or a C program compiled with gcc when gcc is"
                + " present), one at a time, interleaved across runs.",
            "Send side (default): each sender blasts for a warm-up and a timed window at a receiver that never"
                + " reads (sink) or that drains with recvmmsg (drain). Receive side (--receive): one fast sender"
                + " feeds each receiver in turn; --loops N adds reuse-port groups of N loops, --sockets N measures"
                + " N sockets on one loop."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every run succeeded",
            "1:some run failed (see the notes under the table)",
            "2:bad arguments",
            "130:interrupted (partial results printed)"})
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--sizes", split = ",", paramLabel = "BYTES",
            description = "Payload sizes, comma-separated (default: 64,1200).")
    List<Integer> sizes;

    @Option(names = "--mode", split = ",", paramLabel = "MODE",
            description = "Send-side receiver: sink, drain, or sink,drain (default: sink).")
    List<String> modes;

    @Option(names = "--runs", paramLabel = "N", description = "Runs per figure; the table shows medians (default: 3, --quick: 1).")
    Integer runs;

    @Option(names = "--quick",
            description = "CI smoke settings: 1 run, 0.3 s warm-up, 0.5 s window (receive: 0.5 s settle); under a minute."
                    + " A smoke run, not a comparison: the table says so and leaves out the ratio columns.")
    boolean quick;

    @Option(names = "--receive", description = "Measure the receive side instead of the send side.")
    boolean receive;

    @Option(names = "--contenders", split = ",", paramLabel = "NAME",
            description = "Only these contenders (senders, or receivers with --receive); see --list.")
    List<String> contenders;

    @Option(names = "--loops", paramLabel = "N",
            description = "Also run each Salvo sender on N event loops, each with its own socket (named like"
                    + " salvo/vector@N); with --receive, each Salvo receiver that can on a reuse-port group of N loops"
                    + " on one port (salvo/recvmmsg@N), fed by N C senders from 16 source ports each. Prints the"
                    + " speed-up over one loop (default: 1, none).")
    Integer loops;

    @Option(names = "--sockets", split = ",", paramLabel = "N",
            description = "With --receive: instead of the one-socket receivers, N sockets on ONE event loop (e.g."
                    + " 256,1024), fed by a C sender round-robin over all N ports; Salvo and Netty on epoll and"
                    + " io_uring, one table per N, CPU per datagram compared with salvo/recvmmsg.")
    List<Integer> sockets;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write every run and the medians as JSON.")
    Path json;

    @Option(names = "--chart", paramLabel = "FILE.png", description = "Also draw the medians as a bar chart (PNG).")
    Path chart;

    @Option(names = "--warmup-ms", paramLabel = "MS", description = "Send-side warm-up before the window (default: 1000).")
    Long warmupMillis;

    @Option(names = "--window-ms", paramLabel = "MS", description = "The timed window (default: 3000).")
    Long windowMillis;

    @Option(names = "--settle-ms", paramLabel = "MS",
            description = "Receive side: wait after the first datagram before the window, for the JIT to finish (default: 5000).")
    Long settleMillis;

    @Option(names = "--no-progress",
            description = "No progress bars; one line per run instead (the default when stderr is not a terminal).")
    boolean noProgress;

    @Option(names = "--progress", description = "Progress bars even when stderr is not a terminal.")
    boolean forceProgress;

    @Option(names = "--wide",
            description = "The full table: the mechanism column and full headers (over 150 columns; the default fits 120).")
    boolean wide;

    @Option(names = "--list", description = "List the registered senders and receivers, then exit.")
    boolean list;

    /** Creates the command; picocli fills in the options. */
    public BenchCommand() {
    }

    @Override
    public Integer call() {
        ContenderRegistry registry = registry();
        if (list) {
            printList(registry);
            return 0;
        }
        BenchSettings settings = settings(registry);
        return new BenchRunner(settings, registry, NativePrograms.inDefaultCache(), System.out, System.err).run();
    }

    /** @return the standard contenders, with the multi-loop variants when {@code --loops} asks for them */
    ContenderRegistry registry() {
        ContenderRegistry registry = ContenderRegistry.standard();
        if (loops == null) {
            return registry;
        }
        if (sockets != null && loops > 1) {
            throw new ParameterException(spec.commandLine(), "--sockets reads every socket on one loop; leave out --loops");
        }
        try {
            return registry.withLoops(loops);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /**
     * Turns the options into settings, rejecting bad ones with a one-sentence {@link ParameterException}.
     *
     * @param registry the contenders, to check names against
     * @return the settings
     */
    BenchSettings settings(ContenderRegistry registry) {
        BenchSettings defaults = BenchSettings.defaults(quick);
        try {
            BenchSettings s = defaults;
            if (sizes != null) {
                s = s.withSizes(sizes);
            }
            if (modes != null) {
                s = s.withModes(modes.stream().map(SendMode::parse).distinct().toList());
            }
            if (runs != null) {
                s = s.withRuns(runs);
            }
            s = s.withTimings(warmupMillis != null ? warmupMillis : s.warmupMillis(),
                    windowMillis != null ? windowMillis : s.windowMillis(),
                    settleMillis != null ? settleMillis : s.settleMillis());
            if (sockets != null) {
                if (!receive) {
                    throw new IllegalArgumentException("--sockets measures receivers; add --receive");
                }
                s = s.withSockets(sockets.stream().distinct().toList());
            }
            s = s.withReceiveSide(receive).withOutputs(checkedOutput(json), checkedOutput(chart)).withProgress(showProgress())
                    .withWide(wide);
            if (contenders != null) {
                List<String> known = (receive ? registry.receivers() : registry.senders()).stream()
                        .map(Contender::name).toList();
                for (String name : contenders) {
                    if (!known.contains(name)) {
                        throw new IllegalArgumentException("unknown " + (receive ? "receiver" : "sender") + " '" + name
                                + "' (known: " + String.join(", ", known) + ")");
                    }
                }
                s = s.withContenders(contenders);
            }
            return s;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /**
     * Bars redraw one line with {@code \r} several times a second: right on a terminal, 16 KB of
     * noise in {@code ./salvo bench 2>&1 | tee log}. So they are on only when stderr is a terminal
     * (see {@link Terminal} for why {@code System.console()} cannot tell), unless asked for.
     *
     * @return whether to draw progress bars
     */
    boolean showProgress() {
        if (noProgress && forceProgress) {
            throw new ParameterException(spec.commandLine(), "--progress and --no-progress contradict each other");
        }
        return forceProgress || (!noProgress && stderrIsTerminal.getAsBoolean());
    }

    /** Whether stderr is a terminal; tests replace it. */
    java.util.function.BooleanSupplier stderrIsTerminal = Terminal::stderrIsTerminal;

    private static Path checkedOutput(Path file) {
        if (file == null) {
            return null;
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new IllegalArgumentException("the directory of " + file + " does not exist");
        }
        return file;
    }

    private void printList(ContenderRegistry registry) {
        var out = spec.commandLine().getOut();
        // One width for both lists, from the longest name and role (salvo/one-per-call is 18 characters).
        List<Contender<?>> all = new java.util.ArrayList<>(registry.senders());
        all.addAll(registry.receivers());
        int nameWidth = all.stream().mapToInt(c -> c.name().length()).max().orElse(1);
        int roleWidth = all.stream().mapToInt(c -> c.role().toString().length()).max().orElse(1);
        String format = "  %-" + nameWidth + "s  %-" + roleWidth + "s  %s%n";
        out.println("senders (salvo bench):");
        registry.senders().forEach(c -> out.printf(format, c.name(), c.role(), c.mechanism()));
        out.println("receivers (salvo bench --receive):");
        registry.receivers().forEach(c -> out.printf(format, c.name(), c.role(), c.mechanism()));
        out.flush();
    }
}
