package dev.salvo.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.salvo.ChannelHandler;
import dev.salvo.DatagramChannel;
import dev.salvo.EventLoopGroup;
import dev.salvo.InboundDatagram;
import dev.salvo.OutboundDatagram;
import dev.salvo.ReceivedDatagram;
import dev.salvo.TransportType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A datagram sent with a chosen interface leaves through it. Host S has two links, {@code s1} to
 * host R1 and {@code s2} to host R2, and both hosts own the destination address; S routes it over
 * {@code s1} (metric 10) unless told otherwise ({@code s2}, metric 20). So the host that receives
 * it tells which interface the datagram left by. Namespaces made by this test, documentation
 * addresses only; skipped without root and iproute2.
 */
class OutgoingInterfaceTest {
    private static final String DEST4 = "192.0.2.100";
    private static final String DEST6 = "2001:db8:f::100";

    private final List<NetNs> spaces = new ArrayList<>();
    private final List<EventLoopGroup> groups = new ArrayList<>();
    private NetNs s;
    private String s1;
    private String s2;
    private NetNs r1;
    private NetNs r2;

    @BeforeEach
    void buildHosts() throws Exception {
        assumeTrue(NetNs.unavailableReason() == null, NetNs.unavailableReason());
        s = space("ois");
        r1 = space("oi1");
        r2 = space("oi2");
        s1 = link(r1, "192.0.2.1/24", "192.0.2.2/24", "2001:db8:1::1/64", "2001:db8:1::2/64");
        s2 = link(r2, "198.51.100.1/24", "198.51.100.2/24", "2001:db8:2::1/64", "2001:db8:2::2/64");
        for (NetNs r : List.of(r1, r2)) {
            String dev = r == r1 ? peerOf(s1) : peerOf(s2);
            r.exec("ip", "addr", "add", DEST4 + "/32", "dev", dev);
            r.exec("ip", "-6", "addr", "add", DEST6 + "/128", "dev", dev, "nodad");
        }
        s.exec("ip", "route", "add", DEST4 + "/32", "dev", s1, "metric", "10");
        s.exec("ip", "route", "add", DEST4 + "/32", "dev", s2, "metric", "20");
        s.exec("ip", "-6", "route", "add", DEST6 + "/128", "dev", s1, "metric", "10");
        s.exec("ip", "-6", "route", "add", DEST6 + "/128", "dev", s2, "metric", "20");
    }

    @AfterEach
    void tearDown() {
        groups.forEach(EventLoopGroup::close);
        spaces.forEach(NetNs::close);
    }

    private NetNs space(String tag) throws Exception {
        NetNs ns = NetNs.create(tag);
        spaces.add(ns);
        return ns;
    }

    private final List<String[]> links = new ArrayList<>();

    /** Links S to {@code r} with a veth pair; returns S's end. */
    private String link(NetNs r, String s4, String r4, String s6, String r6) throws Exception {
        String mine = NetNs.vethName("o");
        String theirs = NetNs.vethName("p");
        NetNs.run("ip", "link", "add", mine, "netns", s.name, "type", "veth", "peer", "name", theirs, "netns", r.name);
        links.add(new String[] {mine, theirs});
        configure(s, mine, s4, s6);
        configure(r, theirs, r4, r6);
        return mine;
    }

    private String peerOf(String mine) {
        return links.stream().filter(l -> l[0].equals(mine)).findFirst().orElseThrow()[1];
    }

    private static void configure(NetNs ns, String dev, String v4, String v6) throws Exception {
        ns.exec("ip", "addr", "add", v4, "dev", dev);
        ns.exec("ip", "-6", "addr", "add", v6, "dev", dev, "nodad");
        ns.exec("ip", "link", "set", dev, "up");
    }

    private EventLoopGroup loopIn(NetNs ns) throws Exception {
        EventLoopGroup g = Lab.loopIn(ns, TransportType.EPOLL);
        groups.add(g);
        return g;
    }

