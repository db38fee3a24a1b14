package dev.salvo.transport.linux;

import static dev.salvo.transport.linux.LinuxConstants.AF_INET;
import static dev.salvo.transport.linux.LinuxConstants.AF_INET6;
import static dev.salvo.transport.linux.LinuxConstants.IPV6_ADD_MEMBERSHIP;
import static dev.salvo.transport.linux.LinuxConstants.IPV6_DROP_MEMBERSHIP;
import static dev.salvo.transport.linux.LinuxConstants.IPV6_MULTICAST_HOPS;
import static dev.salvo.transport.linux.LinuxConstants.IPV6_MULTICAST_IF;
import static dev.salvo.transport.linux.LinuxConstants.IPV6_MULTICAST_LOOP;
import static dev.salvo.transport.linux.LinuxConstants.IP_ADD_MEMBERSHIP;
import static dev.salvo.transport.linux.LinuxConstants.IP_DROP_MEMBERSHIP;
import static dev.salvo.transport.linux.LinuxConstants.IP_MULTICAST_IF;
import static dev.salvo.transport.linux.LinuxConstants.IP_MULTICAST_LOOP;
import static dev.salvo.transport.linux.LinuxConstants.IP_MULTICAST_TTL;
import static dev.salvo.transport.linux.LinuxConstants.MCAST_JOIN_SOURCE_GROUP;
import static dev.salvo.transport.linux.LinuxConstants.MCAST_LEAVE_SOURCE_GROUP;
import static dev.salvo.transport.linux.LinuxConstants.SOL_IP;
import static dev.salvo.transport.linux.LinuxConstants.SOL_IPV6;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.salvo.NativeIOException;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;

/**
 * Multicast membership and sending options over {@code setsockopt}: the struct encoders
 * ({@code ip_mreqn}, {@code ipv6_mreq}, {@code group_source_req}) and the choice of option by
 * group family. Cold path: the structs are built in the calling thread's {@link ColdScratch}.
 *
 * <p>An IPv4 group on a dual-stack IPv6 socket uses the IPv4 options, which Linux accepts on
 * IPv6 UDP sockets; source-specific joins use the protocol-independent
 * {@code MCAST_JOIN_SOURCE_GROUP}, which takes an interface index for both families.
 */
final class Multicast {
    private Multicast() {
    }

    /**
     * Joins or leaves a group.
     *
     * @param fd the socket
     * @param socketFamily {@code AF_INET} or {@code AF_INET6}
     * @param join true to join, false to leave
     */
    static void membership(int fd, int socketFamily, boolean join, InetAddress group, NetworkInterface iface,
                           InetAddress source) throws NativeIOException {
        if (!group.isMulticastAddress()) {
            throw new IllegalArgumentException(group + " is not a multicast address");
        }
        boolean v4 = group instanceof Inet4Address;
        if (socketFamily == AF_INET && !v4) {
            throw new IllegalArgumentException("IPv6 group " + group + " on an IPv4 socket");
        }
        if (source != null && (source instanceof Inet4Address) != v4) {
            throw new IllegalArgumentException("source " + source + " and group " + group + " differ in family");
        }
        int ifindex = iface == null ? 0 : iface.getIndex();
        MemorySegment buf = ColdScratch.get().value;
        buf.fill((byte) 0);
        if (source != null) {
            // group_source_req: interface index, then group and source as sockaddr_storage.
            int family = v4 ? AF_INET : AF_INET6;
            long groupOff = Structs.offset(Structs.GROUP_SOURCE_REQ, "gsr_group");
            long sourceOff = Structs.offset(Structs.GROUP_SOURCE_REQ, "gsr_source");
            buf.set(JAVA_INT, 0, ifindex);
            SockAddr.encode(new InetSocketAddress(group, 0), family, buf, groupOff);
            SockAddr.encode(new InetSocketAddress(source, 0), family, buf, sourceOff);
            int level = v4 ? SOL_IP : SOL_IPV6;
            Sockets.setOption(fd, level, join ? MCAST_JOIN_SOURCE_GROUP : MCAST_LEAVE_SOURCE_GROUP,
                    buf.asSlice(0, Structs.GROUP_SOURCE_REQ.byteSize()));
        } else if (v4) {
            // ip_mreqn: group, local address (any), interface index.
            buf.set(Structs.U32_BE, 0, SockAddr.ipv4Bits(group));
            buf.set(JAVA_INT, 8, ifindex);
            Sockets.setOption(fd, SOL_IP, join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP,
                    buf.asSlice(0, Structs.IP_MREQN.byteSize()));
        } else {
            // ipv6_mreq: group, interface index.
            MemorySegment.copy(((Inet6Address) group).getAddress(), 0, buf, JAVA_BYTE, 0, 16);
            buf.set(JAVA_INT, 16, ifindex);
            Sockets.setOption(fd, SOL_IPV6, join ? IPV6_ADD_MEMBERSHIP : IPV6_DROP_MEMBERSHIP,
                    buf.asSlice(0, Structs.IPV6_MREQ.byteSize()));
        }
    }

