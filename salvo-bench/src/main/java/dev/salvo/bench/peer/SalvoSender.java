package dev.salvo.bench.peer;

import dev.salvo.ChannelHandler;
import dev.salvo.ChannelOption;
import dev.salvo.DatagramChannel;
import dev.salvo.EventLoopGroup;
import dev.salvo.InboundDatagram;
import dev.salvo.OutboundDatagram;
import dev.salvo.TransportType;
import dev.salvo.WaterMark;
import dev.salvo.WriteCompletion;
import dev.salvo.bench.harness.JavaSender;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Salvo as a benchmark sender, written the way a Salvo application is fastest: all writes happen
 * on the channel's event loop (where a write without completion allocates nothing), one reused
 * direct buffer, and the loop pauses while the channel is unwritable. The {@link Mechanism}
 * decides how datagrams reach the kernel.
 *
 * <p>With more than one loop, each loop runs its own channel (its own socket) and sends on its
 * own, as an application scaling across cores would: nothing is shared between the loops but the
 * destination.
 */
public final class SalvoSender implements JavaSender {
    /** How the datagrams are handed to the kernel. */
    public enum Mechanism {
        /** 64 writes, then one flush: one {@code sendmmsg} per 64 datagrams. */
        VECTOR,
        /** A flush after every write: one {@code sendmsg} per datagram. */
        SCALAR,
        /** One write of up to 64 datagrams' worth of bytes with a GSO segment size: one kernel traversal per 64. */
        GSO,
        /**
         * Plain writes of equal-sized datagrams, flushed per {@value #AUTO_GSO_BATCH}, with {@code GSO_AUTO}
         * coalescing them inside the {@code sendmmsg} batch (each datagram keeps its completion).
         */
        AUTO_GSO
    }

    private static final int BATCH = 64;
    /** Batches per event-loop task, so the loop still gets to run its I/O and other tasks. */
    private static final int BATCHES_PER_TASK = 16;
    /** Writes per flush with automatic GSO: enough for several full GSO messages per sendmmsg. */
    static final int AUTO_GSO_BATCH = 1024;
    /** Largest GSO buffer: the UDP payload limit of one IPv4 datagram. */
    private static final int GSO_BYTES = 65_000;

    private final Mechanism mechanism;
    private final int loops;
    private final TransportType transport;
    private EventLoopGroup group;
    private Lane[] lanes = new Lane[0];
    private volatile boolean running;
    private long reported;

    /** @param mechanism how to send, on one event loop */
    public SalvoSender(Mechanism mechanism) {
        this(mechanism, 1);
    }

    /**
     * @param mechanism how to send
     * @param loops how many event loops (each with its own channel) send in parallel
     */
    public SalvoSender(Mechanism mechanism, int loops) {
        this(mechanism, loops, TransportType.EPOLL);
    }

    /**
     * @param mechanism how to send
     * @param loops how many event loops (each with its own channel) send in parallel
     * @param transport the transport the loops run on
     */
    public SalvoSender(Mechanism mechanism, int loops, TransportType transport) {
        if (loops < 1) {
            throw new IllegalArgumentException("loops must be at least 1, not " + loops);
        }
        this.mechanism = mechanism;
        this.loops = loops;
        this.transport = transport;
    }

    @Override
    public void open(InetSocketAddress target, int payloadSize) throws IOException {
        group = EventLoopGroup.create(loops, transport);
        lanes = new Lane[loops];
        running = true;
        for (int i = 0; i < loops; i++) {
            lanes[i] = new Lane(i, target, payloadSize);
        }
        for (Lane lane : lanes) {
            lane.start();
        }
    }

    /** One channel on one event loop, sending on its own. */
    private final class Lane {
        private final AtomicLong completed = new AtomicLong();
        private final DatagramChannel channel;
        private final ByteBuffer payload;
        private final InetSocketAddress target;
        private final WriteCompletion countWrite;
        private final OutboundDatagram gsoDatagram;
        private final Runnable blast = this::blast;
        private boolean scheduled; // event-loop confined

