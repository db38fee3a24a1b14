package dev.salvo.transport.linux;

import static dev.salvo.transport.linux.LinuxConstants.AF_INET;
import static dev.salvo.transport.linux.LinuxConstants.AF_INET6;
import static dev.salvo.transport.linux.LinuxConstants.AF_UNIX;
import static dev.salvo.transport.linux.Structs.IOVEC_SIZE;
import static dev.salvo.transport.linux.Structs.IOV_LEN;
import static dev.salvo.transport.linux.Structs.MMSGHDR_SIZE;
import static dev.salvo.transport.linux.Structs.MMSG_LEN;
import static dev.salvo.transport.linux.Structs.MSG_CONTROL;
import static dev.salvo.transport.linux.Structs.MSG_CONTROLLEN;
import static dev.salvo.transport.linux.Structs.MSG_FLAGS;
import static dev.salvo.transport.linux.Structs.MSG_IOV;
import static dev.salvo.transport.linux.Structs.MSG_IOVLEN;
import static dev.salvo.transport.linux.Structs.MSG_NAME;
import static dev.salvo.transport.linux.Structs.MSG_NAMELEN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.salvo.transport.Errno;
import dev.salvo.write.DatagramWriter;
import dev.salvo.write.PendingWrite;
import dev.salvo.write.WriteBatch;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * The write engine's {@link DatagramWriter} over one Linux datagram socket: {@code sendmsg} for
 * one datagram, {@code sendmmsg} for a batch, with per-datagram ECN, GSO segment size and source
 * address as control messages.
 *
 * <p>Messages are built in the event loop's {@link SendScratch}. Direct buffers and native
 * segments are sent in place; heap payloads are copied into the scratch's slab, and when a batch's
 * heap bytes would overflow it the batch is cut short (the engine treats a short count as a
 * partial write and calls again). Nothing is allocated per datagram in steady state.
 *
 * <p>A datagram over 65,535 bytes on an IP socket gets {@code -EMSGSIZE} without being copied; in
 * a batch, such a datagram (or one whose address does not suit the socket) ends the batch before
 * it, so it is reported on its own when it reaches the head. On unix-domain sockets the control
 * messages are not sent (they have no meaning there) and the size limit is the kernel's.
 */
public final class LinuxDatagramWriter implements DatagramWriter {
    private static final int FITS = 0;
    private static final int SLAB_FULL = 1;

    private final int fd;
    private final int family;
    private final SendScratch s;
    private int baseTos;
    private boolean connectedPeerIsV4;

    /**
     * @param fd the socket
     * @param family its address family ({@code AF_INET}, {@code AF_INET6} or {@code AF_UNIX})
     * @param scratch the event loop's send scratch
     */
    public LinuxDatagramWriter(int fd, int family, SendScratch scratch) {
        if (family != AF_INET && family != AF_INET6 && family != AF_UNIX) {
            throw new IllegalArgumentException("unsupported address family " + family);
        }
        this.fd = fd;
        this.family = family;
        this.s = scratch;
        this.connectedPeerIsV4 = family == AF_INET;
    }

    /**
     * Sets the TOS byte (or traffic class) whose DSCP bits are kept when a datagram carries an
     * ECN codepoint; the channel passes the socket's current {@code IP_TOS}/{@code IPV6_TCLASS}.
     *
     * @param tos 0–255
     */
    public void setBaseTos(int tos) {
        if (tos < 0 || tos > 255) {
            throw new IllegalArgumentException("TOS out of range: " + tos);
        }
        this.baseTos = tos;
    }

    /**
     * Tells the writer which peer the socket is connected to, so that address-less datagrams on a
     * dual-stack socket connected to an IPv4 peer carry IPv4 control messages.
     *
     * @param peer the connected peer, or {@code null} after a disconnect
     */
    public void setConnectedPeer(SocketAddress peer) {
        connectedPeerIsV4 = family == AF_INET
                || peer instanceof InetSocketAddress inet && inet.getAddress() instanceof Inet4Address;
    }

    /** @return the socket this writer sends on */
    public int fd() {
        return fd;
    }

    @Override
    public int writeScalar(PendingWrite write) {
        s.slabUsed = 0;
        int r = prepare(write, 0);
        if (r != FITS) {
            // An empty slab that cannot hold one datagram means the datagram is too large.
            return r < 0 ? r : -Errno.EMSGSIZE;
        }
        return (int) Libc.sendmsg(s.callState, fd, s.mmsg, 0);
    }

    @Override
    public int writeVector(WriteBatch batch, int count) {
        if (count < 1 || count > SendScratch.MAX_MESSAGES) {
            throw new IllegalArgumentException("count " + count + " outside 1.." + SendScratch.MAX_MESSAGES);
        }
        s.slabUsed = 0;
        int n = 0;
        while (n < count) {
            int r = prepare(batch.get(n), n);
            if (r != FITS) {
                if (n == 0) {
                    return r < 0 ? r : -Errno.EMSGSIZE;
                }
                break;
            }
            n++;
        }
        return Libc.sendmmsg(s.callState, fd, s.mmsg, n, 0);
    }

