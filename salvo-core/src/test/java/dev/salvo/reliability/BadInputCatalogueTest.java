package dev.salvo.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.salvo.AbstractUnixAddress;
import dev.salvo.AddressMismatchException;
import dev.salvo.ChannelClosedException;
import dev.salvo.ChannelOption;
import dev.salvo.ConnectedWhilePendingException;
import dev.salvo.DatagramChannel;
import dev.salvo.DatagramTooLargeException;
import dev.salvo.Ecn;
import dev.salvo.EventLoopGroup;
import dev.salvo.NotConnectedException;
import dev.salvo.OutboundDatagram;
import dev.salvo.TransportType;
import dev.salvo.UnsupportedAddressException;
import dev.salvo.WaterMark;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A catalogue of bad input, each tried on both transports: every case must end in a typed,
 * descriptive error (or, for legal oddities such as an empty datagram, in success), and afterwards
 * the channel (unless the case closed it) and its event loop must still work.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BadInputCatalogueTest {
    private static final InetAddress LO4 = InetAddress.getLoopbackAddress();
    private EventLoopGroup group;
    private SeqReceiver rx;
    private final AtomicInteger seq = new AtomicInteger(1_000_000);

    private void start(TransportType type) throws IOException {
        if (type == TransportType.EPOLL) {
            assumeTrue(UnixBackPressureFaultTest.linuxEpoll(), "the epoll transport is not available here");
        }
        group = EventLoopGroup.create(1, type);
        rx = new SeqReceiver(group, new InetSocketAddress(LO4, 0), 1 << 20);
    }

    @AfterEach
    void stop() {
        if (group != null) {
            group.close();
        }
    }

    private DatagramChannel sender() throws IOException {
        return DatagramChannel.builder(group).bind(new InetSocketAddress(LO4, 0));
    }

    /** The channel still sends, and its loop still runs. */
    private void assertSurvives(DatagramChannel ch) throws Exception {
        assertTrue(ch.isOpen(), "the channel stays open");
        int s = seq.incrementAndGet();
        assertNull(Await.outcome(ch.writeAndFlush(OutboundDatagram.of(SeqReceiver.payload(s, 16), rx.channel.localAddress()))));
        assertTrue(Await.until(() -> rx.saw(s), 5_000), "a good datagram still arrives");
    }

    /** The loop still runs channels (for cases that closed theirs). */
    private void assertLoopSurvives() throws Exception {
        assertSurvives(sender());
    }

    private static CompletableFuture<Void> write(DatagramChannel ch, ByteBuffer p, SocketAddress to) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        ch.write(p, to, Await.into(f));
        ch.flush();
        return f;
    }

    private static <T extends Throwable> T assertDescribed(Class<T> type, Throwable t, String... words) {
        T e = assertInstanceOf(type, t);
        for (String w : words) {
            assertTrue(e.getMessage() != null && e.getMessage().contains(w), "'" + e.getMessage() + "' should mention " + w);
        }
        return e;
    }

    // 1
    @ParameterizedTest
    @EnumSource(value = TransportType.class, names = {"EPOLL", "IO_URING", "NIO"})
    void nullPayloadAndNullDatagramAreRejectedByName(TransportType type) throws Exception {
        start(type);
        DatagramChannel ch = sender();
        assertDescribed(NullPointerException.class,
                assertThrows(NullPointerException.class, () -> ch.write((ByteBuffer) null, rx.channel.localAddress())), "payload");
        assertDescribed(NullPointerException.class,
                assertThrows(NullPointerException.class, () -> ch.write((MemorySegment) null, rx.channel.localAddress(), null)), "payload");
        assertThrows(NullPointerException.class, () -> ch.write((OutboundDatagram) null));
        assertDescribed(NullPointerException.class,
                assertThrows(NullPointerException.class, () -> OutboundDatagram.of(null, rx.channel.localAddress())), "payload");
        assertSurvives(ch);
    }

    // 2
    @ParameterizedTest
    @EnumSource(value = TransportType.class, names = {"EPOLL", "IO_URING", "NIO"})
    void nullAddressOnAnUnconnectedChannelFailsThatWriteWithNotConnected(TransportType type) throws Exception {
        start(type);
        DatagramChannel ch = sender();
        assertInstanceOf(NotConnectedException.class, Await.outcome(write(ch, ByteBuffer.allocate(8), null)));
        assertSurvives(ch);
    }

    // 3
    @ParameterizedTest
    @EnumSource(value = TransportType.class, names = {"EPOLL", "IO_URING", "NIO"})
    void datagramOneByteOverTheUdpMaximumFailsAloneAndTheLargestLegalOneArrives(TransportType type) throws Exception {
        start(type);
        rx.channel.setOption(ChannelOption.MAX_DATAGRAM_SIZE, 65_535);
        DatagramChannel ch = sender();
        ByteBuffer largest = SeqReceiver.payload(1, 65_507); // 65535 - 20 (IPv4) - 8 (UDP)
        ByteBuffer over = SeqReceiver.payload(2, 65_508);
        CompletableFuture<Void> a = new CompletableFuture<>();
        CompletableFuture<Void> b = new CompletableFuture<>();
        ch.write(largest, rx.channel.localAddress(), Await.into(a));
        ch.write(over, rx.channel.localAddress(), Await.into(b));
        ch.flush();
        assertNull(Await.outcome(a));
        DatagramTooLargeException e = assertDescribed(DatagramTooLargeException.class, Await.outcome(b));
        assertEquals(rx.channel.localAddress(), e.destination());
        assertTrue(Await.until(() -> rx.saw(1), 5_000));
        assertSurvives(ch);
    }

    // 4
    @ParameterizedTest
    @EnumSource(value = TransportType.class, names = {"EPOLL", "IO_URING", "NIO"})
    void emptyDatagramIsLegalAndArrivesEmpty(TransportType type) throws Exception {
        start(type);
        DatagramChannel ch = sender();
        long before = rx.received();
        assertNull(Await.outcome(write(ch, ByteBuffer.allocate(0), rx.channel.localAddress())));
        assertTrue(Await.until(() -> rx.received() == before + 1, 5_000));
        assertEquals(-1, rx.order().getLast(), "delivered with no bytes");
        assertSurvives(ch);
    }

    // 5
    @ParameterizedTest
    @EnumSource(value = TransportType.class, names = {"EPOLL", "IO_URING", "NIO"})
    void unresolvedAddressFailsThatWriteWithUnsupportedAddress(TransportType type) throws Exception {
        start(type);
        DatagramChannel ch = sender();
        SocketAddress unresolved = InetSocketAddress.createUnresolved("no-such-host.invalid", 9);
        UnsupportedAddressException e = assertDescribed(UnsupportedAddressException.class,
                Await.outcome(write(ch, ByteBuffer.allocate(8), unresolved)), "unresolved");
        assertEquals(unresolved, e.destination());
        assertSurvives(ch);
    }

    // 6
    @ParameterizedTest
    @EnumSource(value = TransportType.class, names = {"EPOLL", "IO_URING", "NIO"})
    void ipv6DestinationOnAnIpv4SocketFailsThatWrite(TransportType type) throws Exception {
        start(type);
        DatagramChannel ch = sender();
        SocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 9);
        assertDescribed(UnsupportedAddressException.class, Await.outcome(write(ch, ByteBuffer.allocate(8), v6)), "IPv6");
        assertSurvives(ch);
    }

    // 7
    @ParameterizedTest
    @EnumSource(value = TransportType.class, names = {"EPOLL", "IO_URING", "NIO"})
    void ipv4DestinationOnAnIpv6OnlySocketFailsThatWriteOrTheOptionIsRefused(TransportType type) throws Exception {
        start(type);
        DatagramChannel.Builder b = DatagramChannel.builder(group);
        DatagramChannel ch;
        try {
            ch = b.option(ChannelOption.IPV6_ONLY, true).bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
        } catch (UnsupportedOperationException refused) {
            assertTrue(refused.getMessage().contains("IPV6_ONLY"), refused.getMessage());
            assertLoopSurvives();
            return;
        }
        assertTrue(ch.getOption(ChannelOption.IPV6_ONLY));
        Throwable t = Await.outcome(write(ch, ByteBuffer.allocate(8), rx.channel.localAddress()));
        assertTrue(t instanceof dev.salvo.DatagramWriteException, "typed failure, got " + t);
        assertTrue(ch.isOpen());
        assertLoopSurvives();
    }

    // 8
    @ParameterizedTest
    @EnumSource(value = TransportType.class, names = {"EPOLL", "IO_URING", "NIO"})
    void writeAndFlushAfterCloseFailWithChannelClosedAndDoNotThrow(TransportType type) throws Exception {
        start(type);
        DatagramChannel ch = sender();
        ch.close().get(10, TimeUnit.SECONDS);
        assertDescribed(ChannelClosedException.class, Await.outcome(write(ch, ByteBuffer.allocate(8), rx.channel.localAddress())),
                "close");
        ch.flush(); // nothing to do, nothing thrown
        ch.write(ByteBuffer.allocate(8), rx.channel.localAddress()); // fire-and-forget after close: counted, not thrown
        assertTrue(Await.until(() -> ch.failedUntrackedWrites() == 1, 5_000));
        assertThrows(ChannelClosedException.class, () -> ch.setOption(ChannelOption.SO_SNDBUF, 65_536));
        assertThrows(ChannelClosedException.class, () -> ch.connect(rx.channel.localAddress()));
        assertLoopSurvives();
    }

    // 9
    @ParameterizedTest
    @EnumSource(value = TransportType.class, names = {"EPOLL", "IO_URING", "NIO"})
    void doubleCloseIsIdempotentAndReturnsTheSameFuture(TransportType type) throws Exception {
        start(type);
        DatagramChannel ch = sender();
        CompletableFuture<Void> first = ch.close();
        CompletableFuture<Void> second = ch.close();
        assertSame(first, second);
        first.get(10, TimeUnit.SECONDS);
        assertSame(first, ch.close());
        assertFalse(ch.isOpen());
        assertLoopSurvives();
    }

    // 10
    @ParameterizedTest
    @EnumSource(value = TransportType.class, names = {"EPOLL", "IO_URING", "NIO"})
    void closeFromInsideACompletionFailsTheRestOnceEach(TransportType type) throws Exception {
        start(type);
        DatagramChannel ch = sender();
        int n = 20;
        AtomicIntegerArray calls = new AtomicIntegerArray(n);
        List<Throwable> failures = new ArrayList<>(java.util.Collections.nCopies(n, null));
        CompletableFuture<Void> all = new CompletableFuture<>();
        AtomicInteger done = new AtomicInteger();
        ch.eventLoop().execute(() -> {
            for (int i = 0; i < n; i++) {
                int id = i;
                ch.write(SeqReceiver.payload(i, 16), rx.channel.localAddress(), failure -> {
                    calls.incrementAndGet(id);
                    failures.set(id, failure);
                    if (id == 4) {
                        ch.close(); // re-entrant close from a completion
                        ch.write(ByteBuffer.allocate(4), rx.channel.localAddress()); // and a write after it
                    }
                    if (done.incrementAndGet() == n) {
                        all.complete(null);
                    }
                });
            }
            ch.flush();
        });
        all.get(10, TimeUnit.SECONDS);
        Thread.sleep(50);
        for (int i = 0; i < n; i++) {
            assertEquals(1, calls.get(i), "write " + i + " completes exactly once");
        }
        for (int i = 0; i <= 4; i++) {
            assertNull(failures.get(i), "write " + i + " was sent before the close");
        }
        // Writes after the closing completion either went out in the same sendmmsg or fail as closed.
        for (int i = 5; i < n; i++) {
            Throwable f = failures.get(i);
            assertTrue(f == null || f instanceof ChannelClosedException, "write " + i + ": " + f);
        }
        assertFalse(ch.isOpen());
        ch.closeFuture().get(10, TimeUnit.SECONDS);
        assertLoopSurvives();
    }

    // 11
    @ParameterizedTest
    @EnumSource(value = TransportType.class, names = {"EPOLL", "IO_URING", "NIO"})
    void otherDestinationOnAConnectedChannelFailsWithAddressMismatch(TransportType type) throws Exception {
        start(type);
        DatagramChannel ch = DatagramChannel.builder(group).connect(rx.channel.localAddress());
        SocketAddress other = new InetSocketAddress(LO4, 9);
        AddressMismatchException e = assertInstanceOf(AddressMismatchException.class,
                Await.outcome(write(ch, ByteBuffer.allocate(8), other)));
        assertEquals(other, e.destination());
        assertSurvives(ch);
        // The connected peer may be named explicitly, or left out.
        assertNull(Await.outcome(write(ch, SeqReceiver.payload(seq.incrementAndGet(), 8), null)));
    }

    // 12
    @ParameterizedTest
    @EnumSource(value = TransportType.class, names = {"EPOLL", "IO_URING", "NIO"})
    void connectWithWritesStillQueuedFailsThemWithConnectedWhilePending(TransportType type) throws Exception {
        start(type);
        DatagramChannel ch = sender();
        CompletableFuture<Void> queued = new CompletableFuture<>();
        CompletableFuture<Void> connected = new CompletableFuture<>();
        ch.eventLoop().execute(() -> {
            ch.write(ByteBuffer.allocate(8), new InetSocketAddress(LO4, 9), Await.into(queued)); // not flushed
            try {
                ch.connect(rx.channel.localAddress());
                connected.complete(null);
            } catch (IOException e) {
                connected.completeExceptionally(e);
            }
        });
        assertNull(Await.outcome(connected));
        assertDescribed(ConnectedWhilePendingException.class, Await.outcome(queued));
        assertSurvives(ch);
    }

    // 13
    @ParameterizedTest
    @EnumSource(value = TransportType.class, names = {"EPOLL", "IO_URING", "NIO"})
    void invalidOptionValuesAreRefusedWithTheOptionNameAndRange(TransportType type) throws Exception {
        start(type);
        DatagramChannel ch = sender();
        assertDescribed(IllegalArgumentException.class,
                assertThrows(IllegalArgumentException.class, () -> ch.setOption(ChannelOption.SO_RCVBUF, -1)), "SO_RCVBUF");
        assertDescribed(IllegalArgumentException.class,
                assertThrows(IllegalArgumentException.class, () -> ch.setOption(ChannelOption.READ_BATCH_SIZE, 0)),
                "READ_BATCH_SIZE", "1 to 1024");
        assertDescribed(IllegalArgumentException.class,
                assertThrows(IllegalArgumentException.class, () -> ch.setOption(ChannelOption.IP_TOS, 256)), "IP_TOS");
        assertDescribed(IllegalArgumentException.class,
                assertThrows(IllegalArgumentException.class, () -> ch.setOption(ChannelOption.MAX_DATAGRAM_SIZE, 70_000)),
                "MAX_DATAGRAM_SIZE");
        assertDescribed(IllegalArgumentException.class,
                assertThrows(IllegalArgumentException.class, () -> ch.setOption(ChannelOption.WRITE_SPIN_COUNT, null)),
                "must not be null");
        @SuppressWarnings({"unchecked", "rawtypes"})
        ChannelOption<Object> raw = (ChannelOption) ChannelOption.SO_SNDBUF;
        assertDescribed(IllegalArgumentException.class,
                assertThrows(IllegalArgumentException.class, () -> ch.setOption(raw, "big")), "SO_SNDBUF", "Integer");
        assertDescribed(IllegalArgumentException.class,
                assertThrows(IllegalArgumentException.class, () -> new WaterMark(10, 5)), "high");
        assertThrows(IllegalArgumentException.class,
                () -> DatagramChannel.builder(group).option(ChannelOption.READ_BUDGET, 0));
        assertSurvives(ch);
    }

    // 14
    @ParameterizedTest
    @EnumSource(value = TransportType.class, names = {"EPOLL", "IO_URING", "NIO"})
    void negativeGsoSegmentSizeIsRefusedAndZeroMeansNone(TransportType type) throws Exception {
        start(type);
        DatagramChannel ch = sender();
        ByteBuffer p = SeqReceiver.payload(seq.incrementAndGet(), 64);
        assertDescribed(IllegalArgumentException.class, assertThrows(IllegalArgumentException.class,
                () -> new OutboundDatagram(p, rx.channel.localAddress(), null, -1, null)), "segmentSize");
        int s = seq.incrementAndGet();
        CompletableFuture<Void> f = new CompletableFuture<>();
        ch.write(OutboundDatagram.of(SeqReceiver.payload(s, 64), rx.channel.localAddress()).withSegmentSize(0), Await.into(f));
        ch.flush();
        assertNull(Await.outcome(f), "segment size 0 is a plain datagram");
        assertTrue(Await.until(() -> rx.saw(s), 5_000));
        assertSurvives(ch);
    }

    // 15
    @ParameterizedTest
    @EnumSource(value = TransportType.class, names = {"EPOLL", "IO_URING", "NIO"})
    void gsoSegmentSizeOverTheLimitsFailsThatWriteOnly(TransportType type) throws Exception {
        start(type);
        DatagramChannel ch = sender();
        // 65 segments (the kernel takes at most 64), and a segment larger than the loopback MTU allows.
        OutboundDatagram tooMany = OutboundDatagram.of(ByteBuffer.allocate(200 * 10), rx.channel.localAddress())
                .withSegmentSize(10);
        OutboundDatagram tooBig = OutboundDatagram.of(ByteBuffer.allocate(140_000 / 2), rx.channel.localAddress())
                .withSegmentSize(65_000);
        for (OutboundDatagram d : List.of(tooMany, tooBig)) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            ch.write(d, Await.into(f));
            ch.flush();
            Throwable t = Await.outcome(f);

            assertTrue(t instanceof UnsupportedOperationException || t instanceof dev.salvo.DatagramWriteException
                    || t instanceof IllegalArgumentException, "a typed per-write failure, got " + t);
            assertTrue(t.getMessage() != null && !t.getMessage().isBlank());
            assertSurvives(ch);
        }
    }

    // 16
    @ParameterizedTest
    @EnumSource(value = TransportType.class, names = {"EPOLL", "IO_URING", "NIO"})
    void unixPathTooLongIsRefusedWithoutHarm(TransportType type) throws Exception {
        start(type);
        UnixDomainSocketAddress longPath = UnixDomainSocketAddress.of("/tmp/" + "x".repeat(200));
        DatagramChannel ch;
        try {
            ch = DatagramChannel.builder(group).open(StandardProtocolFamily.UNIX);
        } catch (UnsupportedOperationException noUnix) {
            assertTrue(noUnix.getMessage() != null && noUnix.getMessage().toLowerCase().contains("unix"), noUnix.getMessage());
            assertLoopSurvives();
            return;
        }
        Throwable t = Await.outcome(write(ch, ByteBuffer.allocate(8), longPath));
        assertTrue(t instanceof UnsupportedAddressException || t instanceof IllegalArgumentException,
                "typed failure for a 205-byte path, got " + t);
        assertTrue(t.getMessage().contains("long") || t.getMessage().contains("108") || t.getMessage().contains("107"),
                t.getMessage());
        assertTrue(ch.isOpen());
        IllegalArgumentException bind = assertThrows(IllegalArgumentException.class,
                () -> DatagramChannel.builder(group).bind(longPath), "binding a too-long path");
        assertTrue(bind.getMessage().contains("107"), bind.getMessage());
        assertLoopSurvives();
    }

    // 17
    @ParameterizedTest
    @EnumSource(value = TransportType.class, names = {"EPOLL", "IO_URING", "NIO"})
    void payloadWhoseArenaClosedBeforeTheFlushFailsThatWriteOnly(TransportType type) throws Exception {
        start(type);
        DatagramChannel ch = sender();
        CompletableFuture<Void> f = new CompletableFuture<>();
        Arena arena = Arena.ofShared();
        MemorySegment seg = arena.allocate(64);
        ch.write(seg, rx.channel.localAddress(), Await.into(f)); // queued, not flushed
        ch.eventLoop().execute(arena::close); // released before the flush
        ch.flush();
        Throwable t = Await.outcome(f);
        assertTrue(t != null, "a released payload cannot be sent");
        assertTrue(t.getMessage() != null && !t.getMessage().isBlank());
        assertSurvives(ch);
    }

    // 18
    @ParameterizedTest
    @EnumSource(value = TransportType.class, names = {"EPOLL", "IO_URING", "NIO"})
    void callsAfterGroupShutdownFailTypedAndNeverHang(TransportType type) throws Exception {
        start(type);
        DatagramChannel ch = sender();
        group.close();
        assertFalse(ch.isOpen());
        assertDescribed(ChannelClosedException.class, Await.outcome(write(ch, ByteBuffer.allocate(8), rx.channel.localAddress())));
        ch.flush();
        ch.close().get(10, TimeUnit.SECONDS);
        assertThrows(ChannelClosedException.class, () -> ch.setOption(ChannelOption.SO_SNDBUF, 65_536));
        assertDescribed(IllegalStateException.class, assertThrows(IllegalStateException.class,
                () -> DatagramChannel.builder(group).bind(new InetSocketAddress(LO4, 0))), "shut down");
    }

    // 19
    @ParameterizedTest
    @EnumSource(value = TransportType.class, names = {"EPOLL", "IO_URING", "NIO"})
    void foreignAddressTypesFailThatWrite(TransportType type) throws Exception {
        start(type);
        DatagramChannel ch = sender();
        SocketAddress alien = new SocketAddress() {
            private static final long serialVersionUID = 1L;
        };
        assertDescribed(UnsupportedAddressException.class, Await.outcome(write(ch, ByteBuffer.allocate(8), alien)),
                "unsupported address type");
        assertDescribed(UnsupportedAddressException.class,
                Await.outcome(write(ch, ByteBuffer.allocate(8), AbstractUnixAddress.of("salvo-x"))), "unix");
        assertDescribed(UnsupportedAddressException.class,
                Await.outcome(write(ch, ByteBuffer.allocate(8), UnixDomainSocketAddress.of("/tmp/salvo-x"))), "unix");
        assertSurvives(ch);
    }

    // 20
    @ParameterizedTest
    @EnumSource(value = TransportType.class, names = {"EPOLL", "IO_URING", "NIO"})
    void metadataTheTransportCannotCarryIsRefusedNotIgnored(TransportType type) throws Exception {
        start(type);
        DatagramChannel ch = sender();
        int s = seq.incrementAndGet();
        CompletableFuture<Void> f = new CompletableFuture<>();
        ch.write(OutboundDatagram.of(SeqReceiver.payload(s, 16), rx.channel.localAddress()).withEcn(Ecn.ECT_0), Await.into(f));
        ch.flush();
        Throwable t = Await.outcome(f);
        if (type == TransportType.NIO) {
            assertDescribed(UnsupportedOperationException.class, t, "ECN");
        } else {
            assertNull(t);
            assertTrue(Await.until(() -> rx.saw(s), 5_000));
        }
        assertSurvives(ch);
    }
}
