package dev.salvo.transport.linux;

import static dev.salvo.transport.linux.LinuxConstants.AF_INET;
import static dev.salvo.transport.linux.LinuxConstants.AF_INET6;
import static dev.salvo.transport.linux.LinuxConstants.AF_UNIX;

import dev.salvo.OffloadStats;
import dev.salvo.write.DatagramWriter;
import dev.salvo.write.PendingWrite;
import dev.salvo.write.SendError;
import dev.salvo.write.SendOutcome;
import dev.salvo.write.WriteBatch;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;

/**
 * The write engine's {@link DatagramWriter} over one Linux datagram socket: {@code sendmsg} for
 * one datagram, {@code sendmmsg} for a batch, with per-datagram ECN, GSO segment size and source
 * address as control messages, and UDP offloads that degrade at run time when the kernel says no.
 *
 * <p>It drives three helpers and makes the system calls ({@link SendCalls}): the
 * {@link OffloadPolicy} decides (GSO, automatic GSO, ECN, limits, fallbacks, counters), the
 * {@link GsoCoalescer} finds runs of datagrams that may share one message, the
 * {@link MessageEncoder} fills the event loop's {@link SendScratch}. Kernel answers are classified
 * once, by {@link SendErrors}, into the engine's {@link SendOutcome}.
 *
 * <p>Heap payloads are copied into the scratch's slab; when a batch's heap bytes would overflow it
 * the batch is cut short (the engine treats a short count as a partial write and calls again). A
 * datagram over 65,535 bytes on an IP socket is refused ({@code EMSGSIZE}) without being copied;
 * in a batch, such a datagram (or one whose address does not suit the socket) ends the batch
 * before it, so it is reported on its own when it reaches the head. On unix-domain sockets the
 * control messages are not sent and the size limit is the kernel's.
 *
 * <p><b>Managed writers</b> (the ones sockets use) check an explicit GSO datagram against the
 * limits before the system call ({@link SegmentationLimits}; a violation is {@code TOO_LARGE} for
 * that datagram alone), coalesce runs when automatic GSO is on (the datagram count reported still
 * counts original datagrams), and when the kernel refuses the first message of a call, fall back
 * as the policy says and send again at once, so nothing is lost. A message refused after others of
 * the same call were sent ends the call there; it is at the head of the next call.
 *
 * <p><b>After GSO is off</b> (refused at run time, or never available), a datagram with a segment
 * size is split in software: its segments go out as separate datagrams in one {@code sendmmsg}.
 * If the socket fills up part-way, the writer reports the segments sent and "would block"
 * ({@link SendOutcome#splitBlocked}); the engine keeps that progress in the queued datagram
 * ({@link PendingWrite#segmentsSent()}) and the next call resumes with the first unsent segment.
 * The datagram completes once all of its segments are out. A kernel error part-way fails the
 * datagram (some of its segments may have been sent, as if they had been lost on the way).
 *
 * <p><b>Raw writers</b> (probes, tests) pass everything to the kernel as given: nothing is
 * validated, coalesced or retried.
 */
public final class LinuxDatagramWriter implements DatagramWriter {
    /** Largest UDP payload in one IPv4 datagram (65,535 − 20 − 8). */
    public static final int MAX_PAYLOAD_V4 = SegmentationLimits.MAX_PAYLOAD_V4;
    /** Largest UDP payload in one IPv6 datagram without jumbograms (65,535 − 8). */
    public static final int MAX_PAYLOAD_V6 = SegmentationLimits.MAX_PAYLOAD_V6;
    /** The segment limit to assume when none was probed: the kernel's {@code UDP_MAX_SEGMENTS} before Linux 6.11. */
    public static final int PORTABLE_MAX_SEGMENTS = 64;

    /**
     * Send attempts in one writer call: the first, and one after each fallback (GSO off, smaller
     * coalescing limit, ECN off), each of which can happen at most once per failing head.
     */
    private static final int MAX_ATTEMPTS = 4;

