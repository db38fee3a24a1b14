package dev.salvo.cli;

import dev.salvo.ChannelOption;
import dev.salvo.DatagramChannel;
import dev.salvo.EventLoopGroup;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code salvo sink}: receives datagrams, prints the receive rate and kernel drops once per second,
 * then the totals.
 */
@Command(name = "sink",
        mixinStandardHelpOptions = true,
        description = {
            "Receive datagrams on HOST:PORT and print, once per second, datagrams/s, bytes/s and the "
                    + "datagrams the kernel dropped in that second (the socket's own counter, SO_MEMINFO; n/a where the "
                    + "transport cannot tell).",
            "First prints 'listening on HOST:PORT' (port 0 picks a free port); at the end "
                    + "'received: N', 'bytes: N', 'drops: N', 'elapsed: S s', 'rate: R datagrams/s, G Gbit/s'.",
            "Stops after --duration, once --expect datagrams arrived (or were dropped), or on Ctrl-C."})
public final class SinkCommand implements Callable<Integer> {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    /**
     * How often --expect is checked against the kernel's drop counter between read batches: a burst
     * whose tail the kernel dropped leaves no datagram behind to trigger a read.
     */
    private static final long EXPECT_POLL = TimeUnit.MILLISECONDS.toNanos(50);

    @Spec
    CommandSpec spec;

    @Option(names = "--bind", required = true, paramLabel = "HOST:PORT",
            description = "Where to listen, e.g. 127.0.0.1:9000, [::1]:0, 0.0.0.0:9000.")
    String bind;

    @Option(names = "--duration", defaultValue = "10", paramLabel = "S",
            description = "Stop after S seconds (default: ${DEFAULT-VALUE}).")
    double durationSeconds;

    @Option(names = "--expect", paramLabel = "N",
            description = "Stop once N datagrams arrived or were dropped by the kernel; exit 1 if that never happens.")
    Long expect;

    @Option(names = "--rcvbuf", defaultValue = "8388608", paramLabel = "BYTES",
            description = "Requested SO_RCVBUF (default: ${DEFAULT-VALUE}; the kernel caps it at net.core.rmem_max).")
    int rcvbuf;

    @Option(names = "--max-size", defaultValue = "65535", paramLabel = "BYTES",
            description = "Largest datagram received whole, 1 to 65535 (default: ${DEFAULT-VALUE}).")
    int maxSize;

    private volatile StopSignal signal;

    /** Creates the command; picocli sets the options. */
    public SinkCommand() {
    }

    /** Stops a running sink as Ctrl-C does; for tests. */
    void requestStop() {
        StopSignal.request(signal);
    }

