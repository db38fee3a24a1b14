package dev.salvo.write;

/**
 * The two system calls the write engine needs, reporting into a reused {@link SendOutcome} so
 * that no call allocates.
 *
 * <p>Production uses the Linux FFM writer ({@code sendmsg}/{@code sendmmsg}) or the java.nio one;
 * tests script kernel answers with a fake. A writer classifies the kernel's answer into a
 * {@link SendError} itself: the engine never sees a raw errno.
 */
public interface DatagramWriter {
    /**
     * Sends one datagram ({@code sendmsg}). Reports {@code out.sent(1)} when it went out (a
     * datagram is atomic, so any byte count counts as all of it), or why it did not.
     *
     * @param write the datagram at the head of the flushed queue
     * @param out reset by the caller; filled in by the writer
     */
    void writeScalar(PendingWrite write, SendOutcome out);

    /**
     * Sends the first {@code count} datagrams of {@code batch} in one call ({@code sendmmsg}).
     * Reports {@code out.sent(k)} for the k leading datagrams sent (may be fewer than
     * {@code count}), or why the first one could not be sent.
     *
     * @param batch the flushed datagrams, head first
     * @param count how many to send, 1 ≤ count ≤ 1024, their bytes together ≤ {@link Integer#MAX_VALUE}
     * @param out reset by the caller; filled in by the writer
     */
    void writeVector(WriteBatch batch, int count, SendOutcome out);
}
