package dev.salvo.write;

/**
 * The two system calls the write engine needs, as plain numbers so that no call allocates.
 *
 * <p>Production uses the Linux FFM writer ({@code sendmsg}/{@code sendmmsg}); tests script
 * kernel answers with a fake. Errors come back as {@code -errno} (e.g. {@code -Errno.EAGAIN}).
 */
public interface DatagramWriter {
    /**
     * Sends one datagram ({@code sendmsg}).
     *
     * @param write the datagram at the head of the flushed queue
     * @return the number of bytes the kernel took (≥ 0; a datagram is atomic, so any value counts
     *     as the whole datagram), or {@code -errno}
     */
    int writeScalar(PendingWrite write);

    /**
     * Sends the first {@code count} datagrams of {@code batch} in one call ({@code sendmmsg}).
     *
     * @param batch the flushed datagrams, head first
     * @param count how many to send, 1 ≤ count ≤ 1024, their bytes together ≤ {@link Integer#MAX_VALUE}
     * @return how many leading datagrams were sent (≥ 0; may be fewer than {@code count}), or
     *     {@code -errno} when the first one could not be sent
     */
    int writeVector(WriteBatch batch, int count);
}
