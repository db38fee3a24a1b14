package dev.salvo.examples.quic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.salvo.examples.SelfSignedCertificate;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(60)
class QuicLoopbackTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(QuicIoKind.class)
    void echoAndDownloadBetweenTwoQuicheEndpoints(QuicIoKind kind) throws Exception {
        SelfSignedCertificate cert = SelfSignedCertificate.generate(dir);
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (QuicRuntime server = kind.server(any, cert, null); QuicRuntime client = kind.client(any, null)) {
            DemoClient app = new DemoClient();
            byte[] message = "hello over quic".repeat(500).getBytes();
            var echo = app.echo(message);
            var download = app.download(3_000_000);
            QuicIoKind.connect(client, server.localAddress(), app);
            assertArrayEquals(message, echo.get(30, TimeUnit.SECONDS));
            assertEquals(3_000_000L, download.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void quicheIdleTimeoutFiresOnALoopTimer() throws Exception {
        SelfSignedCertificate cert = SelfSignedCertificate.generate(dir);
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        Quiche.Settings shortIdle = new Quiche.Settings(1 << 20, 1 << 20, 300);
        try (QuicRuntime server = QuicIoKind.SALVO.server(any, cert, null);
             QuicRuntime client = QuicIoKind.SALVO.client(any, null, shortIdle)) {
            DemoClient app = new DemoClient();
            QuicIoKind.connect(client, server.localAddress(), app);
            app.established().get(10, TimeUnit.SECONDS);
            long established = System.nanoTime();
            // Nothing is sent after the handshake, so only quiche's idle timer, armed on a LoopTimer, can close it.
            app.closed().get(10, TimeUnit.SECONDS);
            assertTrue(System.nanoTime() - established >= TimeUnit.MILLISECONDS.toNanos(250), "closed before the idle timeout");
        }
    }

    @Test
    void manyConnectionsShareOneServerSocketAndOneClientSocket() throws Exception {
        SelfSignedCertificate cert = SelfSignedCertificate.generate(dir);
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (QuicRuntime server = QuicIoKind.SALVO.server(any, cert, null);
             QuicRuntime clientA = QuicIoKind.SALVO.client(any, null);
             QuicRuntime clientB = QuicIoKind.SALVO.client(any, null)) {
            List<CompletableFuture<byte[]>> echoes = new ArrayList<>();
            List<CompletableFuture<Long>> downloads = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                DemoClient app = new DemoClient();
                echoes.add(app.echo(("connection " + i).getBytes()));
                downloads.add(app.download(100_000 + i));
                QuicIoKind.connect(i % 2 == 0 ? clientA : clientB, server.localAddress(), app);
            }
            for (int i = 0; i < 8; i++) {
                assertArrayEquals(("connection " + i).getBytes(), echoes.get(i).get(30, TimeUnit.SECONDS));
                assertEquals(100_000L + i, downloads.get(i).get(30, TimeUnit.SECONDS));
            }
            CompletableFuture<Integer> open = new CompletableFuture<>();
            server.execute(() -> open.complete(server.endpoint().connections()));
            assertEquals(8, open.get(10, TimeUnit.SECONDS));
        }
    }
}
