package dev.salvo.transport.linux;

import static dev.salvo.transport.linux.LinuxConstants.AF_INET;
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

import dev.salvo.write.PendingWrite;
import dev.salvo.write.WriteBatch;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * Fills the {@code mmsghdr}, {@code iovec}, address and control slots of a {@link SendScratch}
 * from queued datagrams, one step of a message at a time. It has no policy: what to coalesce,
 * which segment size and ECN codepoint to send and which limits to check are the caller's
 * decisions, passed in. A step that cannot encode says so in its {@link Result} (and
 * {@link #refusedErrno()}); nothing unencodable ever reaches the native fields.
 *
 * <p>Direct buffers and native segments are pointed at in place; heap payloads are copied into the
 * scratch's slab. Nothing is allocated per datagram.
 */
final class MessageEncoder {
    /** How one encoding step went. */
    enum Result {
        /** Encoded. */
        OK,
        /** The slab has no room for the heap bytes of the first datagram of the message. */
        SLAB_FULL,
        /** The datagram is larger than any UDP datagram can be. */
        TOO_LARGE,
        /** The address or source does not suit the socket; {@link #refusedErrno()} says how. */
        UNSUITABLE
    }

    private final int family;
    private final SendScratch s;
    private int baseTos;
    private boolean connectedPeerIsV4;

    private boolean destinationV4;
    private int refusedErrno;

    MessageEncoder(int family, SendScratch scratch) {
        this.family = family;
        this.s = scratch;
        this.connectedPeerIsV4 = family == AF_INET;
    }

    /** @param tos the TOS byte (or traffic class) whose DSCP bits go with every ECN codepoint */
    void setBaseTos(int tos) {
        baseTos = tos;
    }

    /** @param peerIsV4 whether the connected peer is IPv4, for datagrams without their own address */
    void setConnectedPeerIsV4(boolean peerIsV4) {
        connectedPeerIsV4 = family == AF_INET || peerIsV4;
    }

    /** @return whether a datagram to {@code destination} (or the connected peer) goes over IPv4 */
    boolean toIpv4(SocketAddress destination) {
        if (family == AF_INET) {
            return true;
        }
        if (destination == null) {
            return connectedPeerIsV4;
        }
        return destination instanceof InetSocketAddress inet && inet.getAddress() instanceof Inet4Address;
    }

    /** @return the errno of the last refusal: what the address codec said for {@link Result#UNSUITABLE}, {@code EMSGSIZE} for {@link Result#TOO_LARGE} */
    int refusedErrno() {
        return refusedErrno;
    }

    /** @return whether the destination of the last {@link #destination} step is IPv4 (control messages follow it) */
    boolean destinationIsV4() {
        return destinationV4;
    }

    /** Starts a new batch: the slab is empty again. */
    void beginBatch() {
        s.slabUsed = 0;
    }

    /**
     * @return {@link Result#TOO_LARGE} for a datagram no IP socket can send in one piece
     * @throws IllegalArgumentException on a negative length or offset
     */
    Result checkLength(PendingWrite w) {
        int length = w.length();
        long offset = w.offset();
        if (length < 0 || offset < 0) {
            throw new IllegalArgumentException("negative length " + length + " or offset " + offset);
        }
        if (length > LinuxConstants.MAX_UDP_PAYLOAD && family != AF_UNIX) {
            return refuse(Result.TOO_LARGE, Errno.EMSGSIZE);
        }
        return Result.OK;
    }

    /** Points message {@code msg} at its destination (or at none, for the connected peer). */
    Result destination(SocketAddress destination, int msg) {
        long hdr = msg * MMSGHDR_SIZE;
        MemorySegment m = s.mmsg;
        if (destination == null) {
            m.set(JAVA_LONG, hdr + MSG_NAME, 0L);
            m.set(JAVA_INT, hdr + MSG_NAMELEN, 0);
            destinationV4 = connectedPeerIsV4;
            return Result.OK;
        }
        int nameLen = s.encodeDestination(destination, family, msg);
        if (nameLen < 0) {
            m.set(JAVA_LONG, hdr + MSG_NAME, 0L);
            m.set(JAVA_INT, hdr + MSG_NAMELEN, 0);
            destinationV4 = false;
            return refuse(Result.UNSUITABLE, -nameLen);
        }
        long slot = (long) msg * SendScratch.NAME_SLOT;
        m.set(JAVA_LONG, hdr + MSG_NAME, s.namesAddress + slot);
        m.set(JAVA_INT, hdr + MSG_NAMELEN, nameLen);
        destinationV4 = family != AF_UNIX && SockAddr.isInet4(s.names, slot);
        return Result.OK;
    }

    /**
     * Gives message {@code msg} one {@code iovec} per datagram of {@code [first, first + run)}
     * (iovec index = datagram index, so a batch never needs more than it has).
     *
     * @return how many datagrams it took (fewer than {@code run} when the slab filled; 0 when it
     *     could not take the first)
     */
    int payloads(WriteBatch batch, int first, int run, int msg) {
        int taken = 0;
        for (int k = 0; k < run; k++) {
            PendingWrite x = batch.get(first + k);
            long base = payloadAddress(x);
            if (base == -1) {
                break;
            }
            long iovOff = (first + k) * IOVEC_SIZE;
            s.iov.set(JAVA_LONG, iovOff, base);
            s.iov.set(JAVA_LONG, iovOff + IOV_LEN, x.length());
            taken++;
        }
        if (taken > 0) {
            long hdr = msg * MMSGHDR_SIZE;
            s.mmsg.set(JAVA_LONG, hdr + MSG_IOV, s.iovAddress + first * IOVEC_SIZE);
            s.mmsg.set(JAVA_LONG, hdr + MSG_IOVLEN, taken);
        }
        return taken;
    }

    /**
     * Writes the control messages of message {@code msg} (none on a unix-domain socket).
     *
     * @param ecn the ECN codepoint to send, or {@link PendingWrite#NO_ECN}
     * @param segmentSize the {@code UDP_SEGMENT} to send, 0 for none
     */
    Result control(PendingWrite w, int msg, int ecn, int segmentSize) {
        int len = family == AF_UNIX ? 0
                : controlMessages(w.source(), w.interfaceIndex(), msg, destinationV4, ecn, segmentSize);
        if (len < 0) {
            return refuse(Result.UNSUITABLE, -len);
        }
        long hdr = msg * MMSGHDR_SIZE;
        if (len == 0) {
            s.mmsg.set(JAVA_LONG, hdr + MSG_CONTROL, 0L);
            s.mmsg.set(JAVA_LONG, hdr + MSG_CONTROLLEN, 0L);
        } else {
            s.mmsg.set(JAVA_LONG, hdr + MSG_CONTROL, s.controlAddress + (long) msg * SendScratch.CONTROL_SLOT);
            s.mmsg.set(JAVA_LONG, hdr + MSG_CONTROLLEN, len);
        }
        return Result.OK;
    }

    /** Clears the fields the kernel writes back, finishing message {@code msg}. */
    void seal(int msg) {
        long hdr = msg * MMSGHDR_SIZE;
        s.mmsg.set(JAVA_INT, hdr + MSG_FLAGS, 0);
        s.mmsg.set(JAVA_INT, hdr + MMSG_LEN, 0);
    }

    /**
     * Message 0 must already hold the datagram's address and control; builds one message per
     * segment of {@code w} from segment {@code from} on (message 0 = segment {@code from}), all
     * sharing that address and control.
     *
     * @param base the native address of the datagram's first byte ({@link #payloadAddress})
     * @return how many messages were built
     */
    int splitMessages(PendingWrite w, long base, int from) {
        int length = w.length();
        int segment = w.segmentSize();
        int segments = (length + segment - 1) / segment;
        MemorySegment m = s.mmsg;
        long name = m.get(JAVA_LONG, MSG_NAME);
        int nameLen = m.get(JAVA_INT, MSG_NAMELEN);
        long control = m.get(JAVA_LONG, MSG_CONTROL);
        long controlLen = m.get(JAVA_LONG, MSG_CONTROLLEN);
        for (int k = from; k < segments; k++) {
            int msg = k - from;
            long iovOff = msg * IOVEC_SIZE;
            s.iov.set(JAVA_LONG, iovOff, base + (long) k * segment);
            s.iov.set(JAVA_LONG, iovOff + IOV_LEN, Math.min(segment, length - k * segment));
            long hdr = msg * MMSGHDR_SIZE;
            m.set(JAVA_LONG, hdr + MSG_NAME, name);
            m.set(JAVA_INT, hdr + MSG_NAMELEN, nameLen);
            m.set(JAVA_LONG, hdr + MSG_IOV, s.iovAddress + iovOff);
            m.set(JAVA_LONG, hdr + MSG_IOVLEN, 1L);
            m.set(JAVA_LONG, hdr + MSG_CONTROL, control);
            m.set(JAVA_LONG, hdr + MSG_CONTROLLEN, controlLen);
            seal(msg);
        }
        return segments - from;
    }

    /**
     * @return the native address of the datagram's first byte, copying heap bytes into the slab,
     *     or -1 when the slab has no room left for them
     * @throws IllegalArgumentException when the datagram lies outside its payload, or has none
     * @throws IllegalStateException when a native payload's arena is closed
     */
    long payloadAddress(PendingWrite w) {
        long offset = w.offset();
        int length = w.length();
        MemorySegment seg = w.segment();
        if (seg != null) {
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
        ByteBuffer buf = w.buffer();
        if (buf == null) {
            throw new IllegalArgumentException("datagram without payload");
        }
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

    /** @return the total length of the control messages written into slot {@code msg}, or {@code -errno} */
    private int controlMessages(InetAddress source, int ifindex, int msg, boolean v4, int ecn, int segmentSize) {
        if (ecn < 0 && segmentSize <= 0 && source == null && ifindex == 0) {
            return 0;
        }
        MemorySegment c = s.control;
        long at = (long) msg * SendScratch.CONTROL_SLOT;
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
        if (source != null || ifindex != 0) {
            // A chosen interface alone goes with the unspecified source (0.0.0.0 / ::): the kernel then
            // picks the interface's address, as it does for ipi_ifindex without ipi_spec_dst.
            if (v4) {
                if (source != null && !(source instanceof Inet4Address)) {
                    return -Errno.EAFNOSUPPORT;
                }
                len += Cmsg.putInPktinfo(c, at + len, ifindex, source == null ? 0 : s.source4(source), 0);
            } else {
                s.loadSource6(source);
                len += Cmsg.putIn6Pktinfo(c, at + len, s.sourceBytes, 0, ifindex);
            }
        }
        return len;
    }

    private Result refuse(Result why, int errno) {
        refusedErrno = errno;
        return why;
    }
}
