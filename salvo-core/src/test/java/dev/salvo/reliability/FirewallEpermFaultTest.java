package dev.salvo.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.salvo.DatagramChannel;
import dev.salvo.DatagramNotPermittedException;
import dev.salvo.EventLoopGroup;
import dev.salvo.OutboundDatagram;
import dev.salvo.TransportType;
import dev.salvo.transport.linux.Errno;
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
 * A firewall refusing one destination: inside host A an nftables rule in the output hook drops
 * every UDP datagram to one port of host B, which makes the kernel answer that send with
 * {@code EPERM}. That datagram fails alone with {@link DatagramNotPermittedException} (counted as
 * prohibited); the datagrams to B's other port in the same flush arrive, and the channel stays open.
 * Needs {@code nft} (the Debian package {@code nftables}, which {@code .ci/run} installs).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FirewallEpermFaultTest {
    private static Lab lab;
    private static SeqReceiver good;
    private static SeqReceiver blocked;
    private static EventLoopGroup receivers;

    @BeforeAll
    static void buildLab() throws Exception {
        assumeTrue(NetNs.unavailableReason() == null, NetNs.unavailableReason());
        try {
            NetNs.run("nft", "--version");
        } catch (java.io.IOException e) {
            throw new AssertionError("nft is needed for this test: install the Debian package nftables (.ci/run does)", e);
        }
        lab = Lab.create("fw");
        receivers = lab.groupIn(lab.b, TransportType.EPOLL);
        good = new SeqReceiver(receivers, Lab.at(Lab.B4, 0), 1 << 20);
        blocked = new SeqReceiver(receivers, Lab.at(Lab.B4, 0), 1 << 20);
        int port = ((InetSocketAddress) blocked.channel.localAddress()).getPort();
        lab.a.exec("nft", "add", "table", "inet", "salvo");
        lab.a.exec("nft", "add", "chain", "inet", "salvo", "out", "{ type filter hook output priority 0 ; }");
        lab.a.exec("nft", "add", "rule", "inet", "salvo", "out", "ip", "daddr", "192.0.2.2", "udp", "dport",
                String.valueOf(port), "drop");
    }

    @AfterAll
    static void tearDown() {
        if (lab != null) {
            lab.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TransportType.class, names = {"EPOLL", "IO_URING", "NIO"})
    void theRefusedDatagramFailsAloneAndItsNeighboursArrive(TransportType type) throws Exception {
        EventLoopGroup ga = lab.groupIn(lab.a, type);
        SocketAddress ok = good.channel.localAddress();
        SocketAddress refused = blocked.channel.localAddress();
        long goodBefore = good.received();
        DatagramChannel tx = DatagramChannel.builder(ga).bind(Lab.at(Lab.A4, 0));
        SocketAddress[] to = {ok, refused, ok, ok, refused, ok};
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int i = 0; i < to.length; i++) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            done.add(f);
            tx.write(SeqReceiver.payload(i, 32), to[i], Await.into(f));
        }
        tx.flush(); // one flush: on epoll one sendmmsg batch, cut at each refusal
        int sent = 0;
        for (int i = 0; i < to.length; i++) {
            Throwable t = Await.outcome(done.get(i));
            if (to[i] == ok) {
                assertNull(t, "datagram " + i + " to the allowed port");
                sent++;
            } else {
                DatagramNotPermittedException e = assertInstanceOf(DatagramNotPermittedException.class, t,
                        "datagram " + i + " to the firewalled port");
                assertEquals(Errno.EPERM, e.errno(), e.getMessage());
                assertEquals(refused, e.destination());
            }
        }
        assertTrue(tx.isOpen(), "a firewall refusal must not close the channel");
        assertEquals(2, tx.stats().prohibitedFailures());
        // Later writes go on.
        assertNull(Await.outcome(tx.writeAndFlush(OutboundDatagram.of(SeqReceiver.payload(50, 32), ok))));
        assertEquals(goodBefore + sent + 1, good.awaitReceived(goodBefore + sent + 1, 5_000));
        Thread.sleep(100);
        assertEquals(0, blocked.received(), "nothing passed the firewall");
        tx.close().get(10, TimeUnit.SECONDS);
    }
}
