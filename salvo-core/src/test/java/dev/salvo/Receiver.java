package dev.salvo;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A test peer: a Salvo channel that copies every datagram it receives into a queue. */
final class Receiver implements AutoCloseable {
    final DatagramChannel channel;
    final BlockingQueue<ReceivedDatagram> received = new LinkedBlockingQueue<>();
    final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();

    Receiver(EventLoopGroup group, SocketAddress bind) throws IOException {
        this.channel = DatagramChannel.builder(group)
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
                })
                .bind(bind);
    }

    SocketAddress address() {
        return channel.localAddress();
    }

    ReceivedDatagram take() throws InterruptedException {
        ReceivedDatagram d = received.poll(10, TimeUnit.SECONDS);
        if (d == null) {
            throw new AssertionError("no datagram within 10 s");
        }
        return d;
    }

    List<ReceivedDatagram> take(int n) throws InterruptedException {
        List<ReceivedDatagram> out = new ArrayList<>(n);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (out.size() < n) {
            long left = deadline - System.nanoTime();
            ReceivedDatagram d = left <= 0 ? null : received.poll(left, TimeUnit.NANOSECONDS);
            if (d == null) {
                throw new AssertionError("received " + out.size() + " of " + n + " datagrams within 20 s");
            }
            out.add(d);
        }
        return out;
    }

    @Override
    public void close() {
        channel.close().join();
    }
}
