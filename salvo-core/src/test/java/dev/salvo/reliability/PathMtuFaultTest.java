package dev.salvo.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.salvo.ChannelOption;
import dev.salvo.DatagramChannel;
import dev.salvo.DatagramTooLargeException;
import dev.salvo.EventLoopGroup;
import dev.salvo.TransportType;
import dev.salvo.transport.linux.Errno;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Path MTU: a veth link of MTU 1280 between two namespaces. With don't-fragment set, a datagram
 * over the MTU fails alone with {@link DatagramTooLargeException} while its neighbours in the same
 * {@code sendmmsg} batch arrive; without it the kernel fragments and the datagram arrives whole.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PathMtuFaultTest {
    private static final int MTU = 1280;
    private static Lab lab;

    @BeforeAll
    static void buildLab() throws Exception {
        assumeTrue(NetNs.unavailableReason() == null, NetNs.unavailableReason());
        lab = Lab.create("mtu");
        lab.setMtu(MTU);
    }

    @AfterAll
    static void tearDown() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void ipv4DatagramsOverTheMtuFailAloneWhileTheirBatchNeighboursArrive() throws Exception {
        // IPv4 + UDP headers take 28 bytes: 1252 fits exactly, 1253 is one byte over.
        oversizeFailsAloneInBatch(Lab.A4, Lab.B4, MTU - 28);
    }

    @Test
    void ipv6DatagramsOverTheMtuFailAloneWhileTheirBatchNeighboursArrive() throws Exception {
        // IPv6 + UDP headers take 48 bytes.
        oversizeFailsAloneInBatch(Lab.A6, Lab.B6, MTU - 48);
    }

    private void oversizeFailsAloneInBatch(InetAddress from, InetAddress to, int fits) throws Exception {
        EventLoopGroup ga = lab.groupIn(lab.a, TransportType.EPOLL);
        EventLoopGroup gb = lab.groupIn(lab.b, TransportType.EPOLL);
        try (SeqReceiver rx = new SeqReceiver(gb, Lab.at(to, 0), 1 << 20)) {
            int port = ((InetSocketAddress) rx.channel.localAddress()).getPort();
            DatagramChannel tx = DatagramChannel.builder(ga)
                    .option(ChannelOption.DONT_FRAGMENT, true)
                    .bind(Lab.at(from, 0));
            assertTrue(tx.getOption(ChannelOption.DONT_FRAGMENT));
            int[] sizes = {100, fits, fits + 1, 200, 1500, 9000, fits, 64, fits + 1, 4};
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int i = 0; i < sizes.length; i++) {
                CompletableFuture<Void> f = new CompletableFuture<>();
                done.add(f);
                tx.write(SeqReceiver.payload(i, sizes[i]), Lab.at(to, port), Await.into(f));
            }
            tx.flush(); // one flush: the whole list goes to sendmmsg together
            int expectedArrivals = 0;
            for (int i = 0; i < sizes.length; i++) {
                Throwable t = Await.outcome(done.get(i));
                if (sizes[i] <= fits) {
                    assertNull(t, "datagram " + i + " of " + sizes[i] + " bytes fits the MTU");
                    expectedArrivals++;
                } else {
                    DatagramTooLargeException e = assertInstanceOf(DatagramTooLargeException.class, t,
                            "datagram " + i + " of " + sizes[i] + " bytes");
                    assertEquals(Errno.EMSGSIZE, e.errno());
                    assertEquals(Lab.at(to, port), e.destination());
                }
            }
            assertEquals(expectedArrivals, rx.awaitReceived(expectedArrivals, 5_000));
            for (int i = 0; i < sizes.length; i++) {
                assertEquals(sizes[i] <= fits, rx.saw(i), "datagram " + i + " of " + sizes[i] + " bytes");
            }
            assertTrue(tx.isOpen(), "an oversize datagram must not close the channel");
            tx.close().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void withoutDontFragmentTheKernelFragmentsAndTheDatagramArrivesWhole() throws Exception {
        EventLoopGroup ga = lab.groupIn(lab.a, TransportType.EPOLL);
        EventLoopGroup gb = lab.groupIn(lab.b, TransportType.EPOLL);
        try (SeqReceiver rx = new SeqReceiver(gb, Lab.at(Lab.B4, 0), 1 << 20)) {
            rx.channel.setOption(ChannelOption.MAX_DATAGRAM_SIZE, 4096);
            DatagramChannel tx = DatagramChannel.builder(ga).bind(Lab.at(Lab.A4, 0));
            CompletableFuture<Void> f = tx.writeAndFlush(dev.salvo.OutboundDatagram.of(
                    SeqReceiver.payload(7, 3000), rx.channel.localAddress()));
            assertNull(Await.outcome(f));
            assertEquals(1, rx.awaitReceived(1, 5_000));
            assertTrue(rx.saw(7));
        }
    }

    @Test
    void nioTransportRefusesDontFragmentInsteadOfIgnoringIt() throws Exception {
        try (EventLoopGroup g = EventLoopGroup.create(1, TransportType.NIO)) {
            DatagramChannel ch = DatagramChannel.builder(g).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> ch.setOption(ChannelOption.DONT_FRAGMENT, true));
            assertTrue(e.getMessage().contains("DONT_FRAGMENT"), e.getMessage());
            assertTrue(ch.isOpen());
        }
    }
}
