package dev.salvo.bench.peer;

import dev.salvo.ChannelHandler;
import dev.salvo.ChannelOption;
import dev.salvo.DatagramChannel;
import dev.salvo.EventLoopGroup;
import dev.salvo.InboundDatagram;
import dev.salvo.ReusePortGroup;
import dev.salvo.TransportType;
import dev.salvo.bench.harness.JavaReceiver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Salvo as a benchmark receiver: one channel on one event loop, draining with {@code recvmmsg}
 * batches of 64, optionally with {@code UDP_GRO} (coalesced receives split back into datagrams
 * before the handler sees them). The handler only counts, touching each datagram's length.
 *
 * <p>Two more shapes: on {@code loops > 1} loops it binds a {@link ReusePortGroup} (one
 * {@code SO_REUSEPORT} channel per loop on one port; the group's one handler finds the channel's
 * tally by identity), and {@link #openSockets} binds many channels on one loop, each with its own
 * tally, for the many-sockets scenario.
 */
public final class SalvoReceiver implements JavaReceiver {
    /** Receive buffer per socket when one loop reads many: 1024 sockets of 4 MiB would be 4 GiB. */
    public static final int MANY_SOCKETS_RCVBUF = 256 << 10;

    private final boolean gro;
    private final int batch;
    private final boolean metadata;
    private final TransportType transport;
    private final int loops;
    private EventLoopGroup group;
    private final List<DatagramChannel> channels = new ArrayList<>();
    private volatile Tally[] tallies = new Tally[0];

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
        this(gro, batch, metadata, transport, 1);
    }

    /**
     * @param gro whether to ask the kernel for GRO
     * @param batch datagrams per read call ({@code READ_BATCH_SIZE})
     * @param metadata whether to turn ECN, packet info and kernel timestamps on
     * @param transport the transport the loops run on
     * @param loops event loops; above 1 the receiver binds a {@link ReusePortGroup} of that many channels
     */
    public SalvoReceiver(boolean gro, int batch, boolean metadata, TransportType transport, int loops) {
        if (loops < 1) {
            throw new IllegalArgumentException("loops must be at least 1, not " + loops);
        }
        this.gro = gro;
        this.batch = batch;
        this.metadata = metadata;
        this.transport = transport;
        this.loops = loops;
    }

    @Override
    public InetSocketAddress open(InetSocketAddress bindAddress, int payloadSize) throws IOException {
        group = EventLoopGroup.create(loops, transport);
        if (loops == 1) {
            Tally tally = new Tally();
            channels.add(builder(payloadSize, 4 << 20, tally).bind(bindAddress));
            tallies = new Tally[] {tally};
        } else {
            ReusePortGroup ports = builder(payloadSize, 4 << 20, new ByChannel()).bindReusePort(bindAddress);
            Tally[] each = new Tally[ports.channels().size()];
            for (int i = 0; i < each.length; i++) {
                each[i] = new Tally();
                each[i].channel = ports.channels().get(i);
            }
            channels.addAll(ports.channels());
            tallies = each;
        }
        return (InetSocketAddress) channels.getFirst().localAddress();
    }

    @Override
    public void openSockets(InetSocketAddress first, int count, int payloadSize) throws IOException {
        if (loops != 1) {
            throw new UnsupportedOperationException("many sockets are read by one loop, not " + loops);
        }
        if (group == null) {
            group = EventLoopGroup.create(1, transport);
        }
        Tally[] each = new Tally[count];
        try {
            for (int i = 0; i < count; i++) {
                each[i] = new Tally();
                channels.add(builder(payloadSize, MANY_SOCKETS_RCVBUF, each[i])
                        .bind(new InetSocketAddress(first.getAddress(), first.getPort() + i)));
            }
        } catch (IOException | RuntimeException e) {
            closeChannels();
            throw e;
        }
        tallies = each;
    }

    private DatagramChannel.Builder builder(int payloadSize, int receiveBuffer, ChannelHandler handler) {
        DatagramChannel.Builder b = DatagramChannel.builder(group)
                .option(ChannelOption.SO_RCVBUF, receiveBuffer)
                .option(ChannelOption.READ_BATCH_SIZE, batch)
                .option(ChannelOption.MAX_DATAGRAM_SIZE, Math.max(payloadSize, 1))
                .handler(handler);
        if (gro) {
            b.option(ChannelOption.UDP_GRO, true);
        }
        if (metadata) {
            b.option(ChannelOption.RECEIVE_ECN, true).option(ChannelOption.RECEIVE_PACKET_INFO, true)
                    .option(ChannelOption.RECEIVE_TIMESTAMP, true);
        }
        return b;
    }

    /** One channel's count, kept by its loop thread only and published per read batch. */
    private final class Tally implements ChannelHandler {
        private final AtomicLong received = new AtomicLong();
        private DatagramChannel channel; // set once before any datagram can arrive (reuse-port groups only)
        private long count; // event-loop confined
        private long bytes; // event-loop confined, read so the JIT cannot drop the length
        private long stamps; // event-loop confined: the metadata row reads what it asked for

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
    }

    /**
     * The one handler of a reuse-port group: hands each event to its channel's tally, so no two
     * loop threads ever write the same counter. The feeders start only after the group is bound.
     */
    private final class ByChannel implements ChannelHandler {
        @Override
        public void onDatagram(DatagramChannel ch, InboundDatagram d) {
            tallyOf(ch).onDatagram(ch, d);
        }

        @Override
        public void onReadComplete(DatagramChannel ch) {
            tallyOf(ch).onReadComplete(ch);
        }

        private Tally tallyOf(DatagramChannel ch) {
            for (Tally t : tallies) {
                if (t.channel == ch) {
                    return t;
                }
            }
            throw new IllegalStateException("a datagram arrived on a channel of no tally: " + ch);
        }
    }

    @Override
    public long received() {
        long sum = 0;
        for (Tally t : tallies) {
            sum += t.received.get();
        }
        return sum;
    }

    @Override
    public long[] receivedPerSocket() {
        Tally[] all = tallies;
        long[] counts = new long[all.length];
        for (int i = 0; i < all.length; i++) {
            counts[i] = all[i].received.get();
        }
        return counts;
    }

    private void closeChannels() {
        for (DatagramChannel channel : channels) {
            channel.close().completeOnTimeout(null, 2, TimeUnit.SECONDS).join();
        }
        channels.clear();
    }

    @Override
    public void close() {
        closeChannels();
        if (group != null) {
            group.close();
        }
    }
}
