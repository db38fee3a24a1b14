package dev.salvo.cli;

import dev.salvo.ChannelHandler;
import dev.salvo.DatagramChannel;
import dev.salvo.InboundDatagram;

/**
 * Counts what {@code salvo sink} receives. Counting happens on the loop thread in plain fields;
 * once per read batch the totals are published to volatile fields that the printing thread reads,
 * so the per-datagram cost is two additions.
 */
final class SinkCounter implements ChannelHandler {
    /** An immutable reading of the counters. */
    record Snapshot(long datagrams, long bytes, long drops, long firstNanos, long lastNanos) {
        /** @return nanoseconds from the first to the last datagram's read batch */
        long spanNanos() {
            return datagrams == 0 ? 0 : lastNanos - firstNanos;
        }

        /** @return this reading with a newer drop count */
        Snapshot withDrops(long newer) {
            return new Snapshot(datagrams, bytes, newer, firstNanos, lastNanos);
        }
    }

    private final long expect;
    private final Runnable onExpectedReached;

    private long datagrams;
    private long bytes;
    private long firstNanos;
    private volatile Snapshot published = new Snapshot(0, 0, -1, 0, 0);
    private boolean reached;

    /**
     * @param expect stop once this many datagrams arrived or were dropped by the kernel; 0 for never
     * @param onExpectedReached called once, on the loop thread, when that happens
     */
    SinkCounter(long expect, Runnable onExpectedReached) {
        this.expect = expect;
        this.onExpectedReached = onExpectedReached;
    }

    /**
     * Publishes the channel's drop counter as it stands before anything arrived: 0 where the
     * transport counts drops, -1 (n/a) where it cannot, so the first per-second line says the same
     * as the later ones instead of "n/a" until the first read batch.
     *
     * @param channel the bound channel this counter handles
     */
    void attach(DatagramChannel channel) {
        published = new Snapshot(0, 0, channel.kernelDrops(), 0, 0);
    }

    @Override
    public void onDatagram(DatagramChannel channel, InboundDatagram datagram) {
        if (datagrams == 0) {
            firstNanos = System.nanoTime();
        }
        datagrams++;
        bytes += datagram.length();
    }

    @Override
    public void onReadComplete(DatagramChannel channel) {
        long drops = channel.kernelDrops();
        published = new Snapshot(datagrams, bytes, drops, firstNanos, System.nanoTime());
        // Dropped datagrams will never arrive: count them towards --expect or we would wait forever.
        if (!reached && expect > 0 && datagrams + Math.max(0, drops) >= expect) {
            reached = true;
            onExpectedReached.run();
        }
    }

    /** @return the totals as of the last read batch; any thread */
    Snapshot snapshot() {
        return published;
    }
}
