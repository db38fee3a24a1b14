package dev.salvo.bench.peer;

import dev.salvo.ChannelHandler;
import dev.salvo.ChannelOption;
import dev.salvo.DatagramChannel;
import dev.salvo.EventLoopGroup;
import dev.salvo.InboundDatagram;
import dev.salvo.TransportType;
import dev.salvo.bench.harness.JavaReceiver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Salvo as a benchmark receiver: one channel on one event loop, draining with {@code recvmmsg}
 * batches of 64, optionally with {@code UDP_GRO} (coalesced receives split back into datagrams
 * before the handler sees them). The handler only counts, touching each datagram's length.
 */
public final class SalvoReceiver implements JavaReceiver {
    private final boolean gro;
    private final int batch;
    private final boolean metadata;
    private final TransportType transport;
    private final AtomicLong received = new AtomicLong();
    private EventLoopGroup group;
    private DatagramChannel channel;
    private long count; // event-loop confined
    private long bytes; // event-loop confined, read so the JIT cannot drop the length
    private long stamps; // event-loop confined: the metadata row reads what it asked for

    /** @param gro whether to ask the kernel for GRO */
    public SalvoReceiver(boolean gro) {
        this(gro, 64);
    }

    /**
     * @param gro whether to ask the kernel for GRO
     * @param batch datagrams per {@code recvmmsg} call ({@code READ_BATCH_SIZE}); 1 costs what one
     *     {@code recvmsg} per datagram costs
     */
    public SalvoReceiver(boolean gro, int batch) {
        this(gro, batch, false, TransportType.EPOLL);
    }

    /**
     * @param gro whether to ask the kernel for GRO
     * @param batch datagrams per read call ({@code READ_BATCH_SIZE})
     * @param metadata whether to turn ECN, packet info and kernel timestamps on, and have the
     *     handler read each datagram's codepoint, destination, interface and timestamp
     */
    public SalvoReceiver(boolean gro, int batch, boolean metadata) {
        this(gro, batch, metadata, TransportType.EPOLL);
    }

    /**
     * @param gro whether to ask the kernel for GRO
     * @param batch datagrams per read call ({@code READ_BATCH_SIZE})
     * @param transport the transport the loop runs on
     */
    public SalvoReceiver(boolean gro, int batch, TransportType transport) {
        this(gro, batch, false, transport);
    }

    /**
     * @param gro whether to ask the kernel for GRO
     * @param batch datagrams per read call ({@code READ_BATCH_SIZE})
     * @param metadata whether to turn ECN, packet info and kernel timestamps on
     * @param transport the transport the loop runs on
     */
    public SalvoReceiver(boolean gro, int batch, boolean metadata, TransportType transport) {
        this.gro = gro;
        this.batch = batch;
        this.metadata = metadata;
        this.transport = transport;
    }

    @Override
    public InetSocketAddress open(InetSocketAddress bindAddress, int payloadSize) throws IOException {
        group = EventLoopGroup.create(1, transport);
        DatagramChannel.Builder b = DatagramChannel.builder(group)
                .option(ChannelOption.SO_RCVBUF, 4 << 20)
                .option(ChannelOption.READ_BATCH_SIZE, batch)
                .option(ChannelOption.MAX_DATAGRAM_SIZE, Math.max(payloadSize, 1))
                .handler(new ChannelHandler() {
                    @Override
                    public void onDatagram(DatagramChannel ch, InboundDatagram d) {
                        count++;
                        bytes += d.length();
                        if (metadata) {
                            stamps += d.timestampNanos() + d.interfaceIndex() + (d.ecn() == null ? 0 : 1)
                                    + (d.destination() == null ? 0 : 1);
                        }
                    }

                    @Override
                    public void onReadComplete(DatagramChannel ch) {
                        received.lazySet(count);
                    }
                });
        if (gro) {
            b.option(ChannelOption.UDP_GRO, true);
        }
        if (metadata) {
            b.option(ChannelOption.RECEIVE_ECN, true).option(ChannelOption.RECEIVE_PACKET_INFO, true)
                    .option(ChannelOption.RECEIVE_TIMESTAMP, true);
        }
        channel = b.bind(bindAddress);
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public long received() {
        return received.get();
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().completeOnTimeout(null, 2, TimeUnit.SECONDS).join();
        }
        if (group != null) {
            group.close();
        }
    }
}