    private final int fd;
    private final int family;
    private final SendScratch s;
    private final SendCalls sys;
    private final OffloadPolicy policy;
    private final MessageEncoder encoder;
    private final WriteBatch single = i -> this.scalarWrite;
    private PendingWrite scalarWrite;
    /** Why the last {@link #build} could not encode its first datagram. */
    private int buildErrno;

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
        this.policy = new OffloadPolicy(managed, family == AF_UNIX, gso, maxSegments);
        this.encoder = new MessageEncoder(family, scratch);
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
        encoder.setBaseTos(tos);
    }

    /**
     * Tells the writer which peer the socket is connected to, so that address-less datagrams on a
     * dual-stack socket connected to an IPv4 peer carry IPv4 control messages.
     *
     * @param peer the connected peer, or {@code null} after a disconnect
     */
    public void setConnectedPeer(SocketAddress peer) {
        encoder.setConnectedPeerIsV4(peer instanceof InetSocketAddress inet && inet.getAddress() instanceof Inet4Address);
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
        policy.setAutoGso(on);
    }

    /** @return whether automatic GSO is on (and GSO still works on this socket) */
    public boolean autoGso() {
        return policy.autoGso();
    }

    /** @return the most segments one GSO send may carry on this socket */
    public int maxSegments() {
        return policy.maxSegments();
    }

    /** @return the offload state and counters ({@link OffloadStats#NONE} on a unix-domain socket) */
    public OffloadStats offloadStats() {
        return policy.stats();
    }

    /**
     * Copies the offload counters without allocating (see {@code SocketOps.offloadCounters}).
     *
     * @param into at least five long
     */
    public void offloadCounters(long[] into) {
        policy.counters(into);
    }

    @Override
    public void writeScalar(PendingWrite write, SendOutcome out) {
        scalarWrite = write;
        try {
            send(single, 1, true, out);
        } finally {
            scalarWrite = null;
        }
    }

    @Override
    public void writeVector(WriteBatch batch, int count, SendOutcome out) {
        if (count < 1 || count > SendScratch.MAX_MESSAGES) {
            throw new IllegalArgumentException("count " + count + " outside 1.." + SendScratch.MAX_MESSAGES);
        }
        send(batch, count, false, out);
    }

    /** Builds and sends; on a refusal that a fallback answers, falls back and sends again. */
    private void send(WriteBatch batch, int count, boolean scalar, SendOutcome out) {
        String operation = scalar ? "sendmsg" : "sendmmsg";
        for (int attempt = 1; ; attempt++) {
            PendingWrite head = batch.get(0);
            int errno;
            if (policy.splitsInSoftware(head)) {
                errno = sendSplit(head, out, operation);
            } else {
                int messages = build(batch, count);
                if (messages == 0) {
                    fail(out, buildErrno, head, operation);
                    return;
                }
                if (scalar) {
                    long bytes = sys.sendmsg(s.callState, fd, s.mmsg, 0);
                    if (bytes >= 0) {
                        out.sent(1); // a datagram is atomic: any byte count is all of it
                        return;
                    }
                    errno = (int) -bytes;
                } else {
                    int r = sys.sendmmsg(s.callState, fd, s.mmsg, messages, 0);
                    if (r >= 0) {
                        out.sent(originalsSent(r));
                        return;
                    }
                    errno = -r;
                }
            }
            if (errno == 0) {
                return; // the split filled in the outcome
            }
            if (attempt >= MAX_ATTEMPTS || !policy.fallBack(errno)) {
                fail(out, errno, head, operation);
                return;
            }
        }
    }

    private static void fail(SendOutcome out, int errno, PendingWrite head, String operation) {
        out.failed(SendErrors.classify(errno, head.segmentSize() > 0), errno, operation);
    }

    /** Maps {@code sendmmsg}'s message count back to original datagrams, and counts coalescing. */
    private int originalsSent(int messages) {
        int[] end = s.msgEnd;
        int prev = 0;
        for (int m = 0; m < messages; m++) {
            int n = end[m] - prev;
            if (n > 1) {
                policy.coalescedSent(n);
            }
            prev = end[m];
        }
        return prev;
    }

    /**
     * Builds the messages for up to {@code count} datagrams.
     *
     * @return how many messages were built, or 0 when the first datagram cannot be ({@link #buildErrno} says why)
     */
    private int build(WriteBatch batch, int count) {
        encoder.beginBatch();
        policy.clearHead();
        int msg = 0;
        int i = 0;
        while (i < count) {
            PendingWrite w = batch.get(i);
            if (policy.splitsInSoftware(w)) {
                break; // split in software once it is at the head
            }
            int run = policy.coalesces()
                    ? GsoCoalescer.runLength(batch, i, count, policy.maxSegments(), policy.autoSegmentLimit(),
                            encoder.toIpv4(w.destination()))
                    : 1;
            int taken = encodeMessage(batch, i, run, msg);
            if (taken <= 0) {
                if (msg == 0) {
                    if (taken == 0) {
                        // An empty slab that cannot hold one datagram means the datagram is too large.
                        buildErrno = Errno.EMSGSIZE;
                    }
                    return 0;
                }
                break;
            }
            if (msg == 0) {
                policy.headBuilt(taken, w);
            }
            i += taken;
            s.msgEnd[msg++] = i;
        }
        return msg;
    }

    /**
     * Encodes message {@code msg} from datagrams {@code [first, first + run)}.
     *
     * @return how many datagrams it took (≥ 1), 0 when the slab could not take the first, or -1
     *     when the first cannot be sent ({@link #buildErrno} says why)
     */
    private int encodeMessage(WriteBatch batch, int first, int run, int msg) {
        PendingWrite w = batch.get(first);
        if (encoder.checkLength(w) != MessageEncoder.Result.OK
                || encoder.destination(w.destination(), msg) != MessageEncoder.Result.OK) {
            buildErrno = encoder.refusedErrno();
            return -1;
        }
        int explicit = policy.explicitSegment(w);
        if (explicit > 0 && policy.checksLimits()
                && SegmentationLimits.check(w.length(), explicit, encoder.destinationIsV4(), policy.maxSegments())
                        != SegmentationLimits.Problem.NONE) {
            buildErrno = Errno.EMSGSIZE;
            return -1;
        }
        int taken = encoder.payloads(batch, first, run, msg);
        if (taken == 0) {
            return 0;
        }
        int segment = taken > 1 ? w.length() : explicit;
        if (encoder.control(w, msg, ecnToSend(w), segment) != MessageEncoder.Result.OK) {
            buildErrno = encoder.refusedErrno();
            return -1;
        }
        encoder.seal(msg);
        return taken;
    }

    private int ecnToSend(PendingWrite w) {
        return policy.ecnEnabled() ? w.ecn() : PendingWrite.NO_ECN;
    }

    /**
     * Sends a datagram with a segment size as separate datagrams, GSO being off, resuming after
     * the segments an earlier call sent ({@link PendingWrite#segmentsSent()}).
     *
     * @return 0 when {@code out} was filled in (all sent, or some sent and the rest would block),
     *     else the errno that stopped it before anything (more) was sent
     */
    private int sendSplit(PendingWrite w, SendOutcome out, String operation) {
        policy.clearHead();
        encoder.beginBatch();
        int length = w.length();
        int segment = w.segmentSize();
        if (encoder.destination(w.destination(), 0) != MessageEncoder.Result.OK) {
            return encoder.refusedErrno();
        }
        if (length < 0 || length > LinuxConstants.MAX_UDP_PAYLOAD
                || SegmentationLimits.check(length, segment, encoder.destinationIsV4(), policy.maxSegments())
                        != SegmentationLimits.Problem.NONE) {
            return Errno.EMSGSIZE;
        }
        long base = encoder.payloadAddress(w);
        if (base == -1) {
            return Errno.EMSGSIZE;
        }
        if (encoder.control(w, 0, ecnToSend(w), 0) != MessageEncoder.Result.OK) {
            return encoder.refusedErrno();
        }
        policy.headSplit(w);
        int done = w.segmentsSent();
        int messages = encoder.splitMessages(w, base, done);
        int r = sys.sendmmsg(s.callState, fd, s.mmsg, messages, 0);
        if (r < 0) {
            return -r;
        }
        if (r >= messages) {
            policy.splitCompleted();
            out.sent(1);
        } else if (r > 0) {
            // sendmmsg stops short only when the next message would fail, usually a full socket.
            out.splitBlocked(r, Errno.EAGAIN, operation);
        } else {
            out.failed(SendError.WOULD_BLOCK, Errno.EAGAIN, operation);
        }
        return 0;
    }
}
