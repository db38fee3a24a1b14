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
}
