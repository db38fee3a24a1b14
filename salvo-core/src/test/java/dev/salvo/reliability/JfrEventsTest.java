package dev.salvo.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.salvo.ChannelHandler;
import dev.salvo.ChannelOption;
import dev.salvo.ChannelStats;
import dev.salvo.DatagramChannel;
import dev.salvo.DatagramTooLargeException;
import dev.salvo.EventLoopGroup;
import dev.salvo.InboundDatagram;
import dev.salvo.TransportType;
import dev.salvo.WaterMark;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Salvo's JFR events and {@link DatagramChannel#stats()} on loopback, in one bounded run: a drop
 * burst into a small receive buffer that is not read meanwhile, a datagram longer than the
 * receiver's buffers (truncated), a datagram over UDP's limit (fails alone, too large), and a
 * water-mark crossing. The events must carry the counts that {@code stats()} reports.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JfrEventsTest {
    private static final int BURST = 3_000;
    private static final int PAYLOAD = 200;
    private static final SocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @TempDir
    Path dir;

    @Test
    void eventsAndStatsAgreeOnDropsTruncationsFailuresAndWritability() throws Exception {
        assumeTrue(UnixBackPressureFaultTest.linuxEpoll(), "SO_RXQ_OVFL is read by the epoll transport");
        Path file = dir.resolve("salvo.jfr");
        AtomicLong received = new AtomicLong();
        AtomicLong receivedBytes = new AtomicLong();
        try (Recording recording = new Recording();
             EventLoopGroup rxGroup = EventLoopGroup.create(1, TransportType.EPOLL);
             EventLoopGroup txGroup = EventLoopGroup.create(1, TransportType.EPOLL)) {
            for (String name : List.of("KernelDrops", "Truncation", "WriteFailure", "OffloadFallback", "WritabilityChanged")) {
                recording.enable("dev.salvo." + name);
            }
            recording.start();

            DatagramChannel rx = DatagramChannel.builder(rxGroup)
                    .option(ChannelOption.SO_RCVBUF, 16 * 1024)
                    .option(ChannelOption.MAX_DATAGRAM_SIZE, 512)
                    .handler(new ChannelHandler() {
                        @Override
                        public void onDatagram(DatagramChannel ch, InboundDatagram d) {
                            received.incrementAndGet();
                            receivedBytes.addAndGet(d.length());
                        }
                    })
                    .bind(LOOPBACK);
            DatagramChannel tx = DatagramChannel.builder(txGroup)
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WaterMark(1024, 4096))
                    .bind(LOOPBACK);
            SocketAddress to = rx.localAddress();

            // Hold the receiver's loop so that nothing is read while the burst arrives.
            CountDownLatch release = Await.holdLoop(rx.eventLoop());
            CompletableFuture<Void> last = null;
            for (int seq = 0; seq < BURST; seq++) {
                last = new CompletableFuture<>();
                tx.write(ByteBuffer.allocate(PAYLOAD), to, Await.into(last)); // queued unflushed: over the high mark
            }
            tx.flush();
            assertEquals(null, Await.outcome(last));
            release.countDown();
            assertTrue(Await.until(() -> rx.stats().datagramsRead() == received.get() && received.get() > 0, 5_000));
            Thread.sleep(100);

            // Over UDP's limit: fails alone, the channel stays open.
            Throwable tooLarge = Await.outcome(tx.writeAndFlush(dev.salvo.OutboundDatagram.of(ByteBuffer.allocate(70_000), to)));
            assertInstanceOf(DatagramTooLargeException.class, tooLarge);
            // Longer than the receiver's 512-byte buffers: cut, still delivered. It also carries the final drop count.
            long before = received.get();
            assertEquals(null, Await.outcome(tx.writeAndFlush(dev.salvo.OutboundDatagram.of(ByteBuffer.allocate(1_000), to))));
            assertTrue(Await.until(() -> received.get() == before + 1, 5_000), "the truncated datagram arrives");
            assertTrue(Await.until(() -> rx.stats().truncatedDatagrams() == 1, 5_000));

            ChannelStats rs = rx.stats();
            ChannelStats ts = tx.stats();
            long sent = BURST + 1;
            assertTrue(rs.kernelDrops() > 0, "the burst must overflow a 16 KiB buffer: " + rs);
            assertEquals(sent - received.get(), rs.kernelDrops(), "drops = sent - received: " + rs);
            assertEquals(rx.kernelDrops(), rs.kernelDrops());
            assertEquals(received.get(), rs.datagramsRead());
            assertEquals(receivedBytes.get(), rs.bytesRead());
            assertEquals(1, rs.truncatedDatagrams());
            assertEquals(sent, ts.datagramsWritten(), ts.toString());
            assertEquals((long) BURST * PAYLOAD + 1_000, ts.bytesWritten());
            assertEquals(1, ts.tooLargeFailures());
            assertEquals(1, ts.writeFailures());
            assertEquals(0, rs.writeFailures());

            tx.close().get(10, TimeUnit.SECONDS);
            rx.close().get(10, TimeUnit.SECONDS);
            recording.stop();
            recording.dump(file);
            assertTrue(Files.size(file) > 0);
            List<RecordedEvent> events = RecordingFile.readAllEvents(file);

            long drops = events.stream().filter(e -> e.getEventType().getName().equals("dev.salvo.KernelDrops"))
                    .mapToLong(e -> e.getLong("drops")).sum();
            assertEquals(rs.kernelDrops(), drops, "KernelDrops events add up to the drop counter");
            long maxTotal = events.stream().filter(e -> e.getEventType().getName().equals("dev.salvo.KernelDrops"))
                    .mapToLong(e -> e.getLong("total")).max().orElse(-1);
            assertEquals(rs.kernelDrops(), maxTotal);

            List<RecordedEvent> cut = named(events, "dev.salvo.Truncation");
            assertEquals(1, cut.size());
            assertEquals(1, cut.getFirst().getLong("datagrams"));
            assertEquals(String.valueOf(to), cut.getFirst().getString("channel"));

            List<RecordedEvent> failures = named(events, "dev.salvo.WriteFailure");
            assertEquals(1, failures.size(), failures.toString());
            RecordedEvent f = failures.getFirst();
            assertEquals("TOO_LARGE", f.getString("kind"));
            assertEquals(DatagramTooLargeException.class.getName(), f.getString("exception"));
            assertEquals(String.valueOf(to), f.getString("destination"));
            assertEquals(1, f.getLong("count"));

            List<RecordedEvent> flips = named(events, "dev.salvo.WritabilityChanged");
            // The burst crosses the marks once; the 70,000-byte datagram, queued alone, crosses them again.
            assertTrue(flips.size() >= 2 && flips.size() % 2 == 0, flips.toString());
            for (int i = 0; i < flips.size(); i++) {
                assertEquals(i % 2 == 1, flips.get(i).getBoolean("writable"), "flips alternate, unwritable first");
            }

            assertEquals(0, named(events, "dev.salvo.OffloadFallback").size());
            System.out.printf("jfr: rx %s%n     tx %s%n", rs, ts);
        }
    }

    private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name)).toList();
    }
}
