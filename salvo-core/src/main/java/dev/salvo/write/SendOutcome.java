package dev.salvo.write;

import java.util.Objects;

/**
 * What one {@link DatagramWriter} call achieved: a mutable, reused value so that reporting it
 * allocates nothing. The manager owns one, resets it before every writer call, and reads it after.
 *
 * <p>A writer reports exactly one of: {@link #sent(int) sent k datagrams}, {@link #failed failed}
 * (nothing sent), or {@link #splitBlocked(int, int, String) some more segments of the head sent, the rest would
 * block} (a software split of a datagram with a segment size that filled the socket part-way).
 */
public final class SendOutcome {
    private int sent = -1;
    private SendError error;
    private int errno;
    private String operation;
    private int segmentsSent;

    /** Forgets the previous report; called by the manager before each writer call. */
    public void reset() {
        sent = -1;
        error = null;
        errno = 0;
        operation = null;
        segmentsSent = 0;
    }

    /**
     * The first {@code datagrams} datagrams of the call went out whole.
     *
     * @param datagrams ≥ 0; 1 for a scalar call
     */
    public void sent(int datagrams) {
        if (datagrams < 0) {
            throw new IllegalArgumentException("sent " + datagrams + " datagrams");
        }
        sent = datagrams;
        error = null;
    }

    /**
     * Nothing (more) was sent.
     *
     * @param kind the classification
     * @param errno the kernel's number, kept for the exception's {@code errno()} (0 when none)
     * @param operation the system call, such as {@code "sendmsg"}
     */
    public void failed(SendError kind, int errno, String operation) {
        this.error = Objects.requireNonNull(kind, "kind");
        this.errno = errno;
        this.operation = operation;
        this.sent = -1;
    }

    /**
     * {@code segments} more segments of the head datagram's software split went out and the rest
     * would block: the engine records the progress and waits, completing nothing.
     *
     * @param segments ≥ 1
     * @param errno the number that stopped the split (usually {@code EAGAIN})
     * @param operation the system call
     */
    public void splitBlocked(int segments, int errno, String operation) {
        if (segments < 1) {
            throw new IllegalArgumentException("split progress of " + segments + " segments");
        }
        failed(SendError.WOULD_BLOCK, errno, operation);
        segmentsSent = segments;
    }

    /** @return whether the call reported datagrams sent (possibly 0) rather than an error */
    public boolean isSent() {
        return error == null && sent >= 0;
    }

    /** @return how many datagrams were sent; only meaningful when {@link #isSent()} */
    public int sentCount() {
        return sent;
    }

    /** @return the failure kind, or {@code null} when datagrams were sent (or nothing was reported) */
    public SendError error() {
        return error;
    }

    /** @return the errno that came with the failure, 0 when none */
    public int errno() {
        return errno;
    }

    /** @return the system call that failed */
    public String operation() {
        return operation;
    }

    /** @return segments of the head's software split sent by this call before it would block */
    public int segmentsSent() {
        return segmentsSent;
    }

    @Override
    public String toString() {
        if (isSent()) {
            return "sent " + sent;
        }
        if (error == null) {
            return "nothing reported";
        }
        return error + " (" + operation + ", errno " + errno + (segmentsSent > 0 ? ", " + segmentsSent + " segments sent" : "") + ")";
    }
}
