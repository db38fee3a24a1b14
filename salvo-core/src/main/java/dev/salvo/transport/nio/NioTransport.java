package dev.salvo.transport.nio;

import dev.salvo.read.SenderCache;
import dev.salvo.transport.AddressFamily;
import dev.salvo.transport.Poller;
import dev.salvo.transport.SocketOps;
import dev.salvo.transport.Transport;
import java.io.IOException;
import java.nio.ByteBuffer;

/** The java.nio transport: works on any OS, one system call per datagram. */
public final class NioTransport implements Transport {
    /** The single instance; it holds no state. */
    public static final NioTransport INSTANCE = new NioTransport();

    private NioTransport() {
    }

    @Override
    public String name() {
        return "nio";
    }

    @Override
    public LoopResources newLoop() throws IOException {
        return new Loop(new NioPoller());
    }

    /** Per-loop state: the selector, and one receive buffer and sender cache shared by the loop's sockets. */
    static final class Loop implements LoopResources {
        private final NioPoller poller;
        /** The readers' cache; java.nio hands senders over as objects already, so it stays empty for now. */
        final SenderCache senders = new SenderCache();
        private ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(2048);

        Loop(NioPoller poller) {
            this.poller = poller;
        }

        @Override
        public Poller poller() {
            return poller;
        }

        @Override
        public SocketOps openDatagram(AddressFamily family) throws IOException {
            return new NioSocket(family, this);
        }

        /** A receive buffer of at least {@code size} bytes, cleared; reused across reads. */
        ByteBuffer receiveBuffer(int size) {
            if (receiveBuffer.capacity() < size) {
                receiveBuffer = ByteBuffer.allocateDirect(size);
            }
            return receiveBuffer.clear().limit(size);
        }

        @Override
        public void close() {
            poller.close();
        }
    }
}
