package dev.salvo.offload;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.salvo.ChannelOption;
import dev.salvo.DatagramChannel;
import dev.salvo.EventLoopGroup;
import dev.salvo.OutboundDatagram;
import dev.salvo.ReceivedDatagram;
import dev.salvo.TransportType;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Multicast membership and options, inside a network namespace this test creates (as root, with
 * iproute2): a dummy (or veth) interface {@code d0} with documentation addresses (192.0.2.1–2,
 * 2001:db8::1–2), multicast on. The event loop's thread enters the namespace with {@code setns(2)},
 * so every socket the channels open lives there; multicast loopback delivers a host's own group
 * traffic back to it. Without root or {@code ip}, the tests are skipped with the reason.
 */
class MulticastNamespaceTest {
    private static final String NS = "salvo-mc-" + ProcessHandle.current().pid();
    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static String unavailable;

    private EventLoopGroup group;
    private NetworkInterface d0;
    private final List<DatagramChannel> channels = new ArrayList<>();

    @BeforeAll
    static void createNamespace() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            unavailable = "not Linux";
            return;
        }
        String failed = run("ip", "netns", "add", NS);
        if (failed != null) {
            unavailable = "cannot create a network namespace (needs root and iproute2): " + failed;
            return;
        }
        // A dummy interface where the kernel has one, else one end of a veth pair (the other end
        // has no addresses and drops what it gets).
        if (run("ip", "-n", NS, "link", "add", "d0", "type", "dummy") != null) {
            failed = run("ip", "-n", NS, "link", "add", "d0", "type", "veth", "peer", "name", "d0peer");
            if (failed != null) {
                unavailable = "cannot create a dummy or veth interface in the namespace: " + failed;
                return;
            }
            failed = run("ip", "-n", NS, "link", "set", "d0peer", "up");
        }
        String[][] setup = {
            {"ip", "-n", NS, "link", "set", "lo", "up"},
            {"ip", "-n", NS, "link", "set", "d0", "multicast", "on", "up"},
            {"ip", "-n", NS, "addr", "add", "192.0.2.1/24", "dev", "d0"},
            {"ip", "-n", NS, "addr", "add", "192.0.2.2/24", "dev", "d0"},
            {"ip", "-n", NS, "-6", "addr", "add", "2001:db8::1/64", "dev", "d0", "nodad"},
            {"ip", "-n", NS, "-6", "addr", "add", "2001:db8::2/64", "dev", "d0", "nodad"},
        };
        for (String[] cmd : setup) {
            String failure = failed != null ? failed : run(cmd);
            if (failure != null) {
                unavailable = "cannot build the test network namespace (needs root and iproute2): " + failure;
                return;
            }
        }
    }

    @AfterAll
    static void deleteNamespace() {
        run("ip", "netns", "del", NS); // also removes d0; harmless when it never existed
    }

    /** @return null on success, else what went wrong */
    private static String run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return String.join(" ", cmd) + ": timed out";
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.exitValue() == 0 ? null : String.join(" ", cmd) + ": exit " + p.exitValue() + " " + out;
        } catch (IOException e) {
            return String.join(" ", cmd) + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    @BeforeEach
    void enterNamespace() throws Exception {
        Assumptions.assumeTrue(unavailable == null, unavailable);
        group = EventLoopGroup.create(1, TransportType.EPOLL);
        // Any channel reaches the loop's thread; that thread then joins the namespace for good.
        DatagramChannel any = DatagramChannel.builder(group).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int r = onLoop(any, MulticastNamespaceTest::setns);
        any.close().join();
        assertEquals(0, r, "setns into " + NS);
        DatagramChannel probe = open(new InetSocketAddress(0), Map.of());
        d0 = onLoop(probe, () -> NetworkInterface.getByName("d0"));
        assertTrue(d0 != null && d0.getIndex() > 0, "d0 is visible from the loop thread");
    }

    @AfterEach
    void stop() {
        for (DatagramChannel ch : channels) {
            ch.close().join();
        }
        if (group != null) {
            group.close();
        }
    }

    private static <T> T onLoop(DatagramChannel ch, Callable<T> task) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        ch.eventLoop().execute(() -> {
            try {
                f.complete(task.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f.get(10, TimeUnit.SECONDS);
    }

    private static int setns() throws Exception {
        try {
            return setns0();
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static int setns0() throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle open = linker.downcallHandle(linker.defaultLookup().find("open").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
        MethodHandle setns = linker.downcallHandle(linker.defaultLookup().find("setns").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
        MethodHandle close = linker.downcallHandle(linker.defaultLookup().find("close").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment path = arena.allocateFrom("/run/netns/" + NS);
            int fd = (int) open.invokeExact(path, O_RDONLY | O_CLOEXEC, 0);
            if (fd < 0) {
                return -1;
            }
            int r = (int) setns.invokeExact(fd, CLONE_NEWNET);
            int ignored = (int) close.invokeExact(fd);
            return r;
        }
    }

    private Peer peer(InetSocketAddress bind) throws IOException {
        Peer p = new Peer(group, bind, Map.of());
        channels.add(p.channel);
        return p;
    }

    private DatagramChannel open(InetSocketAddress bind, Map<ChannelOption<Object>, Object> ignored) throws IOException {
        DatagramChannel ch = DatagramChannel.builder(group).bind(bind);
        channels.add(ch);
        return ch;
    }

    private DatagramChannel sender(String from) throws IOException {
        DatagramChannel tx = open(new InetSocketAddress(addr(from), 0), Map.of());
        tx.setOption(ChannelOption.IP_MULTICAST_IF, d0);
        tx.setOption(ChannelOption.IP_MULTICAST_LOOP, true);
        tx.setOption(ChannelOption.IP_MULTICAST_TTL, 1);
        return tx;
    }

    private static InetAddress addr(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void send(DatagramChannel tx, String group, int port, String text) throws Exception {
        tx.writeAndFlush(OutboundDatagram.of(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)),
                new InetSocketAddress(addr(group), port))).get(10, TimeUnit.SECONDS);
    }

    private static int port(Peer p) {
        return ((InetSocketAddress) p.address()).getPort();
    }

    private static String text(ReceivedDatagram d) {
        return new String(d.bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void ipv4GroupIsReceivedAfterJoiningAndNotAfterLeaving() throws Exception {
        Peer rx = peer(new InetSocketAddress(0));
        InetAddress g = addr("239.255.10.1");
        rx.channel.joinGroup(g, d0);
        DatagramChannel tx = sender("192.0.2.1");
        send(tx, "239.255.10.1", port(rx), "joined");
        ReceivedDatagram d = rx.take();
        assertEquals("joined", text(d));
        assertEquals(addr("192.0.2.1"), ((InetSocketAddress) d.sender()).getAddress());

        rx.channel.leaveGroup(g, d0);
        send(tx, "239.255.10.1", port(rx), "left");
        assertNull(rx.poll(300), "nothing arrives after leaving");
        assertThrows(IOException.class, () -> rx.channel.leaveGroup(g, d0), "leaving twice is refused by the kernel");
    }

    @Test
    void multicastLoopOffKeepsTheHostsOwnDatagramsAway() throws Exception {
        Peer rx = peer(new InetSocketAddress(0));
        rx.channel.joinGroup(addr("239.255.10.2"), d0);
        DatagramChannel tx = sender("192.0.2.1");
        tx.setOption(ChannelOption.IP_MULTICAST_LOOP, false);
        assertEquals(false, tx.getOption(ChannelOption.IP_MULTICAST_LOOP));
        send(tx, "239.255.10.2", port(rx), "not looped");
        assertNull(rx.poll(300));
        tx.setOption(ChannelOption.IP_MULTICAST_LOOP, true);
        send(tx, "239.255.10.2", port(rx), "looped");
        assertEquals("looped", text(rx.take()));
    }

    @Test
    void multicastOptionsReadBackWhatWasSet() throws Exception {
        DatagramChannel v4 = sender("192.0.2.1");
        v4.setOption(ChannelOption.IP_MULTICAST_TTL, 7);
        assertEquals(7, v4.getOption(ChannelOption.IP_MULTICAST_TTL));
        assertEquals(d0, v4.getOption(ChannelOption.IP_MULTICAST_IF));
        DatagramChannel v6 = sender("2001:db8::1");
        v6.setOption(ChannelOption.IP_MULTICAST_TTL, 9);
        assertEquals(9, v6.getOption(ChannelOption.IP_MULTICAST_TTL), "the IPv6 hop limit");
        assertEquals(true, v6.getOption(ChannelOption.IP_MULTICAST_LOOP));
        assertThrows(IllegalArgumentException.class, () -> v4.setOption(ChannelOption.IP_MULTICAST_TTL, 256));
        assertThrows(IllegalArgumentException.class, () -> v4.joinGroup(addr("192.0.2.9"), d0), "not a group");
    }

    @Test
    void sourceSpecificIpv4JoinReceivesOnlyThatSource() throws Exception {
        Peer rx = peer(new InetSocketAddress(0));
        InetAddress g = addr("239.255.10.3");
        rx.channel.joinGroup(g, d0, addr("192.0.2.1"));
        DatagramChannel wanted = sender("192.0.2.1");
        DatagramChannel other = sender("192.0.2.2");
        send(other, "239.255.10.3", port(rx), "other");
        send(wanted, "239.255.10.3", port(rx), "wanted");
        ReceivedDatagram d = rx.take();
        assertEquals("wanted", text(d), "the other source was filtered out");
        assertNull(rx.poll(300));
        rx.channel.leaveGroup(g, d0, addr("192.0.2.1"));
        send(wanted, "239.255.10.3", port(rx), "after leave");
        assertNull(rx.poll(300));
    }

    @Test
    void ipv6GroupIsReceivedAfterJoiningAndNotAfterLeaving() throws Exception {
        Peer rx = peer(new InetSocketAddress(addr("::"), 0));
        InetAddress g = addr("ff15::5a1:1");
        rx.channel.joinGroup(g, d0);
        DatagramChannel tx = sender("2001:db8::1");
        send(tx, "ff15::5a1:1", port(rx), "six");
        ReceivedDatagram d = rx.take();
        assertEquals("six", text(d));
        assertEquals(addr("2001:db8::1"), ((InetSocketAddress) d.sender()).getAddress());
        rx.channel.leaveGroup(g, d0);
        send(tx, "ff15::5a1:1", port(rx), "gone");
        assertNull(rx.poll(300));
    }

    @Test
    void sourceSpecificIpv6JoinReceivesOnlyThatSource() throws Exception {
        Peer rx = peer(new InetSocketAddress(addr("::"), 0));
        InetAddress g = addr("ff35::8000:5a1");
        rx.channel.joinGroup(g, d0, addr("2001:db8::2"));
        DatagramChannel other = sender("2001:db8::1");
        DatagramChannel wanted = sender("2001:db8::2");
        send(other, "ff35::8000:5a1", port(rx), "other");
        send(wanted, "ff35::8000:5a1", port(rx), "wanted");
        assertEquals("wanted", text(rx.take()));
        assertNull(rx.poll(300));
    }

    @Test
    void ipv4GroupOnADualStackSocketIsReceived() throws Exception {
        Peer rx = peer(new InetSocketAddress(addr("::"), 0));
        rx.channel.joinGroup(addr("239.255.10.4"), d0);
        DatagramChannel tx = sender("192.0.2.1");
        send(tx, "239.255.10.4", port(rx), "mapped");
        ReceivedDatagram d = rx.take();
        assertArrayEquals("mapped".getBytes(StandardCharsets.UTF_8), d.bytes());
    }
}
