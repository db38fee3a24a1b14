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
