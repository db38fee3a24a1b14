package dev.salvo.examples.quic;

import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The I/O layer under {@link QuicEndpoint}: where quiche's packets are written and how its timeouts wake it.
 * Two implementations: {@link SalvoPacketIo} (batched, GSO, packet info) and {@link JdkPacketIo} (the JDK's
 * {@code DatagramChannel}, one datagram per call), so the same driver can be measured on both.
 */
public interface PacketIo {
    /**
     * The native buffer the next packet should be written into ({@link Quiche#MAX_PAYLOAD} bytes or more),
     * the same one again until {@link #send} takes it, or {@code null} while the layer is full; it then calls
     * {@link QuicEndpoint#resume()} when there is room again.
     *
     * @return a buffer, or {@code null} for back pressure
     */
    MemorySegment claim();

    /**
     * Queues the first {@code length} bytes of the buffer last {@link #claim() claimed}.
     *
     * @param buffer the claimed buffer
     * @param length the packet length
     * @param to the peer
     * @param from the local address the packet must leave from, or {@code null} for the socket's choice
     */
    void send(MemorySegment buffer, int length, InetSocketAddress to, InetAddress from);

    /** Sends everything queued since the last flush (once per loop turn). */
    void flush();

    /**
     * A one-shot wake-up on the I/O thread.
     *
     * @param task what runs when it fires
     * @return the wake-up, not yet armed
     */
    Wakeup newWakeup(Runnable task);

    /** A re-armable one-shot timer. */
    interface Wakeup {
        /**
         * Arms (or re-arms) the wake-up.
         *
         * @param delayNanos how long from now
         */
        void after(long delayNanos);

        /** Disarms it. */
        void cancel();

        /** Disarms it for good: its connection is gone. */
        void release();
    }
}
