package dev.salvo.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.salvo.DatagramChannel;
import dev.salvo.EventLoopGroup;
import dev.salvo.OutboundDatagram;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SalvoMetricsTest {

    @Test
    void metersFollowTheChannelsStats() throws Exception {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        int n = 10;
        CountDownLatch got = new CountDownLatch(n);
        try (EventLoopGroup group = EventLoopGroup.create(1)) {
            DatagramChannel rx = DatagramChannel.builder(group).handler((ch, d) -> got.countDown()).bind(loopback);
            DatagramChannel tx = DatagramChannel.builder(group).bind(loopback);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new SalvoMetrics().channel(rx, Tags.of("channel", "rx")).channel(tx, Tags.of("channel", "tx")).bindTo(registry);

            for (int i = 0; i < n; i++) {
                tx.write(ByteBuffer.allocate(100), rx.localAddress());
            }
            tx.flush();
            assertTrue(got.await(10, TimeUnit.SECONDS));
            // Over UDP's limit: one too-large failure on tx.
            tx.writeAndFlush(OutboundDatagram.of(ByteBuffer.allocate(70_000), rx.localAddress())).handle((v, t) -> null).join();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (counter(registry, "salvo.bytes", "rx", "direction", "in") < n * 100 && System.nanoTime() < end) {
                Thread.sleep(5);
            }

            assertEquals(n, counter(registry, "salvo.datagrams", "rx", "direction", "in"));
            assertEquals(n * 100, counter(registry, "salvo.bytes", "rx", "direction", "in"));
            assertEquals(n, counter(registry, "salvo.datagrams", "tx", "direction", "out"));
            assertEquals(n * 100, counter(registry, "salvo.bytes", "tx", "direction", "out"));
            assertEquals(0, counter(registry, "salvo.datagrams", "tx", "direction", "in"));
            assertEquals(1, counter(registry, "salvo.write.failures", "tx", "kind", "too_large"));
            assertEquals(0, counter(registry, "salvo.write.failures", "tx", "kind", "other"));
            assertEquals(0, counter(registry, "salvo.kernel.drops", "rx", null, null));
            assertEquals(0, counter(registry, "salvo.truncated", "rx", null, null));
            assertEquals(rx.stats().coalescedSends(), counter(registry, "salvo.gso.coalesced.sends", "rx", null, null));
            assertEquals(1.0, registry.get("salvo.writable").tags("channel", "tx").gauge().value());
            Gauge open = registry.get("salvo.open").tags("channel", "rx").gauge();
            assertEquals(1.0, open.value());
            rx.close().get(5, TimeUnit.SECONDS);
            assertEquals(0.0, open.value());
            assertEquals(n, counter(registry, "salvo.datagrams", "rx", "direction", "in"), "a closed channel keeps its counts");
            tx.close();
        }
    }

    private static double counter(SimpleMeterRegistry registry, String name, String channel, String key, String value) {
        var search = registry.get(name).tags("channel", channel);
        if (key != null) {
            search = search.tags(key, value);
        }
        FunctionCounter c = search.functionCounter();
        return c.count();
    }
}
