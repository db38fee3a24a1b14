package dev.salvo.channel;

import dev.salvo.ChannelHandler;
import dev.salvo.DatagramChannel;
import dev.salvo.InboundDatagram;

/**
 * Calls a channel's handler so that what it throws never unwinds into the channel's own state
 * changes: a throwing handler is reported to the loop thread's uncaught-exception handler and the
 * channel carries on. Loop-confined.
 */
final class HandlerCalls {
    private final ChannelHandler handler;
    private final DatagramChannel channel;

    HandlerCalls(ChannelHandler handler, DatagramChannel channel) {
        this.handler = handler;
        this.channel = channel;
    }

    void datagram(InboundDatagram datagram) {
        try {
            handler.onDatagram(channel, datagram);
        } catch (Throwable t) {
            uncaught(t);
        }
    }

    void readComplete() {
        try {
            handler.onReadComplete(channel);
        } catch (Throwable t) {
            uncaught(t);
        }
    }

    void error(Throwable error) {
        try {
            handler.onError(channel, error);
        } catch (Throwable t) {
            uncaught(t);
        }
    }

    void writabilityChanged(boolean writable) {
        try {
            handler.onWritabilityChanged(channel, writable);
        } catch (Throwable t) {
            uncaught(t);
        }
    }

    private static void uncaught(Throwable t) {
        Thread th = Thread.currentThread();
        th.getUncaughtExceptionHandler().uncaughtException(th, t);
    }
}
