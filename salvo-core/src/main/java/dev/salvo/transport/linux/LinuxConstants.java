package dev.salvo.transport.linux;

/**
 * Linux socket, option and flag numbers used by the FFM transport.
 *
 * <p>These values are part of the kernel ABI and identical on x86-64 and aarch64 (the layout test
 * checks them against the C headers when gcc is present).
 */
public final class LinuxConstants {
    private LinuxConstants() {
    }

    /** Address family: unspecified (used by {@code connect} to dissolve an association). */
    public static final int AF_UNSPEC = 0;
    /** Address family: unix-domain sockets. */
    public static final int AF_UNIX = 1;
    /** Address family: IPv4. */
    public static final int AF_INET = 2;
    /** Address family: IPv6. */
    public static final int AF_INET6 = 10;

    /** Socket type: datagrams. */
    public static final int SOCK_DGRAM = 2;
    /** Socket type flag: non-blocking. */
    public static final int SOCK_NONBLOCK = 0x800;
    /** Socket type flag: close on exec. */
    public static final int SOCK_CLOEXEC = 0x80000;

    /** Option level: the socket itself. */
    public static final int SOL_SOCKET = 1;
    /** Option level: IPv4. */
    public static final int SOL_IP = 0;
    /** Option level: IPv6. */
    public static final int SOL_IPV6 = 41;
    /** Option level: UDP. */
    public static final int SOL_UDP = 17;

    /** SOL_SOCKET option: the socket type. */
    public static final int SO_TYPE = 3;
    /** SOL_SOCKET option: reuse local addresses. */
    public static final int SO_REUSEADDR = 2;
    /** SOL_SOCKET option: pending error (read clears it). */
    public static final int SO_ERROR = 4;
    /** SOL_SOCKET option: allow broadcast. */
    public static final int SO_BROADCAST = 6;
    /** SOL_SOCKET option: send buffer size. */
    public static final int SO_SNDBUF = 7;
    /** SOL_SOCKET option: receive buffer size. */
    public static final int SO_RCVBUF = 8;
    /** SOL_SOCKET option: several sockets on one port. */
    public static final int SO_REUSEPORT = 15;
    /** SOL_SOCKET option: the socket's address family. */
    public static final int SO_DOMAIN = 39;
    /** SOL_SOCKET option: report the kernel's drop counter with each datagram. */
    public static final int SO_RXQ_OVFL = 40;
    /**
     * SOL_SOCKET option: stamp received datagrams with a {@code struct timespec} (wall clock),
     * delivered as an {@code SCM_TIMESTAMPNS} control message of the same number
     * ({@code SO_TIMESTAMPNS_OLD}; its 64-bit {@code timespec} is the new one on x86-64 and arm64).
     */
    public static final int SO_TIMESTAMPNS = 35;
    /** SOL_SOCKET option: the socket's memory counters, {@code u32[SK_MEMINFO_VARS]}. */
    public static final int SO_MEMINFO = 55;
    /** Index of the drop counter in {@code SO_MEMINFO}'s array. */
    public static final int SK_MEMINFO_DROPS = 8;

    /** IPv4 option and cmsg: type of service byte. */
    public static final int IP_TOS = 1;
    /** IPv4 option: unicast TTL. */
    public static final int IP_TTL = 2;
    /** IPv4 option and cmsg: packet info. */
    public static final int IP_PKTINFO = 8;
    /** IPv4 option: path MTU discovery mode. */
    public static final int IP_MTU_DISCOVER = 10;
    /** IP_MTU_DISCOVER / IPV6_MTU_DISCOVER value: set DF when the datagram fits (the kernel default). */
    public static final int IP_PMTUDISC_WANT = 1;
    /** IP_MTU_DISCOVER / IPV6_MTU_DISCOVER value: always set DF, fail datagrams over the path MTU. */
    public static final int IP_PMTUDISC_DO = 2;
    /** IPv4 option: receive the TOS byte as a cmsg. */
    public static final int IP_RECVTOS = 13;
    /** IPv4 option: bind to non-local addresses. */
    public static final int IP_FREEBIND = 15;
    /** IPv4 option: multicast interface. */
    public static final int IP_MULTICAST_IF = 32;
    /** IPv4 option: multicast TTL. */
    public static final int IP_MULTICAST_TTL = 33;
    /** IPv4 option: multicast loopback. */
    public static final int IP_MULTICAST_LOOP = 34;
    /** IPv4 option: join a group ({@code ip_mreqn}). */
    public static final int IP_ADD_MEMBERSHIP = 35;
    /** IPv4 option: leave a group ({@code ip_mreqn}). */
    public static final int IP_DROP_MEMBERSHIP = 36;
    /** IPv4 option: join a source-specific group ({@code ip_mreq_source}). */
    public static final int IP_ADD_SOURCE_MEMBERSHIP = 39;
    /** IPv4 option: leave a source-specific group ({@code ip_mreq_source}). */
    public static final int IP_DROP_SOURCE_MEMBERSHIP = 40;
    /** Protocol-independent option: join a source-specific group ({@code group_source_req}). */
    public static final int MCAST_JOIN_SOURCE_GROUP = 46;
    /** Protocol-independent option: leave a source-specific group ({@code group_source_req}). */
    public static final int MCAST_LEAVE_SOURCE_GROUP = 47;

