package dev.salvo.offload;

import dev.salvo.ChannelHandler;
import dev.salvo.ChannelOption;
import dev.salvo.DatagramChannel;
import dev.salvo.EventLoopGroup;
import dev.salvo.InboundDatagram;
import dev.salvo.ReceivedDatagram;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A receiving test peer: a Salvo channel with the given options that copies every datagram it gets. */
final class Peer implements AutoCloseable {
    final DatagramChannel channel;
    final BlockingQueue<ReceivedDatagram> received = new LinkedBlockingQueue<>();
    final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();

    Peer(EventLoopGroup group, SocketAddress bind, Map<ChannelOption<Boolean>, Boolean> flags) throws IOException {
        DatagramChannel.Builder b = DatagramChannel.builder(group)
                .option(ChannelOption.SO_RCVBUF, 8 << 20)
                .handler(new ChannelHandler() {
                    @Override
                    public void onDatagram(DatagramChannel ch, InboundDatagram d) {
                        received.add(d.copy());
                    }

                    @Override
                    public void onError(DatagramChannel ch, Throwable error) {
                        errors.add(error);
                    }
                });
        flags.forEach(b::option);
        channel = b.bind(bind);
    }

    SocketAddress address() {
        return channel.localAddress();
    }

    /** @return the next {@code n} datagrams, failing after 10 s */
    List<ReceivedDatagram> take(int n) throws InterruptedException {
        List<ReceivedDatagram> out = new ArrayList<>(n);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (out.size() < n) {
            long left = deadline - System.nanoTime();
            ReceivedDatagram d = left <= 0 ? null : received.poll(left, TimeUnit.NANOSECONDS);
            if (d == null) {
                throw new AssertionError("received " + out.size() + " of " + n + " datagrams within 10 s");
            }
            out.add(d);
        }
        return out;
    }

    ReceivedDatagram take() throws InterruptedException {
        return take(1).getFirst();
    }

    /** @return a datagram arriving within {@code millis}, or null: for "nothing more arrives" checks */
    ReceivedDatagram poll(long millis) throws InterruptedException {
        return received.poll(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        channel.close().join();
    }
}
