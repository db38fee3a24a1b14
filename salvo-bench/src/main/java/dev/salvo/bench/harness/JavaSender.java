package dev.salvo.bench.harness;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A send-side contender that runs inside a child JVM of {@code salvo bench}.
 *
 * <p>The child's driver calls {@link #open} once, then {@link #sendSome} in a loop until its
 * warm-up and timed window are over, then {@link #close}. The per-datagram loop lives inside
 * {@code sendSome} so an implementation can batch ({@code sendmmsg}, GSO, a flush every 64
 * writes); the driver only reads the clock between calls. A call should return within about a
 * millisecond so the window edges stay sharp; it may block for back-pressure, never for longer
 * than that. {@link #finish} ends sending before {@code close}.
 *
 * <p>Implementations need a public no-argument constructor or a registered factory (see
 * {@link ContenderRegistry}); they are used from one thread, except that {@code close} may be
 * called after a stop request arrives.
 */
public interface JavaSender extends AutoCloseable {

    /**
     * Creates the socket and buffers. Nothing is sent yet.
     *
     * @param target      the receiver, always on 127.0.0.1
     * @param payloadSize the exact payload length of every datagram, in bytes
     * @throws IOException when the socket cannot be created
     */
    void open(InetSocketAddress target, int payloadSize) throws IOException;

    /**
     * Sends a batch of datagrams (or lets an event loop send them) and reports progress.
     *
     * @return how many datagrams the kernel accepted since the previous call; 0 is allowed
     * @throws IOException when sending fails in a way the contender cannot ride out
     */
    int sendSome() throws IOException;

    /**
     * Stops sending, for contenders that send on threads of their own (an event loop), and counts
     * what went out after the last {@link #sendSome}, so loss in drain mode is exact. The timed
     * window is already closed; this only completes the run's total.
     *
     * @return datagrams the kernel accepted since the last {@code sendSome}; 0 by default
     */
    default int finish() {
        return 0;
    }

    /** Releases the socket, buffers and threads; called once, after {@link #finish}. */
    @Override
    void close();
}
