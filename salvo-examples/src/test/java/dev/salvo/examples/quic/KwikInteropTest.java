package dev.salvo.examples.quic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.salvo.examples.SelfSignedCertificate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tech.kwik.core.QuicClientConnection;
import tech.kwik.core.QuicConnection;
import tech.kwik.core.QuicStream;
import tech.kwik.core.log.NullLogger;
import tech.kwik.core.server.ApplicationProtocolConnection;
import tech.kwik.core.server.ApplicationProtocolConnectionFactory;
import tech.kwik.core.server.ServerConnectionConfig;
import tech.kwik.core.server.ServerConnector;

/** Salvo + quiche against kwik, an independent pure-Java QUIC stack, in both directions over loopback. */
@Timeout(90)
class KwikInteropTest {
    private static final int DOWNLOAD = 2_000_000;

    @TempDir
    Path dir;

    @Test
    void kwikClientEchoesAndDownloadsFromTheSalvoServer() throws Exception {
        SelfSignedCertificate cert = SelfSignedCertificate.generate(dir);
        InetSocketAddress bind = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (QuicRuntime server = QuicIoKind.SALVO.server(bind, cert, null)) {
            assertTrue(server.ioName().startsWith("salvo/"), server.ioName());
            QuicClientConnection conn = QuicClientConnection.newBuilder()
                    .uri(URI.create("quic://127.0.0.1:" + server.localAddress().getPort()))
                    .applicationProtocol(Quiche.ALPN)
                    .noServerCertificateCheck()
                    .connectTimeout(Duration.ofSeconds(10))
                    .logger(new NullLogger())
                    .build();
            conn.connect();
            try {
                byte[] message = "kwik says hello to quiche on salvo ".repeat(300).getBytes(StandardCharsets.US_ASCII);
                QuicStream echo = conn.createStream(true);
                try (OutputStream out = echo.getOutputStream()) {
                    out.write(DemoProtocol.echoRequest());
                    out.write(message);
                }
                assertArrayEquals(message, echo.getInputStream().readAllBytes());

                QuicStream get = conn.createStream(true);
                try (OutputStream out = get.getOutputStream()) {
                    out.write(DemoProtocol.getRequest(DOWNLOAD));
                }
                assertPattern(get.getInputStream(), DOWNLOAD);
            } finally {
                conn.close();
            }
        }
    }

    @Test
    void salvoClientEchoesAndDownloadsFromAKwikServer() throws Exception {
        SelfSignedCertificate cert = SelfSignedCertificate.generate(dir);
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ServerConnector kwik = ServerConnector.builder()
                .withSocket(socket)
                .withCertificate(Files.newInputStream(cert.cert()), Files.newInputStream(cert.key()))
                .withSupportedVersion(QuicConnection.QuicVersion.V1)
                .withConfiguration(ServerConnectionConfig.builder()
                        .maxOpenPeerInitiatedBidirectionalStreams(10)
                        .maxBidirectionalStreamBufferSize(1 << 20)
                        .maxConnectionBufferSize(4 << 20)
                        .build())
                .withLogger(new NullLogger())
                .build();
        kwik.registerApplicationProtocol(Quiche.ALPN, new DemoOnKwik());
        kwik.start();
        try (QuicRuntime client = QuicIoKind.SALVO.client(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null)) {
            DemoClient app = new DemoClient();
            byte[] message = "quiche on salvo says hello to kwik ".repeat(300).getBytes(StandardCharsets.US_ASCII);
            var echo = app.echo(message);
            var download = app.download(DOWNLOAD);
            QuicIoKind.connect(client, (InetSocketAddress) socket.getLocalSocketAddress(), app);
            app.established().get(30, TimeUnit.SECONDS);
            assertArrayEquals(message, echo.get(60, TimeUnit.SECONDS));
            assertEquals(DOWNLOAD, download.get(60, TimeUnit.SECONDS));
        } finally {
            kwik.close();
        }
    }

    private static void assertPattern(InputStream in, long expected) throws IOException {
        byte[] buf = new byte[65_536];
        long offset = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            for (int i = 0; i < n; i++) {
                if (buf[i] != DemoProtocol.patternByte(offset + i)) {
                    throw new AssertionError("wrong byte at " + (offset + i));
                }
            }
            offset += n;
        }
        assertEquals(expected, offset);
    }

    /** The demo protocol's server side written on kwik's blocking stream API, one thread per stream. */
    private static final class DemoOnKwik implements ApplicationProtocolConnectionFactory {
        @Override
        public ApplicationProtocolConnection createConnection(String protocol, QuicConnection connection) {
            return new ApplicationProtocolConnection() {
                @Override
                public void acceptPeerInitiatedStream(QuicStream stream) {
                    Thread.ofVirtual().start(() -> serve(stream));
                }
            };
        }

        @Override
        public int maxConcurrentPeerInitiatedBidirectionalStreams() {
            return 10;
        }

        private static void serve(QuicStream stream) {
            try (InputStream in = stream.getInputStream(); OutputStream out = stream.getOutputStream()) {
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                for (int b; (b = in.read()) != '\n' && b >= 0; ) {
                    line.write(b);
                }
                String request = line.toString(StandardCharsets.US_ASCII);
                if (request.equals("echo")) {
                    in.transferTo(out);
                } else if (request.startsWith("get ")) {
                    long size = Long.parseLong(request.substring(4));
                    byte[] chunk = new byte[65_000];
                    for (long off = 0; off < size; ) {
                        int n = (int) Math.min(chunk.length, size - off);
                        for (int i = 0; i < n; i++) {
                            chunk[i] = DemoProtocol.patternByte(off + i);
                        }
                        out.write(chunk, 0, n);
                        off += n;
                    }
                }
            } catch (IOException e) {
                stream.resetStream(1);
            }
        }
    }
}
