package dev.salvo.transport;

import java.io.IOException;

/**
 * A way of doing datagram I/O: Linux over FFM, or portable java.nio. One {@link LoopResources} per
 * event loop holds what the transport keeps per thread (native scratch memory, the poller).
 */
public interface Transport {
    /** @return a short name, {@code "epoll"} or {@code "nio"} */
    String name();

    /**
     * @return resources for one new event loop
     * @throws IOException when the poller cannot be created
     */
    LoopResources newLoop() throws IOException;

    /** What one event loop owns; used only on that loop's thread except {@link Poller#wakeup()}. */
    interface LoopResources extends AutoCloseable {
        /** @return the loop's poller */
        Poller poller();

        /**
         * @param family the socket's family
         * @return a new non-blocking datagram socket using this loop's scratch memory
         * @throws IOException when the kernel refuses
         * @throws UnsupportedOperationException when this transport lacks the family
         */
        SocketOps openDatagram(AddressFamily family) throws IOException;

        /** Frees the poller and scratch memory. */
        @Override
        void close();
    }
}
