package dev.salvo.read;

import dev.salvo.InboundDatagram;

/**
 * Where a transport's reads hand each datagram: the channel's handler, or a benchmark's counter.
 * The datagram is a reused view, valid during the call only.
 */
@FunctionalInterface
public interface ReadSink {
    /** @param datagram the datagram just read; copy it ({@link InboundDatagram#copy()}) to keep it */
    void accept(InboundDatagram datagram);

    /**
     * Called once per received message, before its datagrams go to {@link #accept}: how many it
     * holds (more than one for a GRO message) and their bytes together, so that a sink that counts
     * counts once per message rather than once per datagram. The default does nothing.
     *
     * @param datagrams the datagrams the message is about to deliver, at least 1
     * @param bytes their payload bytes together
     */
    default void message(int datagrams, int bytes) {
    }
}