        Lane(int loop, InetSocketAddress target, int payloadSize) throws IOException {
            this.target = target;
            channel = DatagramChannel.builder(group)
                    .loop(loop)
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WaterMark(1 << 20, 4 << 20))
                    // Automatic GSO is on by default; only AUTO_GSO measures it, the others their own mechanism.
                    .option(ChannelOption.GSO_AUTO, mechanism == Mechanism.AUTO_GSO)
                    .handler(new ChannelHandler() {
                        @Override
                        public void onDatagram(DatagramChannel ch, InboundDatagram d) {
                        }

                        @Override
                        public void onWritabilityChanged(DatagramChannel ch, boolean writable) {
                            if (writable) {
                                schedule();
                            }
                        }
                    })
                    // Unbound, like the C and JDK senders: the kernel binds it to the wildcard address
                    // on the first send. A socket bound to 127.0.0.1 makes every send validate its
                    // source address (__ip_dev_find in the route lookup), about 2% of the kernel's
                    // time at 64 B.
                    .open(StandardProtocolFamily.INET);
            int perWrite = switch (mechanism) {
                case VECTOR, SCALAR, AUTO_GSO -> 1;
                case GSO -> Math.max(1, Math.min(BATCH, GSO_BYTES / payloadSize));
            };
            payload = ByteBuffer.allocateDirect(payloadSize * perWrite);
            int countPerCompletion = switch (mechanism) {
                case GSO -> perWrite;
                case AUTO_GSO -> AUTO_GSO_BATCH;
                case VECTOR, SCALAR -> BATCH;
            };
            // Completions fire in queue order, so the batch's last write succeeding means the batch is out.
            countWrite = failure -> {
                if (failure == null) {
                    completed.lazySet(completed.getPlain() + countPerCompletion);
                }
            };
            gsoDatagram = OutboundDatagram.of(payload, target).withSegmentSize(payloadSize);
        }

        void start() {
            channel.eventLoop().execute(this::schedule);
        }

        private void schedule() {
            if (!scheduled && running) {
                scheduled = true;
                channel.eventLoop().execute(blast);
            }
        }

        private void blast() {
            scheduled = false;
            for (int round = 0; round < BATCHES_PER_TASK && running && channel.isWritable(); round++) {
                switch (mechanism) {
                    case VECTOR -> {
                        for (int i = 1; i < BATCH; i++) {
                            channel.write(payload, target);
                        }
                        channel.write(payload, target, countWrite);
                        channel.flush();
                    }
                    case SCALAR -> {
                        for (int i = 1; i < BATCH; i++) {
                            channel.write(payload, target);
                            channel.flush();
                        }
                        channel.write(payload, target, countWrite);
                        channel.flush();
                    }
                    case GSO -> {
                        channel.write(gsoDatagram, countWrite);
                        channel.flush();
                    }
                    case AUTO_GSO -> {
                        for (int i = 1; i < AUTO_GSO_BATCH; i++) {
                            channel.write(payload, target);
                        }
                        channel.write(payload, target, countWrite);
                        channel.flush();
                    }
                }
            }
            if (channel.isWritable()) {
                schedule();
            }
            // Otherwise onWritabilityChanged resumes once the channel has drained.
        }

        /** Waits until the loop has run everything queued before: then every batch written is counted. */
        void drain() {
            CompletableFuture<Void> drained = new CompletableFuture<>();
            channel.eventLoop().execute(() -> drained.complete(null));
            drained.completeOnTimeout(null, 2, TimeUnit.SECONDS).join();
        }

        void close() {
            channel.close().completeOnTimeout(null, 2, TimeUnit.SECONDS).join();
        }
    }

    @Override
    public int sendSome() {
        LockSupport.parkNanos(1_000_000);
        return delta();
    }

    private int delta() {
        long now = 0;
        for (Lane lane : lanes) {
            now += lane.completed.get();
        }
        int d = (int) (now - reported);
        reported = now;
        return d;
    }

    @Override
    public int finish() {
        running = false;
        for (Lane lane : lanes) {
            lane.drain();
        }
        return delta();
    }

    @Override
    public void close() {
        running = false;
        for (Lane lane : lanes) {
            if (lane != null) {
                lane.close();
            }
        }
        if (group != null) {
            group.close();
        }
    }
}
