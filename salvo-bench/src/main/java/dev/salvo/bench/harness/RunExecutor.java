package dev.salvo.bench.harness;

import dev.salvo.bench.report.Measurement;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Runs one measurement: starts the children it needs, wires the receiver's port to the sender,
 * follows their phases on the progress bar, stops them in order, and turns their RESULT lines
 * into a {@link Measurement}. A child that fails or overruns its limit yields a failed
 * measurement; the children of a run never outlive it.
 */
final class RunExecutor {
    /** Room for a child JVM to start (and JIT its first code) on a busy two-core machine. */
    private static final long STARTUP_ALLOWANCE_MILLIS = 20_000;
    /** Extra time the harness grants beyond a child's own limit before killing it. */
    private static final long KILL_GRACE_MILLIS = 10_000;
    /** Time for datagrams still in flight to reach the receiver after the sender stops. */
    private static final long IN_FLIGHT_MILLIS = 100;
    private static final long POLL_MILLIS = 100;

    private final ChildLauncher launcher;

    RunExecutor(ChildLauncher launcher) {
        this.launcher = launcher;
    }

    /**
     * One send-side run.
     *
     * @param sender   the contender
     * @param payload  payload bytes
     * @param mode     sink or drain
     * @param drain    the receiver for drain mode (ignored in sink mode)
     * @param settings timings
     * @param run      run index
     * @param progress the run's bar
     * @return the measurement, failed or not
     * @throws InterruptedException when the harness is interrupted
     */
    Measurement send(Contender<JavaSender> sender, int payload, SendMode mode, Contender<JavaReceiver> drain,
                     BenchSettings settings, int run, RunProgress progress) throws InterruptedException {
        long ownLimit = settings.warmupMillis() + settings.windowMillis() + STARTUP_ALLOWANCE_MILLIS;
        try {
            if (mode == SendMode.SINK) {
                try (DatagramChannel sink = DatagramChannel.open(StandardProtocolFamily.INET)) {
                    sink.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                    int port = ((InetSocketAddress) sink.getLocalAddress()).getPort();
                    ChildMessage.Result result = runSender(sender, port, payload, settings.warmupMillis(),
                            settings.windowMillis(), ownLimit, progress);
                    return sendMeasurement(sender, payload, mode, run, result, -1);
                }
            }
            try (ChildProcess receiver = ChildProcess.start(drain.name() + " receiver",
                    launcher.receiver(drain, payload, 0, 0, ownLimit + STARTUP_ALLOWANCE_MILLIS),
                    ownLimit + STARTUP_ALLOWANCE_MILLIS + KILL_GRACE_MILLIS)) {
                int port = ((ChildMessage.Ready) await(receiver, m -> m instanceof ChildMessage.Ready, progress)).port();
                ChildMessage.Result sent = runSender(sender, port, payload, settings.warmupMillis(),
                        settings.windowMillis(), ownLimit, progress);
                Thread.sleep(IN_FLIGHT_MILLIS);
                receiver.requestStop();
                ChildMessage.Result received = (ChildMessage.Result) await(receiver,
                        m -> m instanceof ChildMessage.Result, progress);
                return sendMeasurement(sender, payload, mode, run, sent, received.number("received_total"));
            }
        } catch (IOException | ChildProcess.ChildFailure | RuntimeException e) {
            return Measurement.failed("send", sender.name(), sender.mechanism(), sender.role(), payload, mode.label(),
                    run, message(e));
        }
    }

    private ChildMessage.Result runSender(Contender<JavaSender> sender, int port, int payload, long warmup, long window,
                                          long ownLimit, RunProgress progress)
            throws IOException, ChildProcess.ChildFailure, InterruptedException {
        try (ChildProcess child = ChildProcess.start(sender.name() + " sender",
                launcher.sender(sender, port, payload, warmup, window, ownLimit), ownLimit + KILL_GRACE_MILLIS)) {
            return (ChildMessage.Result) await(child, m -> m instanceof ChildMessage.Result, progress);
        }
    }

    private static Measurement sendMeasurement(Contender<JavaSender> sender, int payload, SendMode mode, int run,
                                               ChildMessage.Result r, long receivedTotal) {
        return new Measurement("send", sender.name(), sender.mechanism(), sender.role(), payload, mode.label(), run,
                r.number("datagrams"), r.number("elapsed_ns"), r.number("cpu_ns"), r.number("sent_total"),
                receivedTotal, 0, 0, null);
    }

