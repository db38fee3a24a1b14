package dev.salvo.examples.quic;

import dev.salvo.EventLoopGroup;
import dev.salvo.examples.SelfSignedCertificate;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.function.Function;

/** Which I/O layer runs a {@link QuicEndpoint}: Salvo, or the JDK baseline. */
public enum QuicIoKind {
    /** {@link SalvoPacketIo}. */
    SALVO,
    /** {@link JdkPacketIo}. */
    JDK;

    /**
     * Starts a server endpoint running {@link DemoServer}.
     *
     * @param bind the address to listen on
     * @param certificate its certificate
     * @param group Salvo's loops ({@code null}: a private one); ignored by {@link #JDK}
     * @return the running server
     * @throws IOException if the bind fails
     */
    public QuicRuntime server(InetSocketAddress bind, SelfSignedCertificate certificate, EventLoopGroup group)
            throws IOException {
        MemorySegment config = Quiche.config(certificate.cert(), certificate.key(), Quiche.Settings.BULK);
        return open(bind, io -> new QuicEndpoint(io, config, DemoServer.factory()), group);
    }

    /**
     * Starts a client endpoint (no connection yet: see {@link #connect}).
     *
     * @param bind the local address (port 0 for any)
     * @param group Salvo's loops ({@code null}: a private one); ignored by {@link #JDK}
     * @return the running endpoint
     * @throws IOException if the bind fails
     */
    public QuicRuntime client(InetSocketAddress bind, EventLoopGroup group) throws IOException {
        return client(bind, group, Quiche.Settings.BULK);
    }

    QuicRuntime client(InetSocketAddress bind, EventLoopGroup group, Quiche.Settings settings) throws IOException {
        MemorySegment config = Quiche.config(null, null, settings);
        return open(bind, io -> new QuicEndpoint(io, config, null), group);
    }

    private QuicRuntime open(InetSocketAddress bind, Function<PacketIo, QuicEndpoint> endpoint, EventLoopGroup group)
            throws IOException {
        return switch (this) {
            case SALVO -> new SalvoPacketIo(group, bind, endpoint);
            case JDK -> new JdkPacketIo(bind, endpoint);
        };
    }

    /**
     * Opens a connection from a client endpoint; the app's requests go out once the handshake is done.
     *
     * @param client a client runtime
     * @param server the server's address
     * @param app the connection's application (queue its requests first)
     */
    public static void connect(QuicRuntime client, InetSocketAddress server, StreamApp app) {
        client.execute(() -> client.endpoint().connect(server, client.localAddress(), "localhost", app));
    }
}