    /** A receiver in {@code ns} on the wildcard address and {@code port} (0: any). */
    private static DatagramChannel receiver(EventLoopGroup g, InetAddress any, int port,
                                            BlockingQueue<ReceivedDatagram> into) throws Exception {
        return DatagramChannel.builder(g).handler(new ChannelHandler() {
            @Override
            public void onDatagram(DatagramChannel ch, InboundDatagram d) {
                into.add(d.copy());
            }
        }).bind(new InetSocketAddress(any, port));
    }

    @ParameterizedTest
    @ValueSource(strings = {DEST4, DEST6})
    void aChosenInterfaceDecidesWhichLinkTheDatagramLeavesBy(String destination) throws Exception {
        InetAddress dest = InetAddress.getByName(destination);
        InetAddress any = InetAddress.getByName(dest instanceof java.net.Inet4Address ? "0.0.0.0" : "::");
        BlockingQueue<ReceivedDatagram> at1 = new LinkedBlockingQueue<>();
        BlockingQueue<ReceivedDatagram> at2 = new LinkedBlockingQueue<>();
        DatagramChannel rx1 = receiver(loopIn(r1), any, 0, at1);
        int port = ((InetSocketAddress) rx1.localAddress()).getPort();
        receiver(loopIn(r2), any, port, at2);
        EventLoopGroup sender = loopIn(s);
        DatagramChannel tx = DatagramChannel.builder(sender).bind(new InetSocketAddress(any, 0));
        // Looked up on the loop's thread, which lives in S: the JDK asks the current namespace.
        NetworkInterface second = CompletableFuture.supplyAsync(() -> byName(s2), tx.eventLoop()).get(10, TimeUnit.SECONDS);
        InetSocketAddress to = new InetSocketAddress(dest, port);

        tx.writeAndFlush(OutboundDatagram.of(ByteBuffer.wrap(new byte[] {1}), to)).get(10, TimeUnit.SECONDS);
        assertEquals(1, take(at1).bytes()[0], "by default the metric-10 route, over s1, reaches R1");
        assertNull(at2.poll(200, TimeUnit.MILLISECONDS));

        tx.writeAndFlush(OutboundDatagram.of(ByteBuffer.wrap(new byte[] {2}), to).withInterface(second))
                .get(10, TimeUnit.SECONDS);
        ReceivedDatagram via2 = take(at2);
        assertEquals(2, via2.bytes()[0], "sent through s2, so R2 receives it");
        InetAddress s2Address = InetAddress.getByName(dest instanceof java.net.Inet4Address ? "198.51.100.1" : "2001:db8:2::1");
        assertEquals(s2Address, ((InetSocketAddress) via2.sender()).getAddress(), "from s2's own address");
        assertNull(at1.poll(200, TimeUnit.MILLISECONDS), "nothing went over s1");

        if (dest instanceof java.net.Inet4Address) {
            // Interface and source together: s2, from s1's address (IPv4 lets a host send from any of its own).
            InetAddress s1Address = InetAddress.getByName("192.0.2.1");
            tx.writeAndFlush(OutboundDatagram.of(ByteBuffer.wrap(new byte[] {3}), to).withInterface(second)
                    .withSource(s1Address)).get(10, TimeUnit.SECONDS);
            ReceivedDatagram both = take(at2);
            assertEquals(3, both.bytes()[0]);
            assertEquals(s1Address, ((InetSocketAddress) both.sender()).getAddress());
            assertTrue(at1.isEmpty());
        }
    }

    private static ReceivedDatagram take(BlockingQueue<ReceivedDatagram> q) throws InterruptedException {
        ReceivedDatagram d = q.poll(10, TimeUnit.SECONDS);
        if (d == null) {
            throw new AssertionError("nothing arrived within 10 s");
        }
        return d;
    }

    private static NetworkInterface byName(String name) {
        try {
            return NetworkInterface.getByName(name);
        } catch (java.net.SocketException e) {
            throw new IllegalStateException(e);
        }
    }
}
