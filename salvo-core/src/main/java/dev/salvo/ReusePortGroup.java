package dev.salvo;

import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One address served by every loop of an {@link EventLoopGroup}: one {@code SO_REUSEPORT} channel
 * per loop, all bound to the same address, the kernel spreading incoming datagrams over them by a
 * hash of the sender's address and port (so one sender's datagrams stay on one channel, in order).
 * Made by {@link DatagramChannel.Builder#bindReusePort(SocketAddress)}.
 *
 * <pre>{@code
 * ReusePortGroup server = DatagramChannel.builder(group).handler(handler)
 *         .bindReusePort(new InetSocketAddress(5353));
 * server.channels().forEach(ch -> ...);  // channel i runs on loop i
 * server.close().join();
 * }</pre>
 *
 * @param channels the open channels, channel {@code i} on loop {@code i} of the group
 * @param localAddress the one address every channel is bound to (a port 0 resolved once, by the first)
 */
public record ReusePortGroup(List<DatagramChannel> channels, SocketAddress localAddress) {
    /**
     * Checks and copies the channels.
     *
     * @param channels the channels, at least one
     * @param localAddress their common address
     * @throws IllegalArgumentException when {@code channels} is empty
     * @throws NullPointerException when an argument is null
     */
    public ReusePortGroup {
        channels = List.copyOf(channels);
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("a reuse-port group needs at least one channel");
        }
        java.util.Objects.requireNonNull(localAddress, "localAddress");
    }

    /**
     * Sums the traffic counters of all channels; see {@link #channels()} for each one's own
     * {@link DatagramChannel#stats()}.
     *
     * @return the summed counters; the kernel drops are -1 only when no channel can tell
     */
    public ChannelStats stats() {
        long[] sum = new long[14];
        boolean dropsKnown = false;
        for (DatagramChannel ch : channels) {
            ChannelStats s = ch.stats();
            long[] v = {s.datagramsRead(), s.bytesRead(), Math.max(0, s.kernelDrops()), s.truncatedDatagrams(),
                s.datagramsWritten(), s.bytesWritten(), s.tooLargeFailures(), s.unreachableFailures(),
                s.prohibitedFailures(), s.refusedFailures(), s.offloadRefusedFailures(), s.otherWriteFailures(),
                s.coalescedSends(), s.coalescedDatagrams()};
            dropsKnown |= s.kernelDrops() >= 0;
            for (int i = 0; i < v.length; i++) {
                sum[i] += v[i];
            }
        }
        return new ChannelStats(sum[0], sum[1], dropsKnown ? sum[2] : -1, sum[3], sum[4], sum[5], sum[6], sum[7],
                sum[8], sum[9], sum[10], sum[11], sum[12], sum[13]);
    }

    /**
     * Closes every channel; the port is free for others once the future completes.
     *
     * @return completes when every channel has closed
     */
    public CompletableFuture<Void> close() {
        CompletableFuture<?>[] all = new CompletableFuture<?>[channels.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = channels.get(i).close();
        }
        return CompletableFuture.allOf(all);
    }
}
