package dev.salvo.reliability;

import dev.salvo.ChannelHandler;
import dev.salvo.ChannelOption;
import dev.salvo.DatagramChannel;
import dev.salvo.EventLoopGroup;
import dev.salvo.InboundDatagram;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A receiving channel that checks sequence numbers itself: every datagram starts with a big-endian
 * int, and the receiver counts what arrived, which numbers came twice and which came after a
 * higher one. The sender's side of the test never tells it what to expect.
 */
final class SeqReceiver implements AutoCloseable {
    final DatagramChannel channel;
    private final BitSet seen = new BitSet();
    private final List<Integer> order = new ArrayList<>();
    private final List<Throwable> errors = new ArrayList<>();
    private long received;
    private long duplicates;
    private long reordered;
    private int highest = -1;

    SeqReceiver(EventLoopGroup group, SocketAddress bind, int receiveBuffer) throws IOException {
        this.channel = DatagramChannel.builder(group)
                .option(ChannelOption.SO_RCVBUF, receiveBuffer)
                .handler(new ChannelHandler() {
                    @Override
                    public void onDatagram(DatagramChannel ch, InboundDatagram d) {
                        ByteBuffer p = d.payload();
                        record(p.remaining() >= 4 ? p.getInt(p.position()) : -1);
                    }

                    @Override
                    public void onError(DatagramChannel ch, Throwable error) {
                        synchronized (SeqReceiver.this) {
                            errors.add(error);
                        }
                    }
                })
                .bind(bind);
    }

    private synchronized void record(int seq) {
        received++;
        order.add(seq);
        if (seq < 0) {
            return;
        }
        if (seen.get(seq)) {
            duplicates++;
        } else {
            seen.set(seq);
        }
        if (seq < highest) {
            reordered++;
        } else {
            highest = seq;
        }
        notifyAll();
    }

    synchronized long received() {
        return received;
    }

    synchronized long distinct() {
        return seen.cardinality();
    }

    synchronized long duplicates() {
        return duplicates;
    }

    synchronized long reordered() {
        return reordered;
    }

    synchronized boolean saw(int seq) {
        return seen.get(seq);
    }

    synchronized List<Integer> order() {
        return List.copyOf(order);
    }

    synchronized List<Throwable> errors() {
        return List.copyOf(errors);
    }

    /** Waits until {@code n} datagrams have arrived or {@code millis} have passed; returns how many arrived. */
    synchronized long awaitReceived(long n, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (received < n) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                break;
            }
            wait(left);
        }
        return received;
    }

    /** Waits until nothing has arrived for {@code quietMillis}, at most {@code maxMillis} in all. */
    long awaitQuiet(long quietMillis, long maxMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + maxMillis;
        long last = -1;
        while (System.currentTimeMillis() < end) {
            long now = received();
            if (now == last) {
                return now;
            }
            last = now;
            Thread.sleep(quietMillis);
        }
        return received();
    }

    /** @return a payload of {@code size} bytes (at least 4) starting with {@code seq} */
    static ByteBuffer payload(int seq, int size) {
        ByteBuffer b = ByteBuffer.allocate(Math.max(4, size));
        b.putInt(0, seq);
        return b;
    }

    @Override
    public void close() {
        channel.close();
    }
}
