package dev.salvo.bench.peer;

import dev.salvo.bench.harness.JavaSender;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.socket.DatagramPacket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The Netty peer: an {@link EpollDatagramChannel} on its own event loop, written to the way Netty
 * is fastest. Batches of 64 {@link DatagramPacket}s (each a retained duplicate of one direct
 * buffer) are written and then flushed together, so Netty hands them to {@code sendmmsg}; the
 * loop stops while the channel is unwritable and resumes on the writability event.
 *
 * <p>All writing happens on the event loop, as a Netty application would do it: handing each
 * batch over from the driver thread would measure a thread hop instead. {@link #sendSome} only
 * waits a millisecond and reports what the loop completed meanwhile.
 */
public final class NettySender implements JavaSender {
    private static final int BATCH = 64;
    /** Batches per event-loop task, so the loop still gets to run its I/O and other tasks. */
    private static final int BATCHES_PER_TASK = 16;

    private final AtomicLong completed = new AtomicLong();
    private final ChannelFutureListener countBatch = future -> {
        if (future.isSuccess()) {
            completed.lazySet(completed.getPlain() + BATCH);
        }
    };
    private EventLoopGroup group;
    private Channel channel;
    private ByteBuf payload;
    private InetSocketAddress target;
    private volatile boolean running;
    private boolean scheduled; // event-loop confined
    private long reported;

    private final boolean ioUring;

    /** Creates a sender on Netty's epoll transport; {@link #open} starts the event loop. */
    public NettySender() {
        this(false);
    }

    /** @param ioUring whether to use Netty's io_uring transport instead of epoll */
    public NettySender(boolean ioUring) {
        this.ioUring = ioUring;
    }

    @Override
    public void open(InetSocketAddress target, int payloadSize) throws IOException {
        this.target = target;
        group = new MultiThreadIoEventLoopGroup(1, ioUring ? IoUringIoHandler.newFactory() : EpollIoHandler.newFactory());
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(ioUring ? IoUringDatagramChannel.class : EpollDatagramChannel.class)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                        if (ctx.channel().isWritable()) {
                            schedule();
                        }
                        ctx.fireChannelWritabilityChanged();
                    }
                });
        try {
            // The wildcard address, as the C and JDK senders get by not binding: a socket bound to
            // 127.0.0.1 makes every send validate its source address, which costs about 2% at 64 B.
            channel = bootstrap.bind(new InetSocketAddress(0)).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding", e);
        }
        payload = channel.alloc().directBuffer(payloadSize, payloadSize).writeZero(payloadSize);
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
            for (int i = 1; i < BATCH; i++) {
                channel.write(new DatagramPacket(payload.retainedDuplicate(), target), channel.voidPromise());
            }
            // Completions fire in write order, so the last packet's success means the batch is out.
            channel.writeAndFlush(new DatagramPacket(payload.retainedDuplicate(), target)).addListener(countBatch);
        }
        if (channel.isWritable()) {
            schedule();
        }
        // Otherwise channelWritabilityChanged resumes the loop once Netty has drained its buffer.
    }

    @Override
    public int sendSome() {
        LockSupport.parkNanos(1_000_000);
        return sendSomeDelta();
    }

    private int sendSomeDelta() {
        long now = completed.get();
        int delta = (int) (now - reported);
        reported = now;
        return delta;
    }

    @Override
    public int finish() {
        running = false;
        // A task queued behind the running blast completes after it: by then every batch it
        // wrote has been handed to sendmmsg and counted.
        channel.eventLoop().submit(() -> { }).awaitUninterruptibly(2, TimeUnit.SECONDS);
        return sendSomeDelta();
    }

    @Override
    public void close() {
        running = false;
        if (channel != null) {
            channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        }
        if (payload != null) {
            payload.release();
        }
    }
}
