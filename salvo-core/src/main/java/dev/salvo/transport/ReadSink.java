package dev.salvo.transport;

import dev.salvo.InboundDatagram;

/** Where a transport hands each datagram it read; the view is valid during the call only. */
@FunctionalInterface
public interface ReadSink {
    /** @param datagram the datagram just read */
    void accept(InboundDatagram datagram);
}
