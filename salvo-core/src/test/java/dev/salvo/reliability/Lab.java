package dev.salvo.reliability;

import dev.salvo.DatagramChannel;
import dev.salvo.EventLoopGroup;
import dev.salvo.TransportType;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Two network namespaces joined by a veth pair: host A (192.0.2.1, 2001:db8::1, interface
 * {@link #vethA}) and host B (192.0.2.2, 2001:db8::2, interface {@link #vethB}). Nothing is added to
 * the test machine's own namespace; closing the lab shuts its event-loop groups down and deletes
 * both namespaces, which removes the veth pair with them.
 */
final class Lab implements AutoCloseable {
    static final InetAddress A4 = ip("192.0.2.1");
    static final InetAddress B4 = ip("192.0.2.2");
    static final InetAddress A6 = ip("2001:db8::1");
    static final InetAddress B6 = ip("2001:db8::2");

    final NetNs a;
    final NetNs b;
    final String vethA;
    final String vethB;
    private final List<EventLoopGroup> groups = new ArrayList<>();

    private Lab(NetNs a, NetNs b, String vethA, String vethB) {
        this.a = a;
        this.b = b;
        this.vethA = vethA;
        this.vethB = vethB;
    }

    /**
     * Builds the two hosts and the link between them.
     *
     * @param tag a short word naming the test, part of the namespaces' names
     */
    static Lab create(String tag) throws IOException {
        NetNs a = NetNs.create(tag + "a");
        NetNs b = null;
        try {
            b = NetNs.create(tag + "b");
            String va = NetNs.vethName("sa");
            String vb = NetNs.vethName("sb");
            NetNs.run("ip", "link", "add", va, "netns", a.name, "type", "veth", "peer", "name", vb, "netns", b.name);
            Lab lab = new Lab(a, b, va, vb);
            lab.configure(a, va, "192.0.2.1/24", "2001:db8::1/64");
            lab.configure(b, vb, "192.0.2.2/24", "2001:db8::2/64");
            return lab;
        } catch (IOException | RuntimeException e) {
            if (b != null) {
                b.close();
            }
            a.close();
            throw e;
        }
    }

    private void configure(NetNs ns, String dev, String v4, String v6) throws IOException {
        ns.exec("ip", "addr", "add", v4, "dev", dev);
        ns.exec("ip", "-6", "addr", "add", v6, "dev", dev, "nodad");
        ns.exec("ip", "link", "set", dev, "up");
    }

    /** Sets the MTU of both ends of the link. */
    void setMtu(int mtu) throws IOException {
        a.exec("ip", "link", "set", vethA, "mtu", Integer.toString(mtu));
        b.exec("ip", "link", "set", vethB, "mtu", Integer.toString(mtu));
    }

    /**
     * Makes an event-loop group with one loop whose thread lives in {@code ns}: a socket belongs to
     * the namespace of the thread that creates it, and a channel's socket is created on its loop.
     * The group is shut down when the lab closes.
     */
    EventLoopGroup groupIn(NetNs ns, TransportType type) throws Exception {
        EventLoopGroup g = loopIn(ns, type);
        groups.add(g);
        return g;
    }

    /**
     * Makes an event-loop group with one loop whose thread lives in {@code ns}; the caller closes it.
     */
    static EventLoopGroup loopIn(NetNs ns, TransportType type) throws Exception {
        EventLoopGroup g = EventLoopGroup.create(1, type);
        // The loop's executor is reachable only through a channel; a throw-away one lends it.
        DatagramChannel borrowed = DatagramChannel.builder(g).open(StandardProtocolFamily.INET);
        CompletableFuture<Void> moved = new CompletableFuture<>();
        borrowed.eventLoop().execute(() -> {
            try {
                Setns.enterNetworkNamespace(ns.name);
                moved.complete(null);
            } catch (Throwable t) {
                moved.completeExceptionally(t);
            }
        });
        try {
            moved.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            borrowed.close().get(10, TimeUnit.SECONDS);
            g.close();
            throw e;
        }
        borrowed.close().get(10, TimeUnit.SECONDS);
        return g;
    }

    @Override
    public void close() {
        for (EventLoopGroup g : groups) {
            try {
                g.close();
            } catch (RuntimeException ignored) {
                // Keep tearing down.
            }
        }
        groups.clear();
        a.close();
        b.close();
    }

    static InetSocketAddress at(InetAddress host, int port) {
        return new InetSocketAddress(host, port);
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