    /** Builds message {@code i}; returns {@link #FITS}, {@link #SLAB_FULL} or {@code -errno}. */
    private int prepare(PendingWrite w, int i) {
        int length = w.length();
        long offset = w.offset();
        if (length < 0 || offset < 0) {
            throw new IllegalArgumentException("negative length " + length + " or offset " + offset);
        }
        if (length > LinuxConstants.MAX_UDP_PAYLOAD && family != AF_UNIX) {
            return -Errno.EMSGSIZE;
        }
        long hdr = i * MMSGHDR_SIZE;
        MemorySegment m = s.mmsg;

        SocketAddress destination = w.destination();
        boolean v4;
        if (destination == null) {
            m.set(JAVA_LONG, hdr + MSG_NAME, 0L);
            m.set(JAVA_INT, hdr + MSG_NAMELEN, 0);
            v4 = connectedPeerIsV4;
        } else {
            int nameLen = s.encodeDestination(destination, family, i);
            if (nameLen < 0) {
                return nameLen;
            }
            long slot = (long) i * SendScratch.NAME_SLOT;
            m.set(JAVA_LONG, hdr + MSG_NAME, s.namesAddress + slot);
            m.set(JAVA_INT, hdr + MSG_NAMELEN, nameLen);
            v4 = family != AF_UNIX && SockAddr.isInet4(s.names, slot);
        }

        long base = payloadAddress(w.payload(), offset, length);
        if (base == -1) {
            return SLAB_FULL;
        }
        long iovOff = i * IOVEC_SIZE;
        s.iov.set(JAVA_LONG, iovOff, base);
        s.iov.set(JAVA_LONG, iovOff + IOV_LEN, length);
        m.set(JAVA_LONG, hdr + MSG_IOV, s.iovAddress + iovOff);
        m.set(JAVA_LONG, hdr + MSG_IOVLEN, 1L);

        int controlLen = family == AF_UNIX ? 0 : buildControl(w, i, v4);
        if (controlLen < 0) {
            return controlLen;
        }
        if (controlLen == 0) {
            m.set(JAVA_LONG, hdr + MSG_CONTROL, 0L);
            m.set(JAVA_LONG, hdr + MSG_CONTROLLEN, 0L);
        } else {
            m.set(JAVA_LONG, hdr + MSG_CONTROL, s.controlAddress + (long) i * SendScratch.CONTROL_SLOT);
            m.set(JAVA_LONG, hdr + MSG_CONTROLLEN, controlLen);
        }
        m.set(JAVA_INT, hdr + MSG_FLAGS, 0);
        m.set(JAVA_INT, hdr + MMSG_LEN, 0);
        return FITS;
    }

    /**
     * @return the native address of the payload's first byte, copying heap bytes into the slab,
     *     or -1 when the slab has no room left for them
     */
    private long payloadAddress(Object payload, long offset, int length) {
        switch (payload) {
            case MemorySegment seg -> {
                if (offset + length > seg.byteSize()) {
                    throw new IllegalArgumentException("datagram [" + offset + ", +" + length
                            + ") lies outside its segment of " + seg.byteSize() + " bytes");
                }
                if (seg.isNative()) {
                    if (!seg.scope().isAlive()) {
                        throw new IllegalStateException("the payload segment's arena is closed");
                    }
                    return seg.address() + offset;
                }
                if (s.slabUsed + (long) length > s.slab.byteSize()) {
                    return -1;
                }
                long at = s.slabUsed;
                MemorySegment.copy(seg, offset, s.slab, at, length);
                s.slabUsed += length;
                return s.slabAddress + at;
            }
            case ByteBuffer buf -> {
                if (offset + length > buf.capacity()) {
                    throw new IllegalArgumentException("datagram [" + offset + ", +" + length
                            + ") lies outside its buffer of capacity " + buf.capacity());
                }
                if (buf.isDirect()) {
                    return s.directBase(buf) + offset;
                }
                if (s.slabUsed + (long) length > s.slab.byteSize()) {
                    return -1;
                }
                int at = s.slabUsed;
                s.slabBuffer.put(at, buf, (int) offset, length);
                s.slabUsed += length;
                return s.slabAddress + at;
            }
            case null -> throw new IllegalArgumentException("datagram without payload");
            default -> throw new IllegalArgumentException("unsupported payload type " + payload.getClass().getName());
        }
    }

    /** Writes the control messages of datagram {@code i}; returns their total length or {@code -errno}. */
    private int buildControl(PendingWrite w, int i, boolean v4) {
        int ecn = w.ecn();
        int segmentSize = w.segmentSize();
        InetAddress source = w.source();
        if (ecn < 0 && segmentSize <= 0 && source == null) {
            return 0;
        }
        MemorySegment c = s.control;
        long at = (long) i * SendScratch.CONTROL_SLOT;
        int len = 0;
        if (ecn >= 0) {
            if (ecn > 3) {
                throw new IllegalArgumentException("ECN codepoint out of range: " + ecn);
            }
            int tos = (baseTos & ~0b11) | ecn;
            len += v4 ? Cmsg.putTos(c, at + len, tos) : Cmsg.putTrafficClass(c, at + len, tos);
        }
        if (segmentSize > 0) {
            if (segmentSize > LinuxConstants.MAX_UDP_PAYLOAD) {
                throw new IllegalArgumentException("segment size out of range: " + segmentSize);
            }
            len += Cmsg.putSegmentSize(c, at + len, segmentSize);
        }
        if (source != null) {
            if (v4) {
                if (!(source instanceof Inet4Address)) {
                    return -Errno.EAFNOSUPPORT;
                }
                len += Cmsg.putInPktinfo(c, at + len, 0, source.hashCode(), 0);
            } else {
                s.loadSource6(source);
                len += Cmsg.putIn6Pktinfo(c, at + len, s.sourceBytes, 0, 0);
            }
        }
        return len;
    }
}
