package dev.salvo.transport.linux;

import dev.salvo.OffloadStats;
import dev.salvo.write.PendingWrite;

/**
 * The UDP offload decisions of one socket's writer, and their counters: whether the kernel's GSO
 * is used, whether automatic GSO coalesces, whether ECN codepoints are sent, the longest datagram
 * automatic GSO may still coalesce, and which fallback a refusal of the first message calls for.
 * It encodes nothing and calls nothing; the writer asks it and reports back.
 *
 * <p>Fallbacks only ever turn things off, for the rest of the socket's life, so each can happen at
 * most once per failing head:
 * <ul>
 *   <li>{@code EIO} (the device cannot checksum, so cannot segment) or {@code EINVAL} on a message
 *       carrying {@code UDP_SEGMENT}: GSO off, explicit and automatic;</li>
 *   <li>{@code EMSGSIZE} on a coalesced message (its segment is larger than the path MTU allows for
 *       GSO, while plain datagrams could still be fragmented): no more coalescing of datagrams of
 *       that length or longer;</li>
 *   <li>{@code EINVAL} on a message carrying an ECN codepoint: ECN marking off.</li>
 * </ul>
 * A raw policy (probes, tests of what the kernel itself does) checks nothing, coalesces nothing and
 * never falls back.
 */
final class OffloadPolicy {
    private final boolean managed;
    private final boolean unix;
    private final int maxSegments;

    private boolean gsoEnabled;
    private boolean autoGso;
    private boolean ecnEnabled = true;
    /** Datagrams longer than this are not coalesced; lowered by EMSGSIZE on a coalesced message. */
    private int autoSegmentLimit = SegmentationLimits.MAX_PAYLOAD_V6;

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

    /**
     * @param managed whether limits are checked, datagrams coalesced and refusals answered
     * @param unix whether the socket is unix-domain (no offloads, no control messages)
     * @param gso whether the kernel accepted {@code UDP_SEGMENT}; automatic GSO starts on when it did
     * @param maxSegments the most segments one GSO send may carry
     */
    OffloadPolicy(boolean managed, boolean unix, boolean gso, int maxSegments) {
        this.managed = managed;
        this.unix = unix;
        this.maxSegments = maxSegments;
        this.gsoEnabled = gso && !unix;
        this.autoGso = managed && gsoEnabled;
    }

    // ---- decisions ----

    /** @return whether limits are checked before the system call */
    boolean checksLimits() {
        return managed;
    }

    /** @return whether {@code w} must be split into separate datagrams in software (GSO is off) */
    boolean splitsInSoftware(PendingWrite w) {
        return managed && w.segmentSize() > 0 && !gsoEnabled && !unix;
    }

    /** @return the {@code UDP_SEGMENT} to send {@code w} alone with, 0 for none */
    int explicitSegment(PendingWrite w) {
        return unix ? 0 : w.segmentSize();
    }

    /** @return whether automatic GSO may coalesce runs right now */
    boolean coalesces() {
        return autoGso && gsoEnabled && !unix;
    }

    /** @return the longest datagram automatic GSO may still coalesce */
    int autoSegmentLimit() {
        return autoSegmentLimit;
    }

    /** @return whether control messages apply at all */
    boolean sendsControl() {
        return !unix;
    }

    /** @return whether ECN codepoints are still sent (the kernel has not refused them) */
    boolean ecnEnabled() {
        return ecnEnabled;
    }

    /** @return whether the kernel's GSO is in use for explicit segment sizes */
    boolean gsoEnabled() {
        return gsoEnabled;
    }

    /** @return whether automatic GSO is on (and GSO still works on this socket) */
    boolean autoGso() {
        return autoGso && gsoEnabled;
    }

    /** @return the most segments one GSO send may carry on this socket */
    int maxSegments() {
        return maxSegments;
    }

    /**
     * @param on whether to coalesce runs of equal datagrams
     * @throws UnsupportedOperationException when turning it on while GSO is off on this socket
     */
    void setAutoGso(boolean on) {
        if (on && (!gsoEnabled || !managed)) {
            throw new UnsupportedOperationException(gsoFallbacks > 0
                    ? "GSO was turned off on this socket after the kernel refused it"
                    : "this socket cannot use UDP GSO (the kernel refused UDP_SEGMENT, or it was disabled)");
        }
        autoGso = on;
    }

    // ---- what the writer reports ----

    /** Forgets the head of the previous build. */
    void clearHead() {
        headGso = false;
        headCoalesced = false;
        headEcn = false;
    }

    /**
     * Records what the first message of a build carried.
     *
     * @param datagrams how many datagrams it coalesced (1 = none)
     * @param w its first datagram
     */
    void headBuilt(int datagrams, PendingWrite w) {
        headCoalesced = datagrams > 1;
        headSegment = w.length();
        headGso = headCoalesced || w.segmentSize() > 0 && !unix;
        headEcn = w.ecn() >= 0 && !unix && ecnEnabled;
    }

    /** Records that the head is a software split, which carries no UDP_SEGMENT, perhaps ECN. */
    void headSplit(PendingWrite w) {
        clearHead();
        headEcn = w.ecn() >= 0 && ecnEnabled;
    }

    /**
     * Reacts to the kernel refusing the first message.
     *
     * @return whether building and sending again may help (something was turned off)
     */
    boolean fallBack(int errno) {
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

    /** Counts one sent message that carried {@code datagrams} coalesced datagrams (more than 1). */
    void coalescedSent(int datagrams) {
        coalescedMessages++;
        coalescedDatagrams += datagrams;
    }

    /** Counts one datagram whose segments all went out as separate datagrams. */
    void splitCompleted() {
        softwareSplits++;
    }

    // ---- counters ----

    long gsoFallbacks() {
        return gsoFallbacks;
    }

    long ecnFallbacks() {
        return ecnFallbacks;
    }

    long uncoalescedRetries() {
        return uncoalescedRetries;
    }

    long coalescedMessages() {
        return coalescedMessages;
    }

    long coalescedDatagrams() {
        return coalescedDatagrams;
    }

    long softwareSplits() {
        return softwareSplits;
    }

    /** Copies the counters, in the order of {@code SocketOps.GSO_FALLBACKS}.., without allocating. */
    void counters(long[] into) {
        into[0] = gsoFallbacks;
        into[1] = ecnFallbacks;
        into[2] = uncoalescedRetries;
        into[3] = coalescedMessages;
        into[4] = coalescedDatagrams;
    }

    /** @return the state and counters as the API reports them; {@link OffloadStats#NONE} on unix sockets */
    OffloadStats stats() {
        if (unix) {
            return OffloadStats.NONE;
        }
        return new OffloadStats(gsoEnabled, autoGso(), maxSegments, ecnEnabled, gsoFallbacks, ecnFallbacks,
                uncoalescedRetries, coalescedMessages, coalescedDatagrams, softwareSplits);
    }
}
