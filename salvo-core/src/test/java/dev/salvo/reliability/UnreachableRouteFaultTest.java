package dev.salvo.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.salvo.DatagramChannel;
import dev.salvo.DatagramWriteException;
import dev.salvo.EventLoopGroup;
import dev.salvo.HostUnreachableException;
import dev.salvo.OutboundDatagram;
import dev.salvo.TransportType;
import dev.salvo.transport.linux.Errno;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Unreachable destinations: inside host A, {@code 198.51.100.0/26} is an {@code unreachable} route
 * (EHOSTUNREACH), {@code 198.51.100.128/25} has no route at all (ENETUNREACH) and
 * {@code 198.51.100.64/26} is a {@code prohibit} route (EACCES), and {@code 2001:db8:dead::/48} is
 * unreachable over IPv6. Each such datagram fails alone with a
 * {@link HostUnreachableException}; its neighbours in the same flush arrive and the channel stays
 * open for later writes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UnreachableRouteFaultTest {
    private static final InetSocketAddress HOST_UNREACHABLE = new InetSocketAddress(ip("198.51.100.7"), 9);
    private static final InetSocketAddress NO_ROUTE = new InetSocketAddress(ip("198.51.100.200"), 9);
    private static final InetSocketAddress V6_UNREACHABLE = new InetSocketAddress(ip("2001:db8:dead::7"), 9);
    private static final InetSocketAddress PROHIBITED = new InetSocketAddress(ip("198.51.100.70"), 9);
    private static Lab lab;

    @BeforeAll
    static void buildLab() throws Exception {
        assumeTrue(NetNs.unavailableReason() == null, NetNs.unavailableReason());
        lab = Lab.create("unr");
        lab.a.exec("ip", "route", "add", "unreachable", "198.51.100.0/26");
        lab.a.exec("ip", "-6", "route", "add", "unreachable", "2001:db8:dead::/48");
        lab.a.exec("ip", "route", "add", "prohibit", "198.51.100.64/26");
    }

    @AfterAll
    static void tearDown() {
        if (lab != null) {
            lab.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TransportType.class, names = {"EPOLL", "IO_URING", "NIO"})
    void unreachableDatagramsFailAloneAndTheChannelKeepsSending(TransportType type) throws Exception {
        EventLoopGroup ga = lab.groupIn(lab.a, type);
        EventLoopGroup gb = lab.groupIn(lab.b, type);
        try (SeqReceiver rx = new SeqReceiver(gb, Lab.at(Lab.B4, 0), 1 << 20)) {
            SocketAddress good = rx.channel.localAddress();
            DatagramChannel tx = DatagramChannel.builder(ga).bind(Lab.at(Lab.A4, 0));
            SocketAddress[] to = {good, HOST_UNREACHABLE, good, NO_ROUTE, good, HOST_UNREACHABLE, good};
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int i = 0; i < to.length; i++) {
                CompletableFuture<Void> f = new CompletableFuture<>();
                done.add(f);
                tx.write(SeqReceiver.payload(i, 32), to[i], Await.into(f));
            }
            tx.flush();
            int good0 = 0;
            for (int i = 0; i < to.length; i++) {
                Throwable t = Await.outcome(done.get(i));
                if (to[i] == good) {
                    assertNull(t, "datagram " + i + " to the reachable host");
                    good0++;
                } else {
                    HostUnreachableException e = assertInstanceOf(HostUnreachableException.class, t,
                            "datagram " + i + " to " + to[i]);
                    assertEquals(to[i], e.destination());
                    int expected = to[i] == NO_ROUTE ? Errno.ENETUNREACH : Errno.EHOSTUNREACH;
                    assertEquals(expected, e.errno(), e.getMessage());
                }
            }
            assertTrue(tx.isOpen());
            // Later writes to the good host still go out.
            for (int i = 100; i < 110; i++) {
                assertNull(Await.outcome(tx.writeAndFlush(OutboundDatagram.of(SeqReceiver.payload(i, 32), good))));
            }
            assertEquals(good0 + 10, rx.awaitReceived(good0 + 10, 5_000));
            tx.close().get(10, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @EnumSource(value = TransportType.class, names = {"EPOLL", "IO_URING", "NIO"})
    void ipv6UnreachableRouteFailsThatDatagramOnly(TransportType type) throws Exception {
        EventLoopGroup ga = lab.groupIn(lab.a, type);
        EventLoopGroup gb = lab.groupIn(lab.b, type);
        try (SeqReceiver rx = new SeqReceiver(gb, Lab.at(Lab.B6, 0), 1 << 20)) {
            DatagramChannel tx = DatagramChannel.builder(ga).bind(Lab.at(Lab.A6, 0));
            CompletableFuture<Void> bad = new CompletableFuture<>();
            tx.write(SeqReceiver.payload(1, 16), V6_UNREACHABLE, Await.into(bad));
            CompletableFuture<Void> ok = tx.writeAndFlush(OutboundDatagram.of(SeqReceiver.payload(2, 16),
                    rx.channel.localAddress()));
            DatagramWriteException e = assertInstanceOf(HostUnreachableException.class, Await.outcome(bad));
            assertTrue(e.getMessage().contains("2001:db8:dead"), "the message names the destination: " + e.getMessage());
            assertNull(Await.outcome(ok));
            assertEquals(1, rx.awaitReceived(1, 5_000));
            assertTrue(tx.isOpen());
        }
    }

    @ParameterizedTest
    @EnumSource(value = TransportType.class, names = {"EPOLL", "IO_URING", "NIO"})
    void connectingToAnUnreachableHostFailsTypedAndLeavesTheChannelUsable(TransportType type) throws Exception {
        EventLoopGroup ga = lab.groupIn(lab.a, type);
        DatagramChannel tx = DatagramChannel.builder(ga).bind(Lab.at(Lab.A4, 0));
        IOException e = assertThrows(IOException.class, () -> tx.connect(HOST_UNREACHABLE));
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
        assertTrue(tx.isOpen());
        assertTrue(!tx.isConnected());
        tx.close().get(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @EnumSource(value = TransportType.class, names = {"EPOLL", "IO_URING", "NIO"})
    void prohibitedRouteFailsThatDatagramOnly(TransportType type) throws Exception {
        EventLoopGroup ga = lab.groupIn(lab.a, type);
        EventLoopGroup gb = lab.groupIn(lab.b, type);
        try (SeqReceiver rx = new SeqReceiver(gb, Lab.at(Lab.B4, 0), 1 << 20)) {
            DatagramChannel tx = DatagramChannel.builder(ga).bind(Lab.at(Lab.A4, 0));
            CompletableFuture<Void> bad = new CompletableFuture<>();
            tx.write(SeqReceiver.payload(1, 16), PROHIBITED, Await.into(bad));
            CompletableFuture<Void> ok = tx.writeAndFlush(OutboundDatagram.of(SeqReceiver.payload(2, 16),
                    rx.channel.localAddress()));
            HostUnreachableException e = assertInstanceOf(HostUnreachableException.class, Await.outcome(bad));
            assertEquals(Errno.EACCES, e.errno());
            assertTrue(e.getMessage().contains("prohibited"), e.getMessage());
            assertNull(Await.outcome(ok), "the neighbour of a prohibited datagram is sent");
            assertEquals(1, rx.awaitReceived(1, 5_000));
            assertTrue(tx.isOpen(), "a prohibited destination must not close the channel");
        }
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
