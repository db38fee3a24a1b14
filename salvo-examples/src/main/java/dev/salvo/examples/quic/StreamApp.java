package dev.salvo.examples.quic;

/** The application on one QUIC connection; called on the I/O thread by {@link QuicEndpoint}. */
public interface StreamApp {
    /**
     * The handshake finished.
     *
     * @param conn the connection
     */
    default void onEstablished(QuicConn conn) {
    }

    /**
     * A stream has data (or its FIN) to read.
     *
     * @param conn the connection
     * @param streamId the stream
     */
    void onReadable(QuicConn conn, long streamId);

    /**
     * Called once per loop turn while established, to push any output the application still holds.
     *
     * @param conn the connection
     */
    default void onWritable(QuicConn conn) {
    }

    /**
     * The connection is closed and freed.
     *
     * @param conn the connection
     */
    default void onClosed(QuicConn conn) {
    }
}
