package dev.salvo.cli;

import dev.salvo.ChannelOption;
import dev.salvo.DatagramChannel;
import dev.salvo.EventLoopGroup;
import dev.salvo.WaterMark;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code salvo blast}: sends a fixed number of datagrams as fast as the machine allows (or at a
 * set rate) and reports how many the kernel took and how fast.
 */
@Command(name = "blast",
        mixinStandardHelpOptions = true,
        description = {
            "Send --count datagrams of --size bytes to HOST:PORT as fast as possible (or at --rate), "
                    + "then print how many were sent and the rate.",
            "A host name with several addresses (localhost: 127.0.0.1 and ::1) is tried in the resolver's order;"
                    + " when one refuses (ECONNREFUSED: nothing listens there) the next is tried, and each is named.",
            "Only loopback and this machine's own addresses are allowed unless --allow-remote is given.",
            "Output: 'sent: N', 'failed: N', 'elapsed: S s', 'rate: R datagrams/s, G Gbit/s' "
                    + "(UDP payload bits only)."})
public final class BlastCommand implements Callable<Integer> {
    /**
     * Largest UDP payload: 65,535 minus the 20-byte IPv4 and 8-byte UDP headers. IPv6 could carry
     * 20 bytes more, but Salvo's java.nio transport refuses anything above this for both families,
     * so one limit keeps the command's behaviour the same on every transport.
     */
    static final int MAX_PAYLOAD = 65_507;
    /** Most segments Linux accepts in one GSO send ({@code UDP_MAX_SEGMENTS} on older kernels). */
    static final int MAX_GSO_SEGMENTS = 64;
    /** How long a stopped run may take to drain what it queued before the rest is failed. */
    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(2);

    @Spec
    CommandSpec spec;

    @Option(names = "--to", required = true, paramLabel = "HOST:PORT",
            description = "Where to send, e.g. 127.0.0.1:9000 or [::1]:9000.")
    String to;

    @Option(names = "--size", required = true, paramLabel = "N",
            description = "UDP payload bytes per datagram, 0 to 65507.")
    int size;

    @Option(names = "--count", required = true, paramLabel = "N", description = "How many datagrams to send.")
    long count;

    @Option(names = "--rate", paramLabel = "R", description = "Pace to R datagrams per second (default: as fast as possible).")
    Double rate;

    @Option(names = "--batch", defaultValue = "64", paramLabel = "N",
            description = "Datagrams written per flush, 1 to 1024 (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--gso",
            description = "Send each batch as GSO datagrams (segment size = --size); needs the Linux epoll transport.")
    boolean gso;

    @Option(names = "--duration", defaultValue = "60", paramLabel = "S",
            description = "Stop after S seconds even if --count was not reached (default: ${DEFAULT-VALUE}).")
    double durationSeconds;

    @Option(names = "--allow-remote",
            description = "Allow a target that is neither loopback nor an address of this machine.")
    boolean allowRemote;

    private volatile StopSignal signal;

    /** Creates the command; picocli sets the options. */
    public BlastCommand() {
    }

    /** Stops a running blast as Ctrl-C does; for tests. */
    void requestStop() {
        StopSignal.request(signal);
    }

