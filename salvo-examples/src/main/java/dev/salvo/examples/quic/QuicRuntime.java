package dev.salvo.examples.quic;

import java.net.InetSocketAddress;

/** A {@link QuicEndpoint} bound to a socket and running on one I/O thread. */
public interface QuicRuntime extends AutoCloseable {
    /** @return the driver; touch it only from {@link #execute} tasks */
    QuicEndpoint endpoint();

    /**
     * Runs a task on the I/O thread, then ends the turn (so whatever it made quiche produce is sent).
     *
     * @param task the task
     */
    void execute(Runnable task);

    /** @return the bound address */
    InetSocketAddress localAddress();

    /** @return a short name of the I/O layer */
    String ioName();

    @Override
    void close();
}