    /** Sets multicast loopback for the socket's family (and IPv4 too on a dual-stack socket). */
    static void setLoop(int fd, int socketFamily, boolean on) throws NativeIOException {
        int v = on ? 1 : 0;
        if (socketFamily == AF_INET6) {
            Sockets.setInt(fd, SOL_IPV6, IPV6_MULTICAST_LOOP, v);
            setQuietly(fd, SOL_IP, IP_MULTICAST_LOOP, v);
        } else {
            Sockets.setInt(fd, SOL_IP, IP_MULTICAST_LOOP, v);
        }
    }

    /** @return the multicast loopback setting of the socket's family */
    static boolean loop(int fd, int socketFamily) throws NativeIOException {
        return socketFamily == AF_INET6 ? Sockets.getInt(fd, SOL_IPV6, IPV6_MULTICAST_LOOP) != 0
                : (Sockets.getInt(fd, SOL_IP, IP_MULTICAST_LOOP) & 0xFF) != 0;
    }

    /** Sets the multicast TTL (hop limit on IPv6, and the IPv4 TTL too on a dual-stack socket). */
    static void setTtl(int fd, int socketFamily, int ttl) throws NativeIOException {
        if (socketFamily == AF_INET6) {
            Sockets.setInt(fd, SOL_IPV6, IPV6_MULTICAST_HOPS, ttl);
            setQuietly(fd, SOL_IP, IP_MULTICAST_TTL, ttl);
        } else {
            Sockets.setInt(fd, SOL_IP, IP_MULTICAST_TTL, ttl);
        }
    }

    /** @return the multicast TTL or hop limit of the socket's family */
    static int ttl(int fd, int socketFamily) throws NativeIOException {
        return socketFamily == AF_INET6 ? Sockets.getInt(fd, SOL_IPV6, IPV6_MULTICAST_HOPS)
                : Sockets.getInt(fd, SOL_IP, IP_MULTICAST_TTL) & 0xFF;
    }

    /** Sets the outgoing multicast interface by index (both families on a dual-stack socket). */
    static void setInterface(int fd, int socketFamily, NetworkInterface iface) throws NativeIOException {
        int ifindex = iface.getIndex();
        if (socketFamily == AF_INET6) {
            Sockets.setInt(fd, SOL_IPV6, IPV6_MULTICAST_IF, ifindex);
            try {
                setInterface4(fd, ifindex);
            } catch (NativeIOException ignored) {
                // An IPv6-only socket has no IPv4 side to configure.
            }
        } else {
            setInterface4(fd, ifindex);
        }
    }

    private static void setInterface4(int fd, int ifindex) throws NativeIOException {
        // Linux takes an ip_mreqn here, which names the interface by index.
        MemorySegment buf = ColdScratch.get().value;
        buf.asSlice(0, Structs.IP_MREQN.byteSize()).fill((byte) 0);
        buf.set(JAVA_INT, 8, ifindex);
        Sockets.setOption(fd, SOL_IP, IP_MULTICAST_IF, buf.asSlice(0, Structs.IP_MREQN.byteSize()));
    }

    private static void setQuietly(int fd, int level, int option, int value) {
        try {
            Sockets.setInt(fd, level, option, value);
        } catch (NativeIOException ignored) {
            // The IPv4 side of an IPv6-only socket: nothing to configure.
        }
    }
}