    /**
     * Validates the arguments (nothing is sent before they pass), then blasts and reports.
     *
     * @return 0 when every datagram was sent (or the run was stopped), 1 when some failed, 2 for bad arguments
     */
    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<InetSocketAddress> candidates;
        try {
            candidates = HostPort.parseAll(to, false);
        } catch (HostPort.BadAddressException e) {
            return Report.usageError(err, "blast", "bad --to: " + e.getMessage());
        }
        String bad = checkNumbers();
        if (bad != null) {
            return Report.usageError(err, "blast", bad);
        }
        if (!allowRemote) {
            List<InetSocketAddress> local = candidates.stream().filter(a -> LocalTargets.isLocal(a.getAddress())).toList();
            if (local.isEmpty()) {
                return Report.usageError(err, "blast", HostPort.format(candidates.getFirst())
                        + " is neither loopback nor an address of this machine; add --allow-remote to send there anyway");
            }
            candidates = local;
        }
        try (EventLoopGroup group = EventLoopGroup.create(1)) {
            if (gso && "nio".equals(group.transportName())) {
                return Report.usageError(err, "blast", "--gso is unsupported by the nio transport "
                        + "(GSO needs the Linux epoll transport)");
            }
            out.println("transport: " + group.transportName());
            if (candidates.size() > 1) {
                out.println("resolved: " + host(to) + " is " + candidates.stream().map(a -> HostPort.format(a))
                        .collect(Collectors.joining(", ")) + "; the first is tried first, the next if it refuses");
            }
            out.flush();
            for (int i = 0; ; i++) {
                InetSocketAddress target = candidates.get(i);
                boolean last = i == candidates.size() - 1;
                Attempt attempt = open(group, target, !last, err);
                if (attempt == null) {
                    return 1;
                }
                int exit = run(attempt.blaster, attempt.channel, target, out, err, last);
                if (exit != RETRY) {
                    return exit;
                }
                out.println("refused: " + HostPort.format(target) + " refused the datagrams (ECONNREFUSED: nothing"
                        + " listens there); trying " + HostPort.format(candidates.get(i + 1)));
                out.flush();
            }
        }
    }

    /** {@link #run}'s answer when the target refused and the next address should be tried. */
    private static final int RETRY = -1;

    private record Attempt(Blaster blaster, DatagramChannel channel) {
    }

    /** @return the host part of what the user typed, for the "resolved:" line */
    private static String host(String typed) {
        String s = typed.strip();
        int colon = s.lastIndexOf(':');
        return colon > 0 ? s.substring(0, colon) : s;
    }

    /** Opens a channel connected to one address, or prints why not and returns null. */
    private Attempt open(EventLoopGroup group, InetSocketAddress target, boolean giveUpWhenRefused, PrintWriter err) {
        int segments = gso ? Math.min(MAX_GSO_SEGMENTS, Math.min(batch, MAX_PAYLOAD / size)) : 0;
        Blaster blaster = new Blaster(count, size, batch, segments, rate != null);
        if (giveUpWhenRefused) {
            blaster.giveUpWhenRefused();
        }
        int high = (int) Math.min(Integer.MAX_VALUE / 2, Math.max(64L * 1024, 4L * batch * Math.max(1, size)));
        DatagramChannel channel;
        try {
            channel = DatagramChannel.builder(group)
                    .option(ChannelOption.SO_SNDBUF, 4 * 1024 * 1024)
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WaterMark(high / 2, high))
                    .handler(blaster)
                    .connect(target);
        } catch (IOException | RuntimeException e) {
            Report.failure(err, "blast", "cannot open a socket to " + HostPort.format(target) + ": " + e.getMessage());
            return null;
        }
        disableAutomaticGso(channel);
        blaster.attach(channel);
        return new Attempt(blaster, channel);
    }

    private String checkNumbers() {
        if (size < 0 || size > MAX_PAYLOAD) {
            return "--size " + size + " is out of range; a UDP payload is 0 to " + MAX_PAYLOAD + " bytes";
        }
        if (count < 1) {
            return "--count must be at least 1, got " + count;
        }
        if (batch < 1 || batch > 1024) {
            return "--batch must be from 1 to 1024, got " + batch;
        }
        if (rate != null && !(rate > 0 && Double.isFinite(rate))) {
            return "--rate must be a positive number of datagrams per second, got " + rate;
        }
        if (!(durationSeconds > 0 && durationSeconds <= 1e9)) {
            return "--duration must be a positive number of seconds, got " + durationSeconds;
        }
        if (gso && size == 0) {
            return "--gso needs --size of at least 1 (it is the GSO segment size)";
        }
        return null;
    }

    /** Without --gso, send plain datagrams even where the transport would coalesce them on its own. */
    private static void disableAutomaticGso(DatagramChannel channel) {
        try {
            channel.setOption(ChannelOption.GSO_AUTO, false);
        } catch (UnsupportedOperationException | IOException e) {
            // Nothing to switch off on this transport.
        }
    }

    private int run(Blaster blaster, DatagramChannel channel, InetSocketAddress target, PrintWriter out,
                    PrintWriter err, boolean last) {
        String stoppedBy = null;
        try (StopSignal stop = StopSignal.install("blast")) {
            signal = stop;
            out.println("target: " + HostPort.format(target));
            out.flush();
            blaster.finished().whenComplete((v, t) -> stop.wake());
            long t0 = System.nanoTime();
            long deadline = t0 + (long) (durationSeconds * 1e9);
            // Pacing ticks: about one batch per tick, but at least every 50 ms and at most every 0.2 ms.
            long tick = rate == null ? Long.MAX_VALUE
                    : Math.clamp((long) (batch / rate * 1e9), 200_000L, 50_000_000L);
            if (rate != null) {
                blaster.allow(1);
            }
            blaster.start();
            while (!blaster.finished().isDone()) {
                long now = System.nanoTime();
                if (now - deadline >= 0) {
                    stoppedBy = "duration of " + format(durationSeconds) + " s reached";
                    break;
                }
                if (rate != null) {
                    blaster.allow((long) (rate * ((now - t0) / 1e9)) + 1);
                }
                if (stop.await(Math.min(tick, deadline - now)) && stop.wasInterrupted()) {
                    stoppedBy = "interrupted";
                    break;
                }
            }
            if (!blaster.finished().isDone()) {
                blaster.stop();
                await(blaster.finished(), DRAIN_NANOS);
            }
            // Closing fails what is still queued, so the counts below add up to what was queued.
            await(channel.close(), DRAIN_NANOS);
            if (!last && blaster.refused() && stoppedBy == null) {
                return RETRY;
            }
            long sent = blaster.sent();
            long failed = blaster.failed();
            long elapsed = blaster.elapsedNanos(System.nanoTime());
            out.println("sent: " + sent);
            out.println("failed: " + failed);
            out.println("elapsed: " + Report.seconds(elapsed));
            out.println("rate: " + Report.rate(sent, sent * size, elapsed));
            if (stoppedBy != null) {
                out.println("stopped: " + stoppedBy + " after " + sent + " of " + count + " datagrams");
            }
            out.flush();
            Throwable error = blaster.firstError();
            String refusedHint = blaster.refused() ? "; nothing listens at " + HostPort.format(target)
                    + " (ECONNREFUSED), so the datagrams counted as sent went nowhere" : "";
            if (failed > 0) {
                return Report.failure(err, "blast", failed + " datagrams failed, the first with: " + describe(error)
                        + refusedHint);
            }
            if (error != null) {
                err.println("salvo blast: warning: " + describe(error) + refusedHint + ".");
                err.flush();
            }
            return 0;
        } finally {
            signal = null;
        }
    }

    private static String describe(Throwable t) {
        if (t == null) {
            return "an unknown error";
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    private static String format(double seconds) {
        return seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds);
    }

    private static void await(java.util.concurrent.CompletableFuture<?> f, long nanos) {
        try {
            f.get(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Report what was counted so far.
        }
    }
}
