package dev.salvo.examples;

import dev.salvo.examples.dns.DnsServer;
import dev.salvo.examples.dns.JdkDnsServer;
import dev.salvo.examples.dns.SalvoDnsServer;
import dev.salvo.examples.dns.ZoneResponder;
import dev.salvo.examples.quic.DemoClient;
import dev.salvo.examples.quic.QuicBench;
import dev.salvo.examples.quic.QuicIoKind;
import dev.salvo.examples.quic.QuicRuntime;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Entry point of {@code examples/run NAME [ARGS]}: protocols on Salvo. */
public final class Examples {
    private static final String USAGE = """
            usage: examples/run NAME [--option value ...]
              quic-server  [--bind HOST:PORT] [--cert PEM --key PEM] [--io salvo|jdk]
                           QUIC echo/download server on quiche (ALPN salvo-demo); a self-signed certificate is
                           generated when none is given. Default bind [::]:4433.
              quic-client  --connect HOST:PORT [--echo TEXT] [--download BYTES] [--io salvo|jdk]
                           opens one connection, echoes TEXT and/or downloads BYTES (e.g. 64MiB), prints the result.
              quic-bench   [--bytes 1GiB] [--io salvo,jdk]
                           the same quiche driver on Salvo and on the JDK DatagramChannel: one download each over
                           loopback, Gbit/s and CPU seconds per GiB side by side.
              dns-server   --bind HOST:PORT [--zone FILE] [--io salvo|jdk]
                           authoritative responder for a zone file ($ORIGIN line required; default: a demo zone
                           for example.test). Bind [::]:PORT for both IPv4 and IPv6 on one socket.
            """;

    private Examples() {
    }

    /**
     * Runs one example.
     *
     * @param args the example's name, then its options
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        // quiche's binding and dnsjava log through SLF4J; without a provider it warns on every start.
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.print(USAGE);
            return;
        }
        try {
            Args a = new Args(args, 1);
            switch (args[0]) {
                case "quic-server" -> quicServer(a);
                case "quic-client" -> quicClient(a);
                case "quic-bench" -> QuicBench.run(a.bytes("bytes", 1L << 30), a.get("io", "salvo,jdk"));
                case "dns-server" -> dnsServer(a);
                default -> throw new IllegalArgumentException("unknown example '" + args[0] + "'");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("examples: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
        }
    }

    private static QuicIoKind io(Args a) {
        String io = a.get("io", "salvo");
        try {
            return QuicIoKind.valueOf(io.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--io takes salvo or jdk, got '" + io + "'");
        }
    }

    private static void quicServer(Args a) throws Exception {
        SelfSignedCertificate cert = a.has("cert")
                ? new SelfSignedCertificate(Path.of(a.get("cert", "")), Path.of(a.get("key", a.get("cert", ""))))
                : SelfSignedCertificate.generateTemporary();
        try (QuicRuntime server = io(a).server(a.address("bind", "[::]:4433"), cert, null)) {
            System.out.println("quic-server: listening on " + server.localAddress() + " (" + server.ioName()
                    + ", ALPN salvo-demo, certificate " + cert.cert() + ")");
            blockUntilShutdown();
        }
    }

    private static void quicClient(Args a) throws Exception {
        if (!a.has("connect")) {
            throw new IllegalArgumentException("quic-client needs --connect HOST:PORT");
        }
        InetSocketAddress server = a.address("connect", "");
        InetSocketAddress local = new InetSocketAddress(server.getAddress().getAddress().length == 4 ? "0.0.0.0" : "::", 0);
        try (QuicRuntime client = io(a).client(local, null)) {
            DemoClient app = new DemoClient();
            var echo = a.has("echo") ? app.echo(a.get("echo", "").getBytes(StandardCharsets.UTF_8)) : null;
            long size = a.bytes("download", a.has("echo") ? -1 : 1 << 20);
            var download = size >= 0 ? app.download(size) : null;
            long start = System.nanoTime();
            QuicIoKind.connect(client, server, app);
            app.established().get(10, TimeUnit.SECONDS);
            System.out.println("quic-client: connected to " + server + " over " + client.ioName());
            if (echo != null) {
                System.out.println("echo: " + new String(echo.get(60, TimeUnit.SECONDS), StandardCharsets.UTF_8));
            }
            if (download != null) {
                long got = download.get(600, TimeUnit.SECONDS);
                double secs = (System.nanoTime() - start) / 1e9;
                System.out.printf("download: %d bytes in %.2f s (%.2f Gbit/s), content checked%n", got, secs,
                        got * 8 / secs / 1e9);
            }
        }
    }

    private static void dnsServer(Args a) throws Exception {
        if (!a.has("bind")) {
            throw new IllegalArgumentException("dns-server needs --bind HOST:PORT (e.g. [::]:5353)");
        }
        Path zone;
        if (a.has("zone")) {
            zone = Path.of(a.get("zone", ""));
        } else {
            zone = Files.createTempFile("example.test", ".zone");
            try (InputStream in = Examples.class.getResourceAsStream("/dns/example.test.zone")) {
                Files.copy(in, zone, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        ZoneResponder responder = ZoneResponder.load(zone);
        InetSocketAddress bind = a.address("bind", "");
        try (DnsServer server = switch (io(a)) {
            case SALVO -> new SalvoDnsServer(responder, bind);
            case JDK -> new JdkDnsServer(responder, bind);
        }) {
            System.out.println("dns-server: authoritative for " + responder.origin() + " on " + server.localAddress()
                    + " (" + a.get("io", "salvo") + ")");
            blockUntilShutdown();
        }
    }

    private static void blockUntilShutdown() throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
        stop.await();
    }
}
