package dev.salvo.transport.linux;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.paddingLayout;
import static java.lang.foreign.MemoryLayout.sequenceLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The C structures the transport exchanges with the kernel, as {@link MemoryLayout}s, with the
 * field offsets that hot code uses directly (a constant {@code long} offset plus a plain
 * {@code get}/{@code set} is the cheapest access FFM offers).
 *
 * <p>Layouts are those of 64-bit Linux (LP64) on x86-64 and aarch64; they differ only in
 * {@code epoll_event}, which glibc packs on x86-64 alone. Addresses are written as raw
 * {@code long}s, which is why only 64-bit targets are supported.
 */
public final class Structs {
    private Structs() {
    }

    /** A big-endian (network order) 16-bit field, such as a port. */
    public static final ValueLayout.OfShort U16_BE = JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);
    /** A big-endian (network order) 32-bit field, such as an IPv4 address. */
    public static final ValueLayout.OfInt U32_BE = JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN);

    /** True on x86-64, where glibc packs {@code struct epoll_event}. */
    public static final boolean EPOLL_PACKED = isX86();

    /** {@code struct iovec}. */
    public static final StructLayout IOVEC = structLayout(
            ADDRESS.withName("iov_base"),
            JAVA_LONG.withName("iov_len")).withName("iovec");

    /** {@code struct msghdr}. */
    public static final StructLayout MSGHDR = structLayout(
            ADDRESS.withName("msg_name"),
            JAVA_INT.withName("msg_namelen"),
            paddingLayout(4),
            ADDRESS.withName("msg_iov"),
            JAVA_LONG.withName("msg_iovlen"),
            ADDRESS.withName("msg_control"),
            JAVA_LONG.withName("msg_controllen"),
            JAVA_INT.withName("msg_flags"),
            paddingLayout(4)).withName("msghdr");

    /** {@code struct mmsghdr}. */
    public static final StructLayout MMSGHDR = structLayout(
            MSGHDR.withName("msg_hdr"),
            JAVA_INT.withName("msg_len"),
            paddingLayout(4)).withName("mmsghdr");

    /** {@code struct sockaddr_in}; port and address are in network order. */
    public static final StructLayout SOCKADDR_IN = structLayout(
            JAVA_SHORT.withName("sin_family"),
            U16_BE.withName("sin_port"),
            U32_BE.withName("sin_addr"),
            sequenceLayout(8, JAVA_BYTE).withName("sin_zero")).withName("sockaddr_in");

    /** {@code struct sockaddr_in6}; port and flow info are in network order. */
    public static final StructLayout SOCKADDR_IN6 = structLayout(
            JAVA_SHORT.withName("sin6_family"),
            U16_BE.withName("sin6_port"),
            U32_BE.withName("sin6_flowinfo"),
            sequenceLayout(16, JAVA_BYTE).withName("sin6_addr"),
            JAVA_INT.withName("sin6_scope_id")).withName("sockaddr_in6");

    /** {@code struct sockaddr_un}. */
    public static final StructLayout SOCKADDR_UN = structLayout(
            JAVA_SHORT.withName("sun_family"),
            sequenceLayout(108, JAVA_BYTE).withName("sun_path")).withName("sockaddr_un");

    /** {@code struct sockaddr_storage}: room and alignment for any socket address. */
    public static final StructLayout SOCKADDR_STORAGE = structLayout(
            JAVA_SHORT.withName("ss_family"),
            paddingLayout(118),
            JAVA_LONG.withName("__ss_align")).withName("sockaddr_storage");

    /** {@code struct epoll_event}: 12 bytes packed on x86-64, 16 on aarch64. */
    public static final StructLayout EPOLL_EVENT = EPOLL_PACKED
            ? structLayout(
                    JAVA_INT.withName("events"),
                    JAVA_LONG.withByteAlignment(1).withName("data")).withName("epoll_event")
            : structLayout(
                    JAVA_INT.withName("events"),
                    paddingLayout(4),
                    JAVA_LONG.withName("data")).withName("epoll_event");

    /** {@code struct cmsghdr}; the data follows at {@link Cmsg#HEADER_SIZE}. */
    public static final StructLayout CMSGHDR = structLayout(
            JAVA_LONG.withName("cmsg_len"),
            JAVA_INT.withName("cmsg_level"),
            JAVA_INT.withName("cmsg_type")).withName("cmsghdr");

    /** {@code struct in_pktinfo}; addresses in network order. */
    public static final StructLayout IN_PKTINFO = structLayout(
            JAVA_INT.withName("ipi_ifindex"),
            U32_BE.withName("ipi_spec_dst"),
            U32_BE.withName("ipi_addr")).withName("in_pktinfo");

    /** {@code struct in6_pktinfo}. */
    public static final StructLayout IN6_PKTINFO = structLayout(
            sequenceLayout(16, JAVA_BYTE).withName("ipi6_addr"),
            JAVA_INT.withName("ipi6_ifindex")).withName("in6_pktinfo");

    /** {@code struct ip_mreqn} (IP_ADD_MEMBERSHIP). */
    public static final StructLayout IP_MREQN = structLayout(
            U32_BE.withName("imr_multiaddr"),
            U32_BE.withName("imr_address"),
            JAVA_INT.withName("imr_ifindex")).withName("ip_mreqn");

    /** {@code struct ipv6_mreq} (IPV6_ADD_MEMBERSHIP). */
    public static final StructLayout IPV6_MREQ = structLayout(
            sequenceLayout(16, JAVA_BYTE).withName("ipv6mr_multiaddr"),
            JAVA_INT.withName("ipv6mr_interface")).withName("ipv6_mreq");

    /** {@code struct ip_mreq_source} (IP_ADD_SOURCE_MEMBERSHIP). */
    public static final StructLayout IP_MREQ_SOURCE = structLayout(
            U32_BE.withName("imr_multiaddr"),
            U32_BE.withName("imr_interface"),
            U32_BE.withName("imr_sourceaddr")).withName("ip_mreq_source");

    /** {@code struct group_source_req} (MCAST_JOIN_SOURCE_GROUP). */
    public static final StructLayout GROUP_SOURCE_REQ = structLayout(
            JAVA_INT.withName("gsr_interface"),
            paddingLayout(4),
            SOCKADDR_STORAGE.withName("gsr_group"),
            SOCKADDR_STORAGE.withName("gsr_source")).withName("group_source_req");

    /** {@code struct utsname} as glibc defines it (six 65-byte strings). */
    public static final StructLayout UTSNAME = structLayout(
            sequenceLayout(65, JAVA_BYTE).withName("sysname"),
            sequenceLayout(65, JAVA_BYTE).withName("nodename"),
            sequenceLayout(65, JAVA_BYTE).withName("release"),
            sequenceLayout(65, JAVA_BYTE).withName("version"),
            sequenceLayout(65, JAVA_BYTE).withName("machine"),
            sequenceLayout(65, JAVA_BYTE).withName("domainname")).withName("utsname");

    /** {@code struct io_uring_params}: only its size and first fields matter to the probe. */
    public static final StructLayout IO_URING_PARAMS = structLayout(
            JAVA_INT.withName("sq_entries"),
            JAVA_INT.withName("cq_entries"),
            JAVA_INT.withName("flags"),
            JAVA_INT.withName("sq_thread_cpu"),
            JAVA_INT.withName("sq_thread_idle"),
            JAVA_INT.withName("features"),
            JAVA_INT.withName("wq_fd"),
            sequenceLayout(3, JAVA_INT).withName("resv"),
            sequenceLayout(40, JAVA_BYTE).withName("sq_off"),
            sequenceLayout(40, JAVA_BYTE).withName("cq_off")).withName("io_uring_params");

    /** Size of {@code struct iovec}. */
    public static final long IOVEC_SIZE = IOVEC.byteSize();
    /** Offset of {@code iov_base}. */
    public static final long IOV_BASE = offset(IOVEC, "iov_base");
    /** Offset of {@code iov_len}. */
    public static final long IOV_LEN = offset(IOVEC, "iov_len");

    /** Size of {@code struct msghdr}. */
    public static final long MSGHDR_SIZE = MSGHDR.byteSize();
    /** Offset of {@code msg_name}. */
    public static final long MSG_NAME = offset(MSGHDR, "msg_name");
    /** Offset of {@code msg_namelen}. */
    public static final long MSG_NAMELEN = offset(MSGHDR, "msg_namelen");
    /** Offset of {@code msg_iov}. */
    public static final long MSG_IOV = offset(MSGHDR, "msg_iov");
    /** Offset of {@code msg_iovlen}. */
    public static final long MSG_IOVLEN = offset(MSGHDR, "msg_iovlen");
    /** Offset of {@code msg_control}. */
    public static final long MSG_CONTROL = offset(MSGHDR, "msg_control");
    /** Offset of {@code msg_controllen}. */
    public static final long MSG_CONTROLLEN = offset(MSGHDR, "msg_controllen");
    /** Offset of {@code msg_flags}. */
    public static final long MSG_FLAGS = offset(MSGHDR, "msg_flags");

    /** Size of {@code struct mmsghdr}. */
    public static final long MMSGHDR_SIZE = MMSGHDR.byteSize();
    /** Offset of {@code msg_len} in {@code struct mmsghdr}. */
    public static final long MMSG_LEN = offset(MMSGHDR, "msg_len");

    /** Size of {@code struct sockaddr_in}. */
    public static final int SOCKADDR_IN_SIZE = (int) SOCKADDR_IN.byteSize();
    /** Size of {@code struct sockaddr_in6}. */
    public static final int SOCKADDR_IN6_SIZE = (int) SOCKADDR_IN6.byteSize();
    /** Size of {@code struct sockaddr_storage}. */
    public static final int SOCKADDR_STORAGE_SIZE = (int) SOCKADDR_STORAGE.byteSize();
    /** Offset of {@code sin_port} (and {@code sin6_port}). */
    public static final long SIN_PORT = offset(SOCKADDR_IN, "sin_port");
    /** Offset of {@code sin_addr}. */
    public static final long SIN_ADDR = offset(SOCKADDR_IN, "sin_addr");
    /** Offset of {@code sin6_flowinfo}. */
    public static final long SIN6_FLOWINFO = offset(SOCKADDR_IN6, "sin6_flowinfo");
    /** Offset of {@code sin6_addr}. */
    public static final long SIN6_ADDR = offset(SOCKADDR_IN6, "sin6_addr");
    /** Offset of {@code sin6_scope_id}. */
    public static final long SIN6_SCOPE_ID = offset(SOCKADDR_IN6, "sin6_scope_id");
    /** Offset of {@code sun_path}. */
    public static final long SUN_PATH = offset(SOCKADDR_UN, "sun_path");

    /** Size of {@code struct epoll_event}. */
    public static final long EPOLL_EVENT_SIZE = EPOLL_EVENT.byteSize();
    /** Offset of {@code epoll_event.data}. */
    public static final long EPOLL_DATA = offset(EPOLL_EVENT, "data");

    /** Size of {@code struct in_pktinfo}. */
    public static final int IN_PKTINFO_SIZE = (int) IN_PKTINFO.byteSize();
    /** Size of {@code struct in6_pktinfo}. */
    public static final int IN6_PKTINFO_SIZE = (int) IN6_PKTINFO.byteSize();

    /**
     * @param layout a struct layout
     * @param field the name of one of its top-level fields
     * @return the field's byte offset
     */
    public static long offset(MemoryLayout layout, String field) {
        return layout.byteOffset(groupElement(field));
    }

    private static boolean isX86() {
        String arch = System.getProperty("os.arch", "");
        return arch.equals("amd64") || arch.equals("x86_64");
    }
}
