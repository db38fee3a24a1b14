package dev.salvo.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.salvo.DatagramChannel;
import dev.salvo.EventLoopGroup;
import dev.salvo.TransportType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The write engine driving the real FFM writer ({@code sendmsg}/{@code sendmmsg}) on loopback:
 * 100,000 datagrams with completions reach a plain JDK receiver intact and in order, and every
 * completion succeeds exactly once.
 */
class RealWriterIntegrationTest {
    private static final int DATAGRAMS = 100_000;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void hundredThousandDatagramsWithCompletionsArriveIntactAndInOrder() throws Exception {
        try (EventLoopGroup group = EventLoopGroup.create(1, TransportType.EPOLL);
             java.nio.channels.DatagramChannel plain = java.nio.channels.DatagramChannel.open()) {
            plain.setOption(StandardSocketOptions.SO_RCVBUF, 8 << 20);
            plain.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            InetSocketAddress to = (InetSocketAddress) plain.getLocalAddress();

            AtomicInteger received = new AtomicInteger();
            AtomicInteger corrupt = new AtomicInteger();
            Thread reader = Thread.ofPlatform().start(() -> {
                ByteBuffer buf = ByteBuffer.allocate(2048);
                try {
                    while (received.get() < DATAGRAMS) {
                        buf.clear();
                        plain.receive(buf);
                        buf.flip();
                        if (!matches(buf, received.get())) {
                            corrupt.incrementAndGet();
                        }
                        received.incrementAndGet();
                    }
                } catch (java.io.IOException e) {
                    // closed at the end of a failed run; the assertions below report it
                }
            });

            DatagramChannel tx = DatagramChannel.builder(group).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            AtomicIntegerArray completions = new AtomicIntegerArray(DATAGRAMS);
            AtomicInteger failures = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(DATAGRAMS);
            for (int i = 0; i < DATAGRAMS; i++) {
                int id = i;
                ByteBuffer payload = (i % 2 == 0) ? payload(i) : ByteBuffer.allocateDirect(payload(i).remaining()).put(payload(i)).flip();
                tx.write(payload, to, failure -> {
                    if (failure != null) {
                        failures.incrementAndGet();
                    }
                    completions.incrementAndGet(id);
                    done.countDown();
                });
                if (i % 64 == 63) {
                    tx.flush();
                    // UDP has no flow control: stay within what the receiver has read.
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    while (i + 1 - received.get() > 2048 && System.nanoTime() < deadline) {
                        Thread.sleep(1);
                    }
                }
            }
            tx.flush();
            assertTrue(done.await(60, TimeUnit.SECONDS), "every completion fired");
            reader.join(TimeUnit.SECONDS.toMillis(30));
            assertEquals(0, failures.get());
            for (int i = 0; i < DATAGRAMS; i++) {
                assertEquals(1, completions.get(i), "completion " + i);
            }
            assertEquals(DATAGRAMS, received.get());
            assertEquals(0, corrupt.get(), "datagrams intact and in order");
        }
    }

    private static ByteBuffer payload(int seq) {
        ByteBuffer b = ByteBuffer.allocate(8 + seq % 120);
        b.putInt(seq).putInt(~seq);
        while (b.hasRemaining()) {
            b.put((byte) (seq + b.position()));
        }
        return b.flip();
    }

    private static boolean matches(ByteBuffer got, int expectedSeq) {
        return got.equals(payload(expectedSeq));
    }
}
