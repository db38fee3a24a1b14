package dev.salvo.bench.harness;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A receive-side contender that runs inside a child JVM of {@code salvo bench}.
 *
 * <p>Receivers own their threads: an event loop (Netty), a reader thread (JDK) or whatever the
 * implementation needs. After {@link #open} they read as fast as they can and count every
 * datagram delivered to the application; the driver samples {@link #received()} to cut the
 * settle period and the timed window, and to compute loss once the sender has stopped.
 */
public interface JavaReceiver extends AutoCloseable {

    /**
     * Binds a socket and starts receiving.
     *
     * @param bindAddress where to bind: 127.0.0.1 with port 0 (an ephemeral port)
     * @param payloadSize the payload length every datagram will have, for sizing buffers
     * @return the address actually bound, whose port the sender is told
     * @throws IOException when the socket cannot be created or bound
     */
    InetSocketAddress open(InetSocketAddress bindAddress, int payloadSize) throws IOException;

    /**
     * Binds {@code count} sockets on the consecutive ports {@code first.getPort()} and up, all
     * read by one event loop, for the many-sockets scenario. Receivers that cannot keep the
     * default, which only handles one socket. On failure (a port is taken) the sockets already
     * bound are closed, so the caller may try another range with the same receiver.
     *
     * @param first       127.0.0.1 and the first port (not 0)
     * @param count       how many sockets, 1 or more
     * @param payloadSize the payload length every datagram will have
     * @throws IOException when a socket cannot be created or bound
     * @throws UnsupportedOperationException when {@code count > 1} and this receiver has one socket only
     */
    default void openSockets(InetSocketAddress first, int count, int payloadSize) throws IOException {
        if (count != 1) {
            throw new UnsupportedOperationException(getClass().getSimpleName() + " reads one socket only");
        }
        open(first, payloadSize);
    }

    /**
     * Datagrams delivered so far per socket (or per channel of a multi-loop receiver), for the
     * report of how the kernel spread them. The sum is {@link #received()}.
     *
     * @return one count per socket; the default is the single count
     */
    default long[] receivedPerSocket() {
        return new long[] {received()};
    }

    /**
     * Datagrams delivered so far. Called from another thread, so it must be safe to read
     * concurrently (a single-writer counter published with release semantics is enough).
     *
     * @return the running count since {@link #open}
     */
    long received();

    /** Stops receiving and releases the socket and threads. */
    @Override
    void close();
}
