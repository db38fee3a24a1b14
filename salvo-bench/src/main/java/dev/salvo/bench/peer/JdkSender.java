package dev.salvo.bench.peer;

import dev.salvo.bench.harness.JavaSender;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * The JDK peer: an unconnected blocking {@link DatagramChannel} sending one direct buffer over
 * and over with {@code send(buffer, target)}, one system call per datagram.
 */
public final class JdkSender implements JavaSender {
    private static final int DATAGRAMS_PER_CALL = 64;

    private DatagramChannel channel;
    private ByteBuffer payload;
    private InetSocketAddress target;

    /** Creates a sender; {@link #open} makes the socket. */
    public JdkSender() {
    }

    @Override
    public void open(InetSocketAddress target, int payloadSize) throws IOException {
        this.target = target;
        this.payload = ByteBuffer.allocateDirect(payloadSize);
        this.channel = DatagramChannel.open(StandardProtocolFamily.INET);
        channel.configureBlocking(true);
    }

    @Override
    public int sendSome() throws IOException {
        for (int i = 0; i < DATAGRAMS_PER_CALL; i++) {
            payload.clear();
            channel.send(payload, target);
        }
        return DATAGRAMS_PER_CALL;
    }

    @Override
    public void close() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // Closing a datagram socket at the end of a run has nothing useful to report.
        }
    }
}
