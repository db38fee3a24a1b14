package dev.salvo.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.salvo.ChannelOption;
import dev.salvo.DatagramChannel;
import dev.salvo.EventLoopGroup;
import dev.salvo.TransportType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Receive-buffer overflow on loopback: the receiver's loop is held busy while a burst arrives at a
 * small receive buffer, so the kernel drops what does not fit. The {@code SO_RXQ_OVFL} counter the
 * channel exposes ({@link DatagramChannel#kernelDrops()}) must equal the loss, sent − received.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReceiveOverflowFaultTest {
    private static final int BURST = 3_000;
    private static final SocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @Test
    void kernelDropCounterEqualsSentMinusReceived() throws Exception {
        assumeTrue(UnixBackPressureFaultTest.linuxEpoll(), "SO_RXQ_OVFL is read by the epoll transport");
        try (EventLoopGroup rxGroup = EventLoopGroup.create(1, TransportType.EPOLL);
             EventLoopGroup txGroup = EventLoopGroup.create(1, TransportType.EPOLL)) {
            SeqReceiver rx = new SeqReceiver(rxGroup, LOOPBACK, 16 * 1024);
            DatagramChannel tx = DatagramChannel.builder(txGroup).bind(LOOPBACK);
            SocketAddress to = rx.channel.localAddress();
            assertEquals(0, rx.channel.kernelDrops());

            burstWhileHeld(rx, tx, to);

            // The counter travels with received datagrams: one more, into the now empty buffer, brings the final value.
            assertEquals(null, Await.outcome(tx.writeAndFlush(dev.salvo.OutboundDatagram.of(
                    SeqReceiver.payload(BURST, 200), to))));
            assertTrue(Await.until(() -> rx.saw(BURST), 5_000), "the marker datagram arrives");
            long sent = BURST + 1;
            long received = rx.received();
            long drops = rx.channel.kernelDrops();
            assertTrue(drops > 0, "the burst must overflow a 16 KiB buffer (received " + received + ")");
            assertEquals(sent - received, drops, "kernelDrops() = sent - received");
            assertEquals(0, rx.duplicates());
            System.out.printf("receive overflow: sent %d, received %d, kernelDrops %d%n", sent, received, drops);
            tx.close();
            rx.close();
        }
    }

    /** Sends {@link #BURST} datagrams while the receiver's loop is held, then lets it read them all. */
    private static void burstWhileHeld(SeqReceiver rx, DatagramChannel tx, SocketAddress to) throws Exception {
        // Hold the receiver's loop so that nothing is read while the burst arrives.
        CountDownLatch release = Await.holdLoop(rx.channel.eventLoop());
        CompletableFuture<Void> last = null;
        for (int seq = 0; seq < BURST; seq++) {
            last = new CompletableFuture<>();
            tx.write(SeqReceiver.payload(seq, 200), to, Await.into(last));
        }
        tx.flush();
        Await.outcome(last); // all handed to the kernel (loopback delivers synchronously)
        release.countDown();
        rx.awaitQuiet(50, 5_000);
    }

    @Test
    void aTailDropWithNoDatagramBehindItIsCountedExactly() throws Exception {
        assumeTrue(UnixBackPressureFaultTest.linuxEpoll(), "the socket's drop counter is read by the epoll transport");
        try (EventLoopGroup rxGroup = EventLoopGroup.create(1, TransportType.EPOLL);
             EventLoopGroup txGroup = EventLoopGroup.create(1, TransportType.EPOLL)) {
            SeqReceiver rx = new SeqReceiver(rxGroup, LOOPBACK, 16 * 1024);
            DatagramChannel tx = DatagramChannel.builder(txGroup).bind(LOOPBACK);
            SocketAddress to = rx.channel.localAddress();
            burstWhileHeld(rx, tx, to);
            // No marker: every drop happened after the last datagram that was queued, so no received
            // datagram carries the final count; the socket's own counter must say it anyway.
            long received = rx.received();
            long drops = rx.channel.kernelDrops();
            assertTrue(drops > 0, "the burst must overflow a 16 KiB buffer (received " + received + ")");
            assertEquals(BURST - received, drops, "kernelDrops() = sent - received, with nothing sent after the drops");
            assertEquals(drops, rx.channel.stats().kernelDrops(), "stats() agrees");
            tx.close();
            rx.close();
        }
    }

    @Test
    void nioTransportSaysItCannotCountDrops() throws Exception {
        try (EventLoopGroup g = EventLoopGroup.create(1, TransportType.NIO)) {
            DatagramChannel ch = DatagramChannel.builder(g).option(ChannelOption.SO_RCVBUF, 16 * 1024).bind(LOOPBACK);
            assertEquals(-1, ch.kernelDrops());
        }
    }
}