    /**
     * Receives until a stop condition, printing as it goes.
     *
     * @return 0 normally, 1 when --expect was not reached or the socket could not be bound, 2 for bad arguments
     */
    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        InetSocketAddress local;
        try {
            local = HostPort.parse(bind, true);
        } catch (HostPort.BadAddressException e) {
            return Report.usageError(err, "sink", "bad --bind: " + e.getMessage());
        }
        if (!(durationSeconds > 0 && durationSeconds <= 1e9)) {
            return Report.usageError(err, "sink", "--duration must be more than 0 seconds (how long to listen), got "
                    + Report.number(durationSeconds));
        }
        if (expect != null && expect < 1) {
            return Report.usageError(err, "sink", "--expect must be at least 1, got " + expect);
        }
        if (rcvbuf < 1) {
            return Report.usageError(err, "sink", "--rcvbuf must be a positive number of bytes, got " + rcvbuf);
        }
        if (maxSize < 1 || maxSize > 65_535) {
            return Report.usageError(err, "sink", "--max-size must be from 1 to 65535, got " + maxSize);
        }
        try (StopSignal stop = StopSignal.install("sink");
             EventLoopGroup group = EventLoopGroup.create(1)) {
            signal = stop;
            SinkCounter counter = new SinkCounter(expect == null ? 0 : expect, stop::wake);
            DatagramChannel channel;
            try {
                channel = DatagramChannel.builder(group)
                        .option(ChannelOption.SO_RCVBUF, rcvbuf)
                        .option(ChannelOption.MAX_DATAGRAM_SIZE, maxSize)
                        .handler(counter)
                        .bind(local);
            } catch (IOException | RuntimeException e) {
                return Report.failure(err, "sink", "cannot listen on " + HostPort.format(local) + ": " + e.getMessage());
            }
            counter.attach(channel);
            out.println("listening on " + HostPort.format(channel.localAddress()));
            out.println("transport: " + group.transportName());
            out.println("rcvbuf: " + receiveBuffer(channel));
            out.flush();
            boolean interrupted = receive(stop, counter, channel, out);
            channel.close().get(2, TimeUnit.SECONDS);
            // The counter's drops are as of its last read batch; the channel's are exact at close.
            SinkCounter.Snapshot total = counter.snapshot().withDrops(channel.kernelDrops());
            out.println("received: " + total.datagrams());
            out.println("bytes: " + total.bytes());
            out.println("drops: " + Report.drops(total.drops()));
            out.println("elapsed: " + Report.seconds(total.spanNanos()));
            out.println("rate: " + Report.rate(total.datagrams(), total.bytes(), total.spanNanos()));
            if (interrupted) {
                out.println("stopped: interrupted");
            }
            out.flush();
            long accounted = total.datagrams() + Math.max(0, total.drops());
            if (expect != null && accounted < expect && !interrupted) {
                return Report.failure(err, "sink", "expected " + expect + " datagrams but " + total.datagrams()
                        + " arrived (drops: " + Report.drops(total.drops()) + ") within " + durationSeconds + " s");
            }
            return 0;
        } catch (Exception e) {
            return Report.failure(err, "sink", "failed: " + e);
        } finally {
            signal = null;
        }
    }

    /** Prints one line per second until the duration ends, --expect is reached or a stop comes. @return whether stopped by a request */
    private boolean receive(StopSignal stop, SinkCounter counter, DatagramChannel channel, PrintWriter out) {
        long start = System.nanoTime();
        long deadline = start + (long) (durationSeconds * 1e9);
        long nextTick = start + SECOND;
        long second = 0;
        SinkCounter.Snapshot previous = counter.snapshot();
        long previousNanos = start;
        while (true) {
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                return false;
            }
            long wake = Math.min(nextTick, deadline);
            if (expect != null) {
                wake = Math.min(wake, now + EXPECT_POLL);
            }
            if (stop.await(wake - now)) {
                return stop.wasInterrupted();
            }
            if (expect != null && counter.snapshot().datagrams() + Math.max(0, channel.kernelDrops()) >= expect) {
                return false;
            }
            now = System.nanoTime();
            if (now - nextTick >= 0) {
                second++;
                SinkCounter.Snapshot s = counter.snapshot();
                long span = now - previousNanos;
                long datagrams = s.datagrams() - previous.datagrams();
                long bytes = s.bytes() - previous.bytes();
                String drops = s.drops() < 0 ? "n/a" : Long.toString(s.drops() - Math.max(0, previous.drops()));
                out.println(second + "s: " + perSecond(datagrams, span) + " datagrams/s, " + perSecond(bytes, span)
                        + " bytes/s, drops: " + drops);
                out.flush();
                previous = s;
                previousNanos = now;
                nextTick += SECOND;
            }
        }
    }

    private static long perSecond(long amount, long nanos) {
        return nanos <= 0 ? 0 : Math.round(amount * 1e9 / nanos);
    }

    private static String receiveBuffer(DatagramChannel channel) {
        try {
            return channel.getOption(ChannelOption.SO_RCVBUF) + " bytes (as the kernel reports it)";
        } catch (IOException | UnsupportedOperationException e) {
            return "unknown";
        }
    }
}
