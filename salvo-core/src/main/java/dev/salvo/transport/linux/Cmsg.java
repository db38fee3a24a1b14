package dev.salvo.transport.linux;

import static dev.salvo.transport.linux.LinuxConstants.IPV6_PKTINFO;
import static dev.salvo.transport.linux.LinuxConstants.IPV6_TCLASS;
import static dev.salvo.transport.linux.LinuxConstants.IP_PKTINFO;
import static dev.salvo.transport.linux.LinuxConstants.IP_TOS;
import static dev.salvo.transport.linux.LinuxConstants.SOL_IP;
import static dev.salvo.transport.linux.LinuxConstants.SOL_IPV6;
import static dev.salvo.transport.linux.LinuxConstants.SOL_SOCKET;
import static dev.salvo.transport.linux.LinuxConstants.SOL_UDP;
import static dev.salvo.transport.linux.LinuxConstants.SO_TIMESTAMPNS;
import static dev.salvo.transport.linux.LinuxConstants.UDP_GRO;
import static dev.salvo.transport.linux.LinuxConstants.UDP_SEGMENT;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;

/**
 * Control-message ({@code cmsghdr}) arithmetic and the encoders and decoder for the messages
 * Salvo sends and receives.
 *
 * <p>The arithmetic is glibc's macros for 64-bit Linux: a 16-byte header, data aligned to 8.
 * Encoders write one message at an offset and return the bytes it occupies
 * ({@code CMSG_SPACE}); {@link #decode} walks a received control buffer into a reusable
 * {@link ControlData}.
 */
public final class Cmsg {
    private Cmsg() {
    }

    /** {@code sizeof(struct cmsghdr)}, which is also {@code CMSG_DATA - cmsg}. */
    public static final int HEADER_SIZE = 16;
    private static final long LEVEL = 8;
    private static final long TYPE = 12;

    /** Control space one sent datagram may need: TOS or TCLASS, UDP_SEGMENT and IPv6 pktinfo. */
    public static final int SEND_SPACE = space(4) + space(2) + space(Structs.IN6_PKTINFO_SIZE);
    /** {@code sizeof(struct timespec)} on 64-bit Linux: seconds, then nanoseconds, 8 bytes each. */
    public static final int TIMESPEC_SIZE = 16;
    /**
     * Control space one received datagram may need, with room to spare for both pktinfo kinds
     * and a timestamp.
     */
    public static final int RECV_SPACE = space(4) * 4 + space(Structs.IN_PKTINFO_SIZE) + space(Structs.IN6_PKTINFO_SIZE)
            + space(TIMESPEC_SIZE);

    /** @return {@code CMSG_ALIGN(len)}: rounded up to 8 */
    public static int align(int len) {
        return (len + 7) & ~7;
    }

    /** @return {@code CMSG_SPACE(dataLen)}: header plus aligned data */
    public static int space(int dataLen) {
        return HEADER_SIZE + align(dataLen);
    }

    /** @return {@code CMSG_LEN(dataLen)}: the {@code cmsg_len} value */
    public static int len(int dataLen) {
        return HEADER_SIZE + dataLen;
    }

    /** @return {@code CMSG_DATA}: the offset of a message's data */
    public static long dataOffset(long cmsgOffset) {
        return cmsgOffset + HEADER_SIZE;
    }

    private static void header(MemorySegment seg, long off, int level, int type, int dataLen) {
        seg.set(JAVA_LONG, off, len(dataLen));
        seg.set(JAVA_INT, off + LEVEL, level);
        seg.set(JAVA_INT, off + TYPE, type);
    }

    /** Writes an int-valued message (IP_TOS, IPV6_TCLASS, UDP_GRO...); returns its space. */
    public static int putInt(MemorySegment seg, long off, int level, int type, int value) {
        header(seg, off, level, type, 4);
        seg.set(JAVA_INT, off + HEADER_SIZE, value);
        seg.set(JAVA_INT, off + HEADER_SIZE + 4, 0);
        return space(4);
    }

    /** Writes a uint16 message (UDP_SEGMENT); returns its space. */
    public static int putShort(MemorySegment seg, long off, int level, int type, int value) {
        header(seg, off, level, type, 2);
        seg.set(JAVA_SHORT, off + HEADER_SIZE, (short) value);
        return space(2);
    }

    /** Writes a single-byte message (IP_TOS as the kernel delivers it); returns its space. */
    public static int putByte(MemorySegment seg, long off, int level, int type, int value) {
        header(seg, off, level, type, 1);
        seg.set(JAVA_BYTE, off + HEADER_SIZE, (byte) value);
        return space(1);
    }

    /** Writes IP_TOS as an int, the form {@code sendmsg} accepts on every kernel. */
    public static int putTos(MemorySegment seg, long off, int tos) {
        return putInt(seg, off, SOL_IP, IP_TOS, tos & 0xFF);
    }

    /** Writes IPV6_TCLASS. */
    public static int putTrafficClass(MemorySegment seg, long off, int tclass) {
        return putInt(seg, off, SOL_IPV6, IPV6_TCLASS, tclass & 0xFF);
    }

    /** Writes UDP_SEGMENT (GSO segment size). */
    public static int putSegmentSize(MemorySegment seg, long off, int segmentSize) {
        return putShort(seg, off, SOL_UDP, UDP_SEGMENT, segmentSize);
    }

