package dev.salvo.channel;

/**
 * When a channel counts as busy ({@link dev.salvo.transport.Poller#setBusy}): after
 * {@link #READS} reads in a row that each spent the read budget and left datagrams in the socket.
 * A read that empties the socket ends the streak.
 *
 * <p>Why not after the first such read: taking a socket out of the epoll set and putting it back
 * costs two system calls, and both take the socket's wait-queue lock that the sending side takes
 * for every datagram it delivers. Where the loop keeps up in bursts (GRO at 64 bytes: about
 * 13,000 busy spells a second, each one or two budgets long), going busy at the first full read
 * made the C feeder 8–9 % slower (29.4–29.7 M against 31.5–32.2 M datagrams/s with a streak of
 * 4, 2-core Xeon). A socket the loop cannot empty (a saturated 1200-byte receive) reaches the
 * streak at once and stays out of the set, where its gain was measured; it was the same with 1
 * and 4 there. Loop-confined.
 */
final class BusyStreak {
    /** Full reads in a row before the socket counts as busy. */
    static final int READS = 4;

    private int fullReads;

    /**
     * Records one read's outcome.
     *
     * @param drained whether the read found the socket empty (else it stopped at the budget)
     * @return whether the socket now counts as busy
     */
    boolean afterRead(boolean drained) {
        fullReads = drained ? 0 : Math.min(fullReads + 1, READS);
        return fullReads >= READS;
    }
}
