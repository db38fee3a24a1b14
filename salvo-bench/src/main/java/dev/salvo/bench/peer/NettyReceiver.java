package dev.salvo.bench.peer;

import dev.salvo.bench.harness.DatagramCounter;
import dev.salvo.bench.harness.JavaReceiver;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.util.ReferenceCountUtil;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Netty peer on the receive side: an {@link EpollDatagramChannel} (or an
 * {@link IoUringDatagramChannel}) whose handler counts and releases every {@code DatagramPacket},
 * in one of the set-ups of {@link Variant}; {@link #openSockets} binds many such channels on the
 * one loop for the many-sockets scenario.
 */
public final class NettyReceiver implements JavaReceiver {
    /** Datagrams per {@code recvmmsg} call in the {@link Variant#RECVMMSG} set-up. */
    static final int RECVMMSG_BATCH = 64;
    /** The largest datagram UDP GRO can hand over in one read. */
    static final int GRO_BUFFER = 65_536;

    /** How the channel is configured. */
    public enum Variant {
        /** Netty's defaults: one {@code recvmsg} per datagram into a 2 KiB buffer. */
        DEFAULT("netty", "epoll defaults -> recvmsg"),
        /**
         * {@code recvmmsg}: Netty only uses it when {@code MAX_DATAGRAM_PAYLOAD_SIZE} is set and the
         * receive buffer holds several datagrams of that size, else it silently stays on recvmsg.
         */
        RECVMMSG("netty/recvmmsg", "epoll MAX_DATAGRAM_PAYLOAD_SIZE -> recvmmsg x64"),
        /** {@code UDP_GRO}: the kernel coalesces a burst into one read, Netty splits it again. */
        GRO("netty/gro", "epoll UDP_GRO, 64 KiB buffer -> recvmsg"),
        /** Netty's io_uring transport with its defaults (it has no GRO). */
        IO_URING("netty/io_uring", "io_uring defaults -> RECVMSG SQEs");

        private final String contenderName;
        private final String mechanism;

        Variant(String contenderName, String mechanism) {
            this.contenderName = contenderName;
            this.mechanism = mechanism;
        }

        /** @return the registry name */
        public String contenderName() {
            return contenderName;
        }

        /** @return the mechanism shown in the table */
        public String mechanism() {
            return mechanism;
        }
    }

    private final Variant variant;
    private final DatagramCounter counter = new DatagramCounter();
    private EventLoopGroup group;
    private final List<Channel> channels = new ArrayList<>();

    /**
     * Creates a receiver; {@link #open} binds it.
     *
     * @param variant the set-up to use
     */
    public NettyReceiver(Variant variant) {
        this.variant = variant;
    }

    @Override
    public InetSocketAddress open(InetSocketAddress bindAddress, int payloadSize) throws IOException {
        group = newGroup();
        Channel channel = bind(bootstrap(payloadSize, JdkReceiver.RECEIVE_BUFFER), bindAddress);
        channels.add(channel);
        return (InetSocketAddress) channel.localAddress();
    }

    /**
     * Binds one channel per port on the group's one loop, each with its own handler (Netty
     * handlers are not shared unless marked so) adding to the one counter that loop writes.
     */
    @Override
    public void openSockets(InetSocketAddress first, int count, int payloadSize) throws IOException {
        if (group == null) {
            group = newGroup();
        }
        try {
            for (int i = 0; i < count; i++) {
                channels.add(bind(bootstrap(payloadSize, SalvoReceiver.MANY_SOCKETS_RCVBUF),
                        new InetSocketAddress(first.getAddress(), first.getPort() + i)));
            }
        } catch (IOException | RuntimeException e) {
            closeChannels();
            throw e;
        }
    }

    private EventLoopGroup newGroup() {
        return new MultiThreadIoEventLoopGroup(1, variant == Variant.IO_URING
                ? IoUringIoHandler.newFactory() : EpollIoHandler.newFactory());
    }

    private Bootstrap bootstrap(int payloadSize, int receiveBuffer) {
        boolean ioUring = variant == Variant.IO_URING;
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(ioUring ? IoUringDatagramChannel.class : EpollDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, receiveBuffer)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        counter.add(1);
                        ReferenceCountUtil.release(msg);
                    }
                });
        int slot = Math.max(payloadSize, 1);
        switch (variant) {
            case DEFAULT, IO_URING -> {
                if (payloadSize > 2048) { // Netty's default 2 KiB buffer would truncate larger datagrams
                    bootstrap.option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(payloadSize));
                }
            }
            case RECVMMSG -> bootstrap
                    .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, slot)
                    .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(slot * RECVMMSG_BATCH));
            case GRO -> bootstrap
                    .option(EpollChannelOption.UDP_GRO, true)
                    .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(GRO_BUFFER));
        }
        return bootstrap;
    }

    private static Channel bind(Bootstrap bootstrap, InetSocketAddress address) throws IOException {
        try {
            ChannelFuture bound = bootstrap.bind(address).await();
            if (!bound.isSuccess()) {
                Throwable cause = bound.cause();
                throw cause instanceof IOException io ? io : new IOException("could not bind " + address, cause);
            }
            return bound.channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding", e);
        }
    }

    private void closeChannels() {
        for (Channel channel : channels) {
            channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        channels.clear();
    }

    @Override
    public long received() {
        return counter.get();
    }

    @Override
    public void close() {
        closeChannels();
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        }
    }
}