    /**
     * Writes IP_PKTINFO.
     *
     * @param specDst the source address to send from (ipi_spec_dst), int form
     * @param addr the header destination address (ipi_addr; 0 when sending)
     */
    public static int putInPktinfo(MemorySegment seg, long off, int ifindex, int specDst, int addr) {
        header(seg, off, SOL_IP, IP_PKTINFO, Structs.IN_PKTINFO_SIZE);
        long d = off + HEADER_SIZE;
        seg.set(JAVA_INT, d, ifindex);
        seg.set(Structs.U32_BE, d + 4, specDst);
        seg.set(Structs.U32_BE, d + 8, addr);
        seg.set(JAVA_INT, d + 12, 0);
        return space(Structs.IN_PKTINFO_SIZE);
    }

    /** Writes IPV6_PKTINFO from 16 address bytes held in {@code addr} at {@code addrOffset}. */
    public static int putIn6Pktinfo(MemorySegment seg, long off, MemorySegment addr, long addrOffset, int ifindex) {
        header(seg, off, SOL_IPV6, IPV6_PKTINFO, Structs.IN6_PKTINFO_SIZE);
        long d = off + HEADER_SIZE;
        MemorySegment.copy(addr, addrOffset, seg, d, 16);
        seg.set(JAVA_INT, d + 16, ifindex);
        seg.set(JAVA_INT, d + 20, 0);
        return space(Structs.IN6_PKTINFO_SIZE);
    }

    /** Writes IPV6_PKTINFO from 16 address bytes. */
    public static int putIn6Pktinfo(MemorySegment seg, long off, byte[] addr16, int ifindex) {
        header(seg, off, SOL_IPV6, IPV6_PKTINFO, Structs.IN6_PKTINFO_SIZE);
        long d = off + HEADER_SIZE;
        MemorySegment.copy(addr16, 0, seg, JAVA_BYTE, d, 16);
        seg.set(JAVA_INT, d + 16, ifindex);
        seg.set(JAVA_INT, d + 20, 0);
        return space(Structs.IN6_PKTINFO_SIZE);
    }

    /** Writes an {@code SCM_TIMESTAMPNS} timespec (what the kernel delivers; for tests); returns its space. */
    public static int putTimestamp(MemorySegment seg, long off, long seconds, long nanos) {
        header(seg, off, SOL_SOCKET, SO_TIMESTAMPNS, TIMESPEC_SIZE);
        seg.set(JAVA_LONG, off + HEADER_SIZE, seconds);
        seg.set(JAVA_LONG, off + HEADER_SIZE + 8, nanos);
        return space(TIMESPEC_SIZE);
    }

    /** @return the {@code cmsg_type} of the message at {@code off} */
    public static int type(MemorySegment seg, long off) {
        return seg.get(JAVA_INT, off + TYPE);
    }

    /** @return the data length of the message at {@code off} ({@code cmsg_len - CMSG_LEN(0)}) */
    public static int dataLength(MemorySegment seg, long off) {
        return (int) (seg.get(JAVA_LONG, off) - HEADER_SIZE);
    }

    /**
     * Decodes every control message Salvo knows in {@code [start, start + controlLen)}; unknown
     * ones are skipped, malformed ones end the walk (as {@code CMSG_NXTHDR} would).
     *
     * @param out reset, then filled in
     */
    public static void decode(MemorySegment seg, long start, long controlLen, ControlData out) {
        out.reset();
        long end = start + controlLen;
        long off = start;
        while (off + HEADER_SIZE <= end) {
            long cmsgLen = seg.get(JAVA_LONG, off);
            if (cmsgLen < HEADER_SIZE || off + cmsgLen > end) {
                return;
            }
            int dataLen = (int) cmsgLen - HEADER_SIZE;
            long d = off + HEADER_SIZE;
            int level = seg.get(JAVA_INT, off + LEVEL);
            int type = seg.get(JAVA_INT, off + TYPE);
            if (level == SOL_IP && type == IP_TOS && dataLen >= 1) {
                // The kernel delivers IP_TOS as one byte; a sender may have used an int.
                out.tos = dataLen >= 4 ? seg.get(JAVA_INT, d) & 0xFF : seg.get(JAVA_BYTE, d) & 0xFF;
            } else if (level == SOL_IPV6 && type == IPV6_TCLASS && dataLen >= 4) {
                out.trafficClass = seg.get(JAVA_INT, d) & 0xFF;
            } else if (level == SOL_UDP && type == UDP_GRO && dataLen >= 4) {
                out.groSegmentSize = seg.get(JAVA_INT, d);
            } else if (level == SOL_UDP && type == UDP_SEGMENT && dataLen >= 2) {
                out.segmentSize = seg.get(JAVA_SHORT, d) & 0xFFFF;
            } else if (level == SOL_SOCKET && type == SO_TIMESTAMPNS && dataLen >= TIMESPEC_SIZE) {
                out.timestampNanos = seg.get(JAVA_LONG, d) * 1_000_000_000L + seg.get(JAVA_LONG, d + 8);
            } else if (level == SOL_IP && type == IP_PKTINFO && dataLen >= Structs.IN_PKTINFO_SIZE) {
                out.pktinfoFamily = LinuxConstants.AF_INET;
                out.pktinfoIfindex = seg.get(JAVA_INT, d);
                out.pktinfoSpecDst = seg.get(Structs.U32_BE, d + 4);
                out.pktinfoAddr4 = seg.get(Structs.U32_BE, d + 8);
                out.pktinfoOffset = d;
            } else if (level == SOL_IPV6 && type == IPV6_PKTINFO && dataLen >= Structs.IN6_PKTINFO_SIZE) {
                out.pktinfoFamily = LinuxConstants.AF_INET6;
                out.pktinfoIfindex = seg.get(JAVA_INT, d + 16);
                MemorySegment.copy(seg, JAVA_BYTE, d, out.pktinfoAddr6, 0, 16);
                out.pktinfoOffset = d;
            }
            off += align((int) cmsgLen);
        }
    }
}
