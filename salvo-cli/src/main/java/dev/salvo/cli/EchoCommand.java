package dev.salvo.cli;

import dev.salvo.ChannelHandler;
import dev.salvo.ChannelOption;
import dev.salvo.DatagramChannel;
import dev.salvo.EventLoopGroup;
import dev.salvo.InboundDatagram;
import dev.salvo.WaterMark;
import dev.salvo.WriteCompletion;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code salvo echo}: sends every datagram back to its sender, flushing once per read batch. */
@Command(name = "echo",
        mixinStandardHelpOptions = true,
        description = {
            "Echo every datagram received on HOST:PORT back to its sender.",
            "First prints 'listening on HOST:PORT' (port 0 picks a free port); at the end "
                    + "'echoed: N', 'dropped: N' (not echoed because replies were backed up) and 'failed: N'.",
            "Runs until --duration ends or Ctrl-C."})
public final class EchoCommand implements Callable<Integer> {
    /** Payload bytes that may wait for the kernel; beyond that, echoes are dropped as a router would. */
    private static final int RING_BYTES = 4 * 1024 * 1024;
    private static final int RING_SLOTS = 64 * 1024;

    @Spec
    CommandSpec spec;

    @Option(names = "--bind", required = true, paramLabel = "HOST:PORT",
            description = "Where to listen, e.g. 127.0.0.1:7, [::1]:0, 0.0.0.0:9000.")
    String bind;

    @Option(names = "--duration", paramLabel = "S", description = "Stop after S seconds (default: run until Ctrl-C).")
    Double durationSeconds;

    private volatile StopSignal signal;

    /** Creates the command; picocli sets the options. */
    public EchoCommand() {
    }

    /** Stops a running echo server as Ctrl-C does; for tests. */
    void requestStop() {
        StopSignal.request(signal);
    }

    /**
     * Echoes until the duration ends or a stop comes.
     *
     * @return 0 normally, 1 when the socket could not be bound, 2 for bad arguments
     */
    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        InetSocketAddress local;
        try {
            local = HostPort.parse(bind, true);
        } catch (HostPort.BadAddressException e) {
            return Report.usageError(err, "echo", "bad --bind: " + e.getMessage());
        }
        if (durationSeconds != null && !(durationSeconds > 0 && durationSeconds <= 1e9)) {
            return Report.usageError(err, "echo", "--duration must be a positive number of seconds, got " + durationSeconds);
        }
        try (StopSignal stop = StopSignal.install("echo");
             EventLoopGroup group = EventLoopGroup.create(1)) {
            signal = stop;
            Echoer echoer = new Echoer();
            DatagramChannel channel;
            try {
                channel = DatagramChannel.builder(group)
                        .option(ChannelOption.SO_RCVBUF, 4 * 1024 * 1024)
                        .option(ChannelOption.SO_SNDBUF, 4 * 1024 * 1024)
                        .option(ChannelOption.MAX_DATAGRAM_SIZE, 65_535)
                        // The ring bounds what waits; writability events would only add noise.
                        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WaterMark(RING_BYTES, RING_BYTES))
                        .handler(echoer)
                        .bind(local);
            } catch (IOException | RuntimeException e) {
                return Report.failure(err, "echo", "cannot listen on " + HostPort.format(local) + ": " + e.getMessage());
            }
            out.println("listening on " + HostPort.format(channel.localAddress()));
            out.println("transport: " + group.transportName());
            out.flush();
            boolean interrupted;
            if (durationSeconds == null) {
                while (!stop.await(Long.MAX_VALUE)) {
                    // Only a stop ends an echo server without --duration.
                }
                interrupted = true;
            } else {
                interrupted = stop.await((long) (durationSeconds * 1e9));
            }
            // Closing fails replies still queued; they count as failed, and the counters are final after it.
            channel.close().get(2, TimeUnit.SECONDS);
            out.println("echoed: " + echoer.echoed);
            out.println("dropped: " + echoer.dropped);
            out.println("failed: " + echoer.failed);
            if (interrupted) {
                out.println("stopped: interrupted");
            }
            out.flush();
            return 0;
        } catch (Exception e) {
            return Report.failure(err, "echo", "failed: " + e);
        } finally {
            signal = null;
        }
    }

    /** The loop-side echo: copies each datagram into the ring and queues it back to its sender. */
    private static final class Echoer implements ChannelHandler {
        private final PayloadRing ring = new PayloadRing(RING_BYTES, RING_SLOTS);
        /** A second view of the ring whose position and limit frame each reply; the channel never moves it. */
        private final ByteBuffer reply = ring.memory().duplicate();
        private final WriteCompletion done = this::completed;
        long echoed;
        long dropped;
        long failed;

        @Override
        public void onDatagram(DatagramChannel channel, InboundDatagram datagram) {
            ByteBuffer in = datagram.payload();
            int length = in.remaining();
            int offset = ring.reserve(length);
            if (offset < 0) {
                dropped++; // replies are backed up; UDP may drop, and unbounded queues help nobody
                return;
            }
            ring.memory().put(offset, in, in.position(), length);
            reply.clear().position(offset).limit(offset + length);
            channel.write(reply, datagram.sender(), done);
        }

        @Override
        public void onReadComplete(DatagramChannel channel) {
            channel.flush(); // one flush per read batch: one sendmmsg for all its replies
        }

        private void completed(Throwable failure) {
            ring.release(); // completions come in queue order: this frees the oldest reply's bytes
            if (failure == null) {
                echoed++;
            } else {
                failed++;
            }
        }
    }
}
