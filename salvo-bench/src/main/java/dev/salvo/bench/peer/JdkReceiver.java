package dev.salvo.bench.peer;

import dev.salvo.bench.harness.DatagramCounter;
import dev.salvo.bench.harness.JavaReceiver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;

/**
 * The JDK peer: one thread calling blocking {@link DatagramChannel#receive} into a direct
 * buffer, one system call per datagram.
 */
public final class JdkReceiver implements JavaReceiver {
    /** Asked of every receiver alike; the kernel caps it at {@code net.core.rmem_max}. */
    static final int RECEIVE_BUFFER = 4 << 20;

    private final DatagramCounter counter = new DatagramCounter();
    private DatagramChannel channel;
    private Thread reader;

    /** Creates a receiver; {@link #open} binds it. */
    public JdkReceiver() {
    }

    @Override
    public InetSocketAddress open(InetSocketAddress bindAddress, int payloadSize) throws IOException {
        channel = DatagramChannel.open(StandardProtocolFamily.INET);
        channel.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER);
        channel.bind(bindAddress);
        ByteBuffer buffer = ByteBuffer.allocateDirect(Math.max(payloadSize, 2048));
        reader = Thread.ofPlatform().name("jdk-receiver").daemon().start(() -> readLoop(buffer));
        return (InetSocketAddress) channel.getLocalAddress();
    }

    private void readLoop(ByteBuffer buffer) {
        try {
            while (true) {
                buffer.clear();
                if (channel.receive(buffer) != null) {
                    counter.add(1);
                }
            }
        } catch (ClosedChannelException closed) {
            // close() ends the loop this way; nothing to report.
        } catch (IOException e) {
            System.err.println("jdk receiver stopped: " + e);
        }
    }

    @Override
    public long received() {
        return counter.get();
    }

    @Override
    public void close() {
        try {
            channel.close();
            reader.join(2_000);
        } catch (IOException | InterruptedException ignored) {
            // The run is over; a late close error changes nothing that was measured.
        }
    }
}
