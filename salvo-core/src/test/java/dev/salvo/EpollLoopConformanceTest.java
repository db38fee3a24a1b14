package dev.salvo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The loop conformance suite on the Linux epoll transport, plus what only it can show. */
class EpollLoopConformanceTest extends LoopConformanceSuite {
    @Override
    TransportType transport() {
        return TransportType.EPOLL;
    }

    @Test
    void whilePausedTheKernelBufferFillsAndDropsAreCountedExactly() throws Exception {
        AtomicInteger delivered = new AtomicInteger();
        DatagramChannel rx = DatagramChannel.builder(group)
                .option(ChannelOption.SO_RCVBUF, 4096)
                .option(ChannelOption.AUTO_READ, false)
                .handler((ch, d) -> delivered.incrementAndGet())
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        try {
            long dropsBefore = rx.kernelDrops();
            int sent = 500;
            send(rx.localAddress(), 0, sent);
            long drops = rx.kernelDrops() - dropsBefore;
            assertEquals(0, delivered.get(), "nothing is delivered while paused");
            assertTrue(drops > 0 && drops < sent, "a small receive buffer overflows while paused: " + drops + " drops");
            rx.setAutoRead(true);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (delivered.get() < sent - drops && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            Thread.sleep(50);
            assertEquals(sent - drops, delivered.get(), "what the kernel kept arrives on resume, the rest was counted");
            assertEquals(drops, rx.kernelDrops() - dropsBefore, "no drop after resuming");
        } finally {
            rx.close().join();
        }
    }
}
