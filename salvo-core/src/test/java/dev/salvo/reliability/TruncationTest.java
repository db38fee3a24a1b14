package dev.salvo.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.salvo.ChannelOption;
import dev.salvo.DatagramChannel;
import dev.salvo.EventLoopGroup;
import dev.salvo.ReceivedDatagram;
import dev.salvo.TransportType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A datagram larger than the receive buffer is never passed off as whole: it arrives flagged
 * {@code truncated()}, holding its first bytes, and the channel counts it; a whole datagram after
 * it is not flagged.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TruncationTest {
    private static final int BUFFER = 512;

    @ParameterizedTest(name = "{0}, read batch {1}, {2}")
    @CsvSource({"127.0.0.1, 64, EPOLL", "127.0.0.1, 1, EPOLL", "::1, 64, EPOLL", "::1, 1, EPOLL",
        "127.0.0.1, 64, IO_URING", "::1, 1, IO_URING"})
    void aDatagramLargerThanTheBufferArrivesFlaggedWithItsFirstBytesAndIsCounted(String host, int batch,
            TransportType transport) throws Exception {
        assumeTrue(UnixBackPressureFaultTest.linuxEpoll(), "the epoll transport reports truncation");
        InetAddress address = InetAddress.getByName(host);
        LinkedBlockingQueue<ReceivedDatagram> got = new LinkedBlockingQueue<>();
        try (EventLoopGroup group = EventLoopGroup.create(1, transport);
             java.nio.channels.DatagramChannel tx = java.nio.channels.DatagramChannel.open(
                     address.getAddress().length == 4 ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6)) {
            DatagramChannel rx = DatagramChannel.builder(group)
                    .option(ChannelOption.MAX_DATAGRAM_SIZE, BUFFER)
                    .option(ChannelOption.READ_BATCH_SIZE, batch)
                    .handler((ch, d) -> got.add(d.copy()))
                    .bind(new InetSocketAddress(address, 0));
            byte[] big = new byte[1000];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) (i * 7 + 1);
            }
            tx.send(ByteBuffer.wrap(big), rx.localAddress());
            tx.send(ByteBuffer.wrap(new byte[] {42}), rx.localAddress());

            ReceivedDatagram cut = got.poll(10, TimeUnit.SECONDS);
            ReceivedDatagram whole = got.poll(10, TimeUnit.SECONDS);
            assertTrue(cut != null && whole != null, "both datagrams arrive");
            assertTrue(cut.truncated(), "the 1000-byte datagram is flagged");
            assertArrayEquals(Arrays.copyOf(big, BUFFER), cut.bytes(), "it holds the first " + BUFFER + " bytes");
            assertFalse(whole.truncated(), "the next, whole datagram is not flagged");
            assertArrayEquals(new byte[] {42}, whole.bytes());
            // The loop publishes its counters after the read event's handler calls: wait for them.
            assertTrue(Await.until(() -> rx.stats().truncatedDatagrams() == 1, 5_000),
                    "and the channel counted one, got " + rx.stats().truncatedDatagrams());
            rx.close().get(5, TimeUnit.SECONDS);
        }
    }
}
