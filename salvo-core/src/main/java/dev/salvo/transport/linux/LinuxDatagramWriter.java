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

import dev.salvo.write.DatagramWriter;
import dev.salvo.write.PendingWrite;
import dev.salvo.write.WriteBatch;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The write engine's {@link DatagramWriter} over one Linux datagram socket: {@code sendmsg} for
 * one datagram, {@code sendmmsg} for a batch, with per-datagram ECN, GSO segment size and source
 * address as control messages, and UDP offloads that degrade at run time when the kernel says no.
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
 *
 * <h2>Offloads (managed writers, the ones sockets use)</h2>
 *
 * <p><b>Explicit GSO.</b> A datagram with a segment size is one buffer cut by the kernel into
 * datagrams of that size (the last may be shorter), sent with a {@code UDP_SEGMENT} control
 * message. Before the system call the writer checks the limits ({@link #segmentationProblem}):
 * segment size at most the payload, at most the probed number of segments, at most 65,507 bytes
 * in all towards IPv4 (65,527 towards IPv6); a violation answers {@code -EMSGSIZE}, which fails
 * that datagram alone.
 *
 * <p><b>Automatic GSO</b> ({@link #setAutoGso}). In a vector write, a run of consecutive
 * datagrams to the same destination with the same ECN codepoint and source, without their own
 * segment size, all of one length except a shorter last one, becomes one message: one
 * {@code iovec} per datagram (no copy for native payloads) and a {@code UDP_SEGMENT} of that
 * length. A run stops at the segment limit and at the byte limit (a longer run is split, never
 * failed); a run of one stays a plain message. The return value still counts original datagrams:
 * {@code sendmmsg} sending k messages means the datagrams of those k messages were sent.
 *
 * <p><b>Partial failure.</b> The kernel accepts or refuses a coalesced message whole. When it
 * refuses the first message of a call:
 * <ul>
 *   <li>{@code EMSGSIZE} on a coalesced message (its segment is larger than the path MTU allows
 *       for GSO, while plain datagrams could still be fragmented): the batch is rebuilt at once
 *       without coalescing datagrams of that length or longer (for the rest of the socket's life),
 *       and sent again; each datagram then meets its own fate.</li>
 *   <li>{@code EIO} (the device cannot checksum, so cannot segment) or {@code EINVAL} on any
 *       message carrying {@code UDP_SEGMENT}: GSO is turned off for this socket, explicit and
 *       automatic, {@link #gsoFallbacks()} counts it, and the batch is sent again without it:
 *       nothing is lost.</li>
 *   <li>{@code EINVAL} on a message carrying an ECN codepoint: ECN marking is turned off for this
 *       socket ({@link #ecnFallbacks()}), and the batch is sent again without it.</li>
 * </ul>
 * A message refused after others of the same call were sent ends the call there; it is at the
 * head of the next call, where the rules above apply.
 *
 * <p><b>After GSO is off</b> (refused at run time, or never available), a datagram with a segment
 * size is split in software: its segments go out as separate datagrams in one {@code sendmmsg},
 * nothing lost. If the socket fills up part-way, the writer answers {@code -EAGAIN} and resumes
 * with the first unsent segment when the engine retries the same queued datagram; the datagram
 * completes once all of its segments are out. A kernel error part-way fails the datagram (some of
 * its segments may have been sent, as if they had been lost on the way).
 */
public final class LinuxDatagramWriter implements DatagramWriter {
    /** Largest UDP payload in one IPv4 datagram (65,535 − 20 − 8). */
    public static final int MAX_PAYLOAD_V4 = 65_507;
    /** Largest UDP payload in one IPv6 datagram without jumbograms (65,535 − 8). */
    public static final int MAX_PAYLOAD_V6 = 65_527;
    /** The segment limit to assume when none was probed: the kernel's {@code UDP_MAX_SEGMENTS} before Linux 6.11. */
    public static final int PORTABLE_MAX_SEGMENTS = 64;

    /** {@link #segmentationProblem} codes. */
    static final int SEGMENT_OK = 0;
    static final int SEGMENT_LARGER_THAN_PAYLOAD = 1;
    static final int TOO_MANY_SEGMENTS = 2;
    static final int TOO_MANY_BYTES = 3;

    /**
     * Send attempts in one writer call: the first, and one after each fallback (GSO off, smaller
     * coalescing limit, ECN off), each of which can happen at most once per failing head.
     */
    private static final int MAX_ATTEMPTS = 4;

    private final int fd;
    private final int family;
    private final SendScratch s;
    private final SendCalls sys;
    /** Validates, coalesces and falls back; a raw writer (probes, tests) passes everything to the kernel. */
    private final boolean managed;
    private final int maxSegments;
    private final WriteBatch single = i -> this.scalarWrite;
    private PendingWrite scalarWrite;
    private int baseTos;
    private boolean connectedPeerIsV4;

    private boolean gsoEnabled;
    private boolean autoGso;
    private boolean ecnEnabled = true;
    /** Datagrams longer than this are not coalesced; lowered by EMSGSIZE on a coalesced message. */
    private int autoSegmentLimit = MAX_PAYLOAD_V6;

    private long gsoFallbacks;
    private long ecnFallbacks;
    private long uncoalescedRetries;
    private long coalescedMessages;
    private long coalescedDatagrams;
    private long softwareSplits;

    // What the first message of the last build carried, to tell which fallback a refusal calls for.
    private boolean headGso;
    private boolean headCoalesced;
    private boolean headEcn;
    private int headSegment;

    // Progress of a software split cut short by a full socket (see the class comment).
    private PendingWrite splitSlot;
    private Object splitPayload;
    private long splitOffset;
    private int splitLength;
    private int splitDone;

    /**
     * A raw writer: control messages are passed to the kernel as given, nothing is validated,
     * coalesced or retried. Probes use it to learn what the kernel itself does.
     *
     * @param fd the socket
     * @param family its address family ({@code AF_INET}, {@code AF_INET6} or {@code AF_UNIX})
     * @param scratch the event loop's send scratch
     */
    public LinuxDatagramWriter(int fd, int family, SendScratch scratch) {
        this(fd, family, scratch, SendCalls.LIBC, false, true, 0);
    }

    /**
     * A managed writer, as a socket uses it: limits checked before the system call, automatic
     * GSO available, fallbacks at run time (see the class comment).
     *
     * @param fd the socket
     * @param family its address family
     * @param scratch the event loop's send scratch
     * @param gso whether the kernel accepted {@code UDP_SEGMENT} on this socket; automatic GSO
     *     starts on when it did
     * @param maxSegments the most segments one GSO send may carry (probed; {@link #PORTABLE_MAX_SEGMENTS} if unknown)
     */
    public LinuxDatagramWriter(int fd, int family, SendScratch scratch, boolean gso, int maxSegments) {
        this(fd, family, scratch, SendCalls.LIBC, true, gso, maxSegments);
    }

    LinuxDatagramWriter(int fd, int family, SendScratch scratch, SendCalls sys, boolean managed, boolean gso,
                        int maxSegments) {
        if (family != AF_INET && family != AF_INET6 && family != AF_UNIX) {
            throw new IllegalArgumentException("unsupported address family " + family);
        }
        if (managed && (maxSegments < 1 || maxSegments > SendScratch.MAX_MESSAGES)) {
            throw new IllegalArgumentException("max segments " + maxSegments + " outside 1.." + SendScratch.MAX_MESSAGES);
        }
        this.fd = fd;
        this.family = family;
        this.s = scratch;
        this.sys = Objects.requireNonNull(sys, "sys");
        this.managed = managed;
        this.maxSegments = maxSegments;
        this.gsoEnabled = gso && family != AF_UNIX;
        this.autoGso = managed && gsoEnabled;
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

    /**
     * Turns automatic GSO on or off.
     *
     * @param on whether to coalesce runs of equal datagrams
     * @throws UnsupportedOperationException when turning it on while GSO is off on this socket
     */
    public void setAutoGso(boolean on) {
        if (on && (!gsoEnabled || !managed)) {
            throw new UnsupportedOperationException(gsoFallbacks > 0
                    ? "GSO was turned off on this socket after the kernel refused it"
                    : "this socket cannot use UDP GSO (the kernel refused UDP_SEGMENT, or it was disabled)");
        }
        autoGso = on;
    }

    /** @return whether automatic GSO is on (and GSO still works on this socket) */
    public boolean autoGso() {
        return autoGso && gsoEnabled;
    }

    /** @return whether the kernel's GSO is in use for explicit segment sizes (else they are split in software) */
    public boolean gsoEnabled() {
        return gsoEnabled;
    }

    /** @return whether ECN codepoints are still sent (the kernel has not refused them) */
    public boolean ecnEnabled() {
        return ecnEnabled;
    }

    /** @return the most segments one GSO send may carry on this socket */
    public int maxSegments() {
        return maxSegments;
    }

    /** @return how many times GSO was turned off because the kernel refused it (0 or 1) */
    public long gsoFallbacks() {
        return gsoFallbacks;
    }

    /** @return how many times ECN marking was turned off because the kernel refused it (0 or 1) */
    public long ecnFallbacks() {
        return ecnFallbacks;
    }

    /** @return how many coalesced messages the kernel refused with EMSGSIZE, resent uncoalesced */
    public long uncoalescedRetries() {
        return uncoalescedRetries;
    }

    /** @return messages sent that carried several datagrams coalesced by automatic GSO */
    public long coalescedMessages() {
        return coalescedMessages;
    }

    /** @return datagrams that went out inside those coalesced messages */
    public long coalescedDatagrams() {
        return coalescedDatagrams;
    }

    /** @return datagrams with a segment size that were split in software because GSO was off */
    public long softwareSplits() {
        return softwareSplits;
    }

    /**
     * Checks an explicit GSO datagram against the limits, without building an exception.
     *
     * @param length the payload length
     * @param segmentSize its segment size, &gt; 0
     * @param toIpv4 whether it goes to an IPv4 (or IPv4-mapped) destination
     * @param maxSegments the most segments allowed
     * @return {@link #SEGMENT_OK} or the problem's code
     */
    static int segmentationProblem(int length, int segmentSize, boolean toIpv4, int maxSegments) {
        if (segmentSize > length) {
            return SEGMENT_LARGER_THAN_PAYLOAD;
        }
        if (length > (toIpv4 ? MAX_PAYLOAD_V4 : MAX_PAYLOAD_V6)) {
            return TOO_MANY_BYTES;
        }
        if ((length + segmentSize - 1) / segmentSize > maxSegments) {
            return TOO_MANY_SEGMENTS;
        }
        return SEGMENT_OK;
    }

    /**
     * @return the words for a {@link #segmentationProblem} code, naming the limit
     */
    static String describeSegmentationProblem(int code, int length, int segmentSize, boolean toIpv4,
                                              int maxSegments) {
        return switch (code) {
            case SEGMENT_LARGER_THAN_PAYLOAD -> "GSO segment size " + segmentSize
                    + " is larger than the payload of " + length + " bytes";
            case TOO_MANY_BYTES -> "GSO payload of " + length + " bytes exceeds the UDP limit of "
                    + (toIpv4 ? MAX_PAYLOAD_V4 + " bytes over IPv4" : MAX_PAYLOAD_V6 + " bytes over IPv6");
            case TOO_MANY_SEGMENTS -> "GSO payload of " + length + " bytes in segments of " + segmentSize
                    + " makes " + ((length + segmentSize - 1) / segmentSize) + " segments; the limit is "
                    + maxSegments + " per send";
            default -> "GSO datagram within limits";
        };
    }

    @Override
    public int writeScalar(PendingWrite write) {
        scalarWrite = write;
        try {
            return send(single, 1, true);
        } finally {
            scalarWrite = null;
        }
    }

    @Override
    public int writeVector(WriteBatch batch, int count) {
        if (count < 1 || count > SendScratch.MAX_MESSAGES) {
            throw new IllegalArgumentException("count " + count + " outside 1.." + SendScratch.MAX_MESSAGES);
        }
        return send(batch, count, false);
    }

    /** Builds and sends; on a refusal that a fallback answers, falls back and sends again. */
    private int send(WriteBatch batch, int count, boolean scalar) {
        for (int attempt = 1; ; attempt++) {
            PendingWrite head = batch.get(0);
            int r;
            boolean split = managed && head.segmentSize() > 0 && !gsoEnabled && family != AF_UNIX;
            if (split) {
                r = sendSplit(head, scalar);
            } else {
                int messages = build(batch, count);
                if (messages < 0) {
                    return messages;
                }
                if (scalar) {
                    long bytes = sys.sendmsg(s.callState, fd, s.mmsg, 0);
                    r = bytes >= 0 ? (int) Math.min(bytes, Integer.MAX_VALUE) : (int) bytes;
                } else {
                    r = sys.sendmmsg(s.callState, fd, s.mmsg, messages, 0);
                    if (r >= 0) {
                        return originalsSent(r);
                    }
                }
            }
            if (r >= 0 || r == -Errno.EAGAIN && split) {
                return r;
            }
            if (attempt >= MAX_ATTEMPTS || !fallBack(-r)) {
                clearSplit();
                return r;
            }
        }
    }

    /** Reacts to the kernel refusing the first message; returns whether sending again may help. */
    private boolean fallBack(int errno) {
        if (!managed) {
            return false;
        }
        if (headGso && gsoEnabled && (errno == Errno.EIO || errno == Errno.EINVAL)) {
            gsoEnabled = false;
            gsoFallbacks++;
            return true;
        }
        if (headCoalesced && errno == Errno.EMSGSIZE) {
            autoSegmentLimit = Math.min(autoSegmentLimit, headSegment - 1);
            uncoalescedRetries++;
            return true;
        }
        if (headEcn && ecnEnabled && errno == Errno.EINVAL) {
            ecnEnabled = false;
            ecnFallbacks++;
            return true;
        }
        return false;
    }

    /** Maps {@code sendmmsg}'s message count back to original datagrams, and counts coalescing. */
    private int originalsSent(int messages) {
        if (messages == 0) {
            return 0;
        }
        int[] end = s.msgEnd;
        int prev = 0;
        for (int m = 0; m < messages; m++) {
            int n = end[m] - prev;
            if (n > 1) {
                coalescedMessages++;
                coalescedDatagrams += n;
            }
            prev = end[m];
        }
        return prev;
    }

    /**
     * Builds the messages for up to {@code count} datagrams.
     *
     * @return how many messages were built (≥ 1), or {@code -errno} when the first datagram cannot be
     */
    private int build(WriteBatch batch, int count) {
        s.slabUsed = 0;
        headGso = false;
        headCoalesced = false;
        headEcn = false;
        int msg = 0;
        int i = 0;
        while (i < count) {
            PendingWrite w = batch.get(i);
            if (managed && w.segmentSize() > 0 && !gsoEnabled && family != AF_UNIX) {
                break; // split in software once it is at the head
            }
            int run = runLength(batch, i, count);
            int taken = prepare(batch, i, run, msg);
            if (taken <= 0) {
                if (msg == 0) {
                    // An empty slab that cannot hold one datagram means the datagram is too large.
                    return taken < 0 ? taken : -Errno.EMSGSIZE;
                }
                break;
            }
            if (msg == 0) {
                headCoalesced = taken > 1;
                headSegment = w.length();
                headGso = headCoalesced || w.segmentSize() > 0 && family != AF_UNIX;
                headEcn = w.ecn() >= 0 && family != AF_UNIX && ecnEnabled;
            }
            i += taken;
            s.msgEnd[msg++] = i;
        }
        return msg;
    }

    /** @return how many datagrams from {@code i} automatic GSO may coalesce into one message (1 = none) */
    private int runLength(WriteBatch batch, int i, int count) {
        if (!autoGso || !gsoEnabled || family == AF_UNIX) {
            return 1;
        }
        PendingWrite a = batch.get(i);
        int len = a.length();
        if (a.segmentSize() != 0 || len <= 0 || len > autoSegmentLimit || i + 1 >= count) {
            return 1;
        }
        SocketAddress to = a.destination();
        int limit = toIpv4(to) ? MAX_PAYLOAD_V4 : MAX_PAYLOAD_V6;
        long total = len;
        int n = 1;
        while (i + n < count && n < maxSegments) {
            PendingWrite b = batch.get(i + n);
            int bl = b.length();
            if (bl <= 0 || bl > len || total + bl > limit || b.segmentSize() != 0 || b.ecn() != a.ecn()
                    || !sameAddress(to, b.destination()) || !sameSource(a.source(), b.source())) {
                break;
            }
            total += bl;
            n++;
            if (bl < len) {
                break; // only the last segment may be shorter
            }
        }
        return n;
    }

    private static boolean sameAddress(SocketAddress a, SocketAddress b) {
        return a == b || a != null && a.equals(b);
    }

    private static boolean sameSource(InetAddress a, InetAddress b) {
        return a == b || a != null && a.equals(b);
    }

    private boolean toIpv4(SocketAddress destination) {
        if (family == AF_INET) {
            return true;
        }
        if (destination == null) {
            return connectedPeerIsV4;
        }
        return destination instanceof InetSocketAddress inet && inet.getAddress() instanceof Inet4Address;
    }

    /**
     * Builds message {@code msg} from datagrams {@code [first, first + run)}, each with its own
     * {@code iovec} (iovec index = datagram index, so the batch never needs more than it has).
     *
     * @return how many datagrams the message took (≥ 1; fewer than {@code run} when the slab filled),
     *     0 when the slab could not take the first, or {@code -errno}
     */
    private int prepare(WriteBatch batch, int first, int run, int msg) {
        PendingWrite w = batch.get(first);
        int length = w.length();
        long offset = w.offset();
        if (length < 0 || offset < 0) {
            throw new IllegalArgumentException("negative length " + length + " or offset " + offset);
        }
        if (length > LinuxConstants.MAX_UDP_PAYLOAD && family != AF_UNIX) {
            return -Errno.EMSGSIZE;
        }
        long hdr = msg * MMSGHDR_SIZE;
        MemorySegment m = s.mmsg;
        boolean v4 = putDestination(w.destination(), msg);
        if (w.destination() != null && m.get(JAVA_INT, hdr + MSG_NAMELEN) < 0) {
            return m.get(JAVA_INT, hdr + MSG_NAMELEN);
        }
        int explicit = family == AF_UNIX ? 0 : w.segmentSize();
        if (managed && explicit > 0 && segmentationProblem(length, explicit, v4, maxSegments) != SEGMENT_OK) {
            return -Errno.EMSGSIZE;
        }

        int taken = 0;
        for (int k = 0; k < run; k++) {
            PendingWrite x = k == 0 ? w : batch.get(first + k);
            long base = payloadAddress(x.payload(), x.offset(), x.length());
            if (base == -1) {
                break;
            }
            long iovOff = (first + k) * IOVEC_SIZE;
            s.iov.set(JAVA_LONG, iovOff, base);
            s.iov.set(JAVA_LONG, iovOff + IOV_LEN, x.length());
            taken++;
        }
        if (taken == 0) {
            return 0;
        }
        m.set(JAVA_LONG, hdr + MSG_IOV, s.iovAddress + first * IOVEC_SIZE);
        m.set(JAVA_LONG, hdr + MSG_IOVLEN, taken);

        int segment = taken > 1 ? length : explicit;
        int controlLen = family == AF_UNIX ? 0 : buildControl(w, msg, v4, segment);
        if (controlLen < 0) {
            return controlLen;
        }
        setControl(hdr, msg, controlLen);
        m.set(JAVA_INT, hdr + MSG_FLAGS, 0);
        m.set(JAVA_INT, hdr + MMSG_LEN, 0);
        return taken;
    }

    /**
     * Points message {@code msg} at its destination (or at none on a connected socket).
     *
     * @return whether IPv4 control messages apply; on an unsuitable address, {@code msg_namelen}
     *     holds {@code -errno}
     */
    private boolean putDestination(SocketAddress destination, int msg) {
        long hdr = msg * MMSGHDR_SIZE;
        MemorySegment m = s.mmsg;
        if (destination == null) {
            m.set(JAVA_LONG, hdr + MSG_NAME, 0L);
            m.set(JAVA_INT, hdr + MSG_NAMELEN, 0);
            return connectedPeerIsV4;
        }
        int nameLen = s.encodeDestination(destination, family, msg);
        long slot = (long) msg * SendScratch.NAME_SLOT;
        m.set(JAVA_LONG, hdr + MSG_NAME, s.namesAddress + slot);
        m.set(JAVA_INT, hdr + MSG_NAMELEN, nameLen);
        return nameLen >= 0 && family != AF_UNIX && SockAddr.isInet4(s.names, slot);
    }

    private void setControl(long hdr, int controlSlot, int controlLen) {
        if (controlLen == 0) {
            s.mmsg.set(JAVA_LONG, hdr + MSG_CONTROL, 0L);
            s.mmsg.set(JAVA_LONG, hdr + MSG_CONTROLLEN, 0L);
        } else {
            s.mmsg.set(JAVA_LONG, hdr + MSG_CONTROL, s.controlAddress + (long) controlSlot * SendScratch.CONTROL_SLOT);
            s.mmsg.set(JAVA_LONG, hdr + MSG_CONTROLLEN, controlLen);
        }
    }

    /**
     * Sends a datagram with a segment size as separate datagrams, GSO being off: one message per
     * segment, all sharing its address and control slot, resuming after a full socket.
     *
     * @return as the writer call: the length (scalar) or 1 (vector) when all segments are out,
     *     {@code -EAGAIN} when the socket filled part-way, or {@code -errno}
     */
    private int sendSplit(PendingWrite w, boolean scalar) {
        headGso = false;
        headCoalesced = false;
        headEcn = false;
        int length = w.length();
        int segment = w.segmentSize();
        s.slabUsed = 0;
        boolean v4 = putDestination(w.destination(), 0);
        int nameLen = s.mmsg.get(JAVA_INT, MSG_NAMELEN);
        if (nameLen < 0) {
            return nameLen;
        }
        if (length < 0 || length > LinuxConstants.MAX_UDP_PAYLOAD
                || segmentationProblem(length, segment, v4, maxSegments) != SEGMENT_OK) {
            return -Errno.EMSGSIZE;
        }
        long base = payloadAddress(w.payload(), w.offset(), length);
        if (base == -1) {
            return -Errno.EMSGSIZE;
        }
        int controlLen = buildControl(w, 0, v4, 0);
        if (controlLen < 0) {
            return controlLen;
        }
        headEcn = w.ecn() >= 0 && ecnEnabled;
        int segments = (length + segment - 1) / segment;
        int done = resumes(w) ? splitDone : 0;
        long name = s.mmsg.get(JAVA_LONG, MSG_NAME);
        for (int k = done; k < segments; k++) {
            int msg = k - done;
            long iovOff = msg * IOVEC_SIZE;
            s.iov.set(JAVA_LONG, iovOff, base + (long) k * segment);
            s.iov.set(JAVA_LONG, iovOff + IOV_LEN, Math.min(segment, length - k * segment));
            long hdr = msg * MMSGHDR_SIZE;
            s.mmsg.set(JAVA_LONG, hdr + MSG_NAME, name);
            s.mmsg.set(JAVA_INT, hdr + MSG_NAMELEN, nameLen);
            s.mmsg.set(JAVA_LONG, hdr + MSG_IOV, s.iovAddress + iovOff);
            s.mmsg.set(JAVA_LONG, hdr + MSG_IOVLEN, 1L);
            setControl(hdr, 0, controlLen);
            s.mmsg.set(JAVA_INT, hdr + MSG_FLAGS, 0);
            s.mmsg.set(JAVA_INT, hdr + MMSG_LEN, 0);
        }
        int r = sys.sendmmsg(s.callState, fd, s.mmsg, segments - done, 0);
        if (r < 0) {
            return r; // the caller clears the progress unless a fallback retries
        }
        done += r;
        if (done >= segments) {
            clearSplit();
            softwareSplits++;
            return scalar ? length : 1;
        }
        // sendmmsg stops short only when the next message would fail, usually a full socket.
        splitSlot = w;
        splitPayload = w.payload();
        splitOffset = w.offset();
        splitLength = length;
        splitDone = done;
        return -Errno.EAGAIN;
    }

    private boolean resumes(PendingWrite w) {
        return splitSlot == w && splitPayload == w.payload() && splitOffset == w.offset() && splitLength == w.length();
    }

    private void clearSplit() {
        splitSlot = null;
        splitPayload = null;
        splitDone = 0;
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

    /**
     * Writes the control messages of message {@code i}; returns their total length or {@code -errno}.
     *
     * @param segmentSize the {@code UDP_SEGMENT} to send, 0 for none
     */
    private int buildControl(PendingWrite w, int i, boolean v4, int segmentSize) {
        int ecn = ecnEnabled ? w.ecn() : PendingWrite.NO_ECN;
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
