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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Salvo as a benchmark sender, written the way Salvo is fastest: all writes happen on the
 * channel's event loop (where a write without completion allocates nothing), one reused direct
 * buffer, and the loop pauses while the channel is unwritable. The {@link Mechanism} decides how
 * datagrams reach the kernel.
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
         * As {@link #VECTOR} (64 writes, one flush) with {@code GSO_AUTO} on: the writer coalesces
         * the equal datagrams into GSO messages inside the one {@code sendmmsg}.
         */
        AUTO_GSO
    }

    private static final int BATCH = 64;
    private static final int BATCHES_PER_TASK = 16;
    /** Largest GSO buffer: the UDP payload limit of one IPv4 datagram. */
    private static final int GSO_BYTES = 65_000;

    private final Mechanism mechanism;
    private final AtomicLong completed = new AtomicLong();
    private EventLoopGroup group;
    private DatagramChannel channel;
    private ByteBuffer payload;
    private InetSocketAddress target;
    private int perWrite;
    private WriteCompletion countWrite;
    private OutboundDatagram gsoDatagram;
    private volatile boolean running;
    private boolean scheduled; // event-loop confined
    private long reported;

    /** @param mechanism how to send */
    public SalvoSender(Mechanism mechanism) {
        this.mechanism = mechanism;
    }

    @Override
    public void open(InetSocketAddress target, int payloadSize) throws IOException {
        this.target = target;
        group = EventLoopGroup.create(1, TransportType.EPOLL);
        channel = DatagramChannel.builder(group)
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
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        perWrite = switch (mechanism) {
            case VECTOR, SCALAR, AUTO_GSO -> 1;
            case GSO -> Math.max(1, Math.min(BATCH, GSO_BYTES / payloadSize));
        };
        payload = ByteBuffer.allocateDirect(payloadSize * perWrite);
        int countPerCompletion = mechanism == Mechanism.GSO ? perWrite : BATCH;
        // Completions fire in queue order, so the batch's last write succeeding means the batch is out.
        countWrite = failure -> {
            if (failure == null) {
                completed.lazySet(completed.getPlain() + countPerCompletion);
            }
        };
        gsoDatagram = OutboundDatagram.of(payload, target).withSegmentSize(payloadSize);
        running = true;
        channel.eventLoop().execute(this::schedule);
    }

    private void schedule() {
        if (!scheduled && running) {
            scheduled = true;
            channel.eventLoop().execute(this::blast);
        }
    }

    private void blast() {
        scheduled = false;
        for (int round = 0; round < BATCHES_PER_TASK && running && channel.isWritable(); round++) {
            switch (mechanism) {
                case VECTOR, AUTO_GSO -> {
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
            }
        }
        if (channel.isWritable()) {
            schedule();
        }
    }

    @Override
    public int sendSome() {
        LockSupport.parkNanos(1_000_000);
        return delta();
    }

    private int delta() {
        long now = completed.get();
        int d = (int) (now - reported);
        reported = now;
        return d;
    }

    @Override
    public int finish() {
        running = false;
        CompletableFuture<Void> drained = new CompletableFuture<>();
        channel.eventLoop().execute(() -> drained.complete(null));
        drained.completeOnTimeout(null, 2, TimeUnit.SECONDS).join();
        return delta();
    }

    @Override
    public void close() {
        running = false;
        if (channel != null) {
            channel.close().completeOnTimeout(null, 2, TimeUnit.SECONDS).join();
        }
        if (group != null) {
            group.close();
        }
    }
}