    /**
     * One receive-side run: the feeders blast at the receiver until the receiver's window is over.
     *
     * @param receiver the contender
     * @param feeder   the sender that feeds it
     * @param scenario how many feeders, how they spread, how many sockets the receiver reads
     * @param payload  payload bytes
     * @param settings timings
     * @param run      run index
     * @param progress the run's bar
     * @return the measurement, failed or not (its mode is the scenario's), and the receiver's split
     * @throws InterruptedException when the harness is interrupted
     */
    ReceiveRun receive(Contender<JavaReceiver> receiver, Contender<JavaSender> feeder, ReceiveScenario scenario,
                        int payload, BenchSettings settings, int run, RunProgress progress) throws InterruptedException {
        long ownLimit = settings.settleMillis() + settings.windowMillis() + 2 * STARTUP_ALLOWANCE_MILLIS;
        List<ChildProcess> feeders = new ArrayList<>();
        try (ChildProcess rx = ChildProcess.start(receiver.name() + " receiver",
                launcher.receiver(receiver, payload, settings.settleMillis(), settings.windowMillis(), ownLimit,
                        scenario.sockets()),
                ownLimit + KILL_GRACE_MILLIS)) {
            int port = ((ChildMessage.Ready) await(rx, m -> m instanceof ChildMessage.Ready, progress)).port();
            long sent = 0;
            long windowSent;
            try {
                // The feeders have no warm-up of their own and a window longer than needed: they
                // are stopped as soon as the receiver's window closes.
                for (int i = 0; i < scenario.feeders(); i++) {
                    feeders.add(ChildProcess.start(feeder.name() + " feeder",
                            launcher.sender(feeder, port, payload, 0, ownLimit, ownLimit, scenario.spread()),
                            ownLimit + KILL_GRACE_MILLIS));
                }
                await(rx, m -> m instanceof ChildMessage.Phase p && p.name().equals("window"), progress, feeders);
                progress.phase("window");
                long sentAtOpen = feeder.isNative() ? sentSoFar(feeders, progress) : -1;
                await(rx, m -> m instanceof ChildMessage.Phase p && p.name().equals("done"), progress, feeders);
                long sentAtClose = feeder.isNative() ? sentSoFar(feeders, progress) : -1;
                windowSent = sentAtOpen >= 0 ? sentAtClose - sentAtOpen : -1;
                feeders.forEach(ChildProcess::requestStop);
                for (ChildProcess tx : feeders) {
                    sent += ((ChildMessage.Result) await(tx, m -> m instanceof ChildMessage.Result, progress))
                            .number("sent_total");
                }
            } finally {
                feeders.forEach(ChildProcess::close);
            }
            Thread.sleep(IN_FLIGHT_MILLIS);
            rx.requestStop();
            ChildMessage.Result r = (ChildMessage.Result) await(rx, m -> m instanceof ChildMessage.Result, progress);
            List<Long> split = r.fields().get("split") instanceof List<?> counts
                    ? counts.stream().map(n -> ((Number) n).longValue()).toList() : List.of();
            return new ReceiveRun(new Measurement("receive", receiver.name(), receiver.mechanism(), receiver.role(),
                    payload, scenario.mode(), run, r.number("datagrams"), r.number("elapsed_ns"), r.number("cpu_ns"),
                    sent, r.number("received_total"), windowSent, Math.max(0, r.number("gc_count")),
                    Math.max(0, r.number("gc_ms")), null), split);
        } catch (IOException | ChildProcess.ChildFailure | RuntimeException e) {
            return new ReceiveRun(Measurement.failed("receive", receiver.name(), receiver.mechanism(), receiver.role(),
                    payload, scenario.mode(), run, message(e)), List.of());
        }
    }

    /**
     * Asks every C feeder what it has sent so far (it answers within a millisecond) and adds the
     * answers up: taken at both edges of the receiver's window, the difference is what was sent
     * during it.
     */
    private static long sentSoFar(List<ChildProcess> feeders, RunProgress progress)
            throws ChildProcess.ChildFailure, InterruptedException {
        feeders.forEach(ChildProcess::requestMark);
        long sum = 0;
        for (ChildProcess tx : feeders) {
            sum += ((ChildMessage.Mark) await(tx, m -> m instanceof ChildMessage.Mark, progress, feeders)).sent();
        }
        return sum;
    }

    /**
     * A receive run's outcome.
     *
     * @param measurement the figures, failed or not
     * @param split       the window's datagrams per socket or channel of the receiver, empty when it has one
     */
    record ReceiveRun(Measurement measurement, List<Long> split) {
    }

    /** Reads a child's messages until one matches, showing phases on the bar while waiting. */
    private static ChildMessage await(ChildProcess child, Predicate<ChildMessage> wanted, RunProgress progress)
            throws ChildProcess.ChildFailure, InterruptedException {
        return await(child, wanted, progress, List.of());
    }

    /** As above, and fails early when one of the {@code partners} (the other children of the run) dies meanwhile. */
    private static ChildMessage await(ChildProcess child, Predicate<ChildMessage> wanted, RunProgress progress,
                                      List<ChildProcess> partners) throws ChildProcess.ChildFailure, InterruptedException {
        while (true) {
            ChildMessage message = child.next(POLL_MILLIS);
            if (message == null) {
                progress.tick();
                for (ChildProcess partner : partners) {
                    partner.ensureRunning();
                }
                continue;
            }
            if (wanted.test(message)) {
                return message;
            }
            if (message instanceof ChildMessage.Phase phase) {
                progress.phase(phase.name());
            }
        }
    }

    private static String message(Exception e) {
        return e instanceof ChildProcess.ChildFailure || e.getMessage() != null && e instanceof IOException
                ? e.getMessage() : e.toString();
    }
}