    /** IPv6 option: unicast hop limit. */
    public static final int IPV6_UNICAST_HOPS = 16;
    /** IPv6 option: multicast interface. */
    public static final int IPV6_MULTICAST_IF = 17;
    /** IPv6 option: multicast hop limit. */
    public static final int IPV6_MULTICAST_HOPS = 18;
    /** IPv6 option: multicast loopback. */
    public static final int IPV6_MULTICAST_LOOP = 19;
    /** IPv6 option: join a group ({@code ipv6_mreq}). */
    public static final int IPV6_ADD_MEMBERSHIP = 20;
    /** IPv6 option: leave a group ({@code ipv6_mreq}). */
    public static final int IPV6_DROP_MEMBERSHIP = 21;
    /** IPv6 option: path MTU discovery mode. */
    public static final int IPV6_MTU_DISCOVER = 23;
    /** IPv6 option: refuse IPv4-mapped traffic. */
    public static final int IPV6_V6ONLY = 26;
    /** IPv6 option: receive packet info as a cmsg. */
    public static final int IPV6_RECVPKTINFO = 49;
    /** IPv6 cmsg: packet info. */
    public static final int IPV6_PKTINFO = 50;
    /** IPv6 option: receive the traffic class as a cmsg. */
    public static final int IPV6_RECVTCLASS = 66;
    /** IPv6 option and cmsg: traffic class. */
    public static final int IPV6_TCLASS = 67;

    /** UDP option and cmsg: GSO segment size (uint16 in a cmsg, int as an option). */
    public static final int UDP_SEGMENT = 103;
    /** UDP option and cmsg: receive coalesced datagrams (GRO). */
    public static final int UDP_GRO = 104;

    /** Message flag: control data was truncated. */
    public static final int MSG_CTRUNC = 0x8;
    /** Message flag: the datagram was truncated. */
    public static final int MSG_TRUNC = 0x20;
    /** Message flag: do not block. */
    public static final int MSG_DONTWAIT = 0x40;
    /** recvmmsg flag: block for the first message only. */
    public static final int MSG_WAITFORONE = 0x10000;

    /** epoll event: readable. */
    public static final int EPOLLIN = 0x1;
    /** epoll event: writable. */
    public static final int EPOLLOUT = 0x4;
    /** epoll event: error. */
    public static final int EPOLLERR = 0x8;
    /** epoll event: hang-up. */
    public static final int EPOLLHUP = 0x10;
    /** epoll event flag: edge triggered. */
    public static final int EPOLLET = 1 << 31;
    /** epoll_ctl operation: add. */
    public static final int EPOLL_CTL_ADD = 1;
    /** epoll_ctl operation: remove. */
    public static final int EPOLL_CTL_DEL = 2;
    /** epoll_ctl operation: modify. */
    public static final int EPOLL_CTL_MOD = 3;
    /** epoll_create1 flag: close on exec. */
    public static final int EPOLL_CLOEXEC = 0x80000;

    /** eventfd flag: non-blocking. */
    public static final int EFD_NONBLOCK = 0x800;
    /** eventfd flag: close on exec. */
    public static final int EFD_CLOEXEC = 0x80000;

    /** The io_uring_setup system call number (the same on x86-64 and aarch64). */
    public static final long SYS_IO_URING_SETUP = 425;

    /** The most messages one sendmmsg/recvmmsg accepts ({@code UIO_MAXIOV}). */
    public static final int UIO_MAXIOV = 1024;
    /** The largest UDP payload an IP datagram can carry without jumbograms. */
    public static final int MAX_UDP_PAYLOAD = 65_535;
}
