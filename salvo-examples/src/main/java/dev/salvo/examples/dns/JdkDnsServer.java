package dev.salvo.examples.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;

/**
 * The baseline: the same responder on the JDK's blocking {@code DatagramChannel}, one datagram per call, on
 * one thread. It has no packet info, so replies leave from the kernel's choice of source address.
 */
public final class JdkDnsServer implements DnsServer {
    private final ZoneResponder responder;
    private final DatagramChannel channel;
    private final Thread thread;

    /**
     * Binds and starts serving.
     *
     * @param responder the zone
     * @param bind where to listen
     * @throws IOException if the bind fails
     */
    public JdkDnsServer(ZoneResponder responder, InetSocketAddress bind) throws IOException {
        this.responder = responder;
        this.channel = DatagramChannel.open();
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
        channel.bind(bind);
        this.thread = Thread.ofPlatform().name("jdk-dns").daemon().start(this::serve);
    }

    private void serve() {
        ByteBuffer in = ByteBuffer.allocateDirect(65_536);
        try {
            while (true) {
                in.clear();
                SocketAddress sender = channel.receive(in);
                byte[] reply = responder.respond(in.flip());
                if (reply != null) {
                    channel.send(ByteBuffer.wrap(reply), sender);
                }
            }
        } catch (ClosedChannelException closed) {
            // close() was called
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public long answered() {
        return responder.answered();
    }

    @Override
    public void close() {
        try {
            channel.close();
            thread.join(5000);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
