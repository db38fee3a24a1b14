package dev.salvo.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.salvo.ChannelStats;
import dev.salvo.DatagramChannel;
import dev.salvo.EventLoopGroup;
import dev.salvo.TransportType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The counters behind {@link DatagramChannel#stats()} cost the receiving loop no allocation: the
 * whole channel read path (readiness, {@code ReadLoop}, reader, handler) is measured with the
 * loop thread's own allocation counter while a JDK socket feeds it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StatsAllocationTest {
    private static final int SIZE = 64;

    @Test
    void countingReceivedDatagramsAllocatesNothingOnTheLoop() throws Exception {
        try (EventLoopGroup probe = EventLoopGroup.create(1, TransportType.EPOLL)) {
            assumeTrue(probe != null);
        } catch (IllegalStateException e) {
            assumeTrue(false, "needs the epoll transport");
        }
        assumeTrue(allocatedBytes(Thread.currentThread().threadId()) >= 0, "no per-thread allocation counter");
        AtomicLong received = new AtomicLong();
        try (EventLoopGroup group = EventLoopGroup.create(1, TransportType.EPOLL);
             java.nio.channels.DatagramChannel feeder = java.nio.channels.DatagramChannel.open(StandardProtocolFamily.INET)) {
            DatagramChannel rx = DatagramChannel.builder(group).handler((ch, d) -> received.lazySet(received.get() + 1))
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketAddress to = rx.localAddress();
            CompletableFuture<Long> loopThread = new CompletableFuture<>();
            rx.eventLoop().execute(() -> loopThread.complete(Thread.currentThread().threadId()));
            long tid = loopThread.get(5, TimeUnit.SECONDS);
            ByteBuffer payload = ByteBuffer.allocateDirect(SIZE);

            // Steady state: the JIT (busy with other tests on a small machine) may take a while to
            // compile the read path; the claim is that some round after warming up allocates nothing.
            int measured = 20_000;
            java.util.List<Long> rounds = new java.util.ArrayList<>();
            long allocated = -1;
            for (int round = 0; round < 25; round++) {
                long before = allocatedBytes(tid);
                feed(feeder, payload, to, received, measured);
                allocated = allocatedBytes(tid) - before;
                rounds.add(allocated);
                if (round >= 1 && allocated < measured / 2) {
                    break;
                }
            }
            ChannelStats s = rx.stats();
            assertEquals(received.get(), s.datagramsRead());
            assertEquals(received.get() * SIZE, s.bytesRead());
            assertEquals(0, s.kernelDrops());
            double perDatagram = (double) allocated / measured;
            System.out.printf("receive loop: %d B over %d datagrams = %.4f B/datagram (rounds %s)%n", allocated, measured,
                    perDatagram, rounds);
            assertTrue(perDatagram < 0.5, "the loop allocated " + allocated + " B for " + measured
                    + " datagrams; bytes per round of " + measured + ": " + rounds);
            rx.close();
        }
    }

    /** Through reflection: the test classes are compiled into the module, which does not read java.management. */
    private static long allocatedBytes(long threadId) throws Exception {
        Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        return (long) Class.forName("com.sun.management.ThreadMXBean").getMethod("getThreadAllocatedBytes", long.class)
                .invoke(bean, threadId);
    }

    /** Sends {@code n} datagrams in bursts small enough for the default receive buffer, waiting for each. */
    private static void feed(java.nio.channels.DatagramChannel feeder, ByteBuffer payload, SocketAddress to,
                             AtomicLong received, int n) throws Exception {
        int burst = 64;
        for (int sent = 0; sent < n; sent += burst) {
            long target = received.get() + burst;
            for (int i = 0; i < burst; i++) {
                feeder.send(payload.clear(), to);
            }
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (received.get() < target) {
                if (System.nanoTime() > end) {
                    throw new AssertionError("datagrams lost on loopback: " + received.get() + " < " + target);
                }
                Thread.onSpinWait();
            }
        }
    }
}
