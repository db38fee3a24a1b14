package dev.salvo.examples.quic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.salvo.examples.SelfSignedCertificate;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
}
