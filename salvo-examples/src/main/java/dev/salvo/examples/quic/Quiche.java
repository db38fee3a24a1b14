package dev.salvo.examples.quic;

import static org.eclipse.jetty.quic.quiche.foreign.quiche_h.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The few quiche settings and constants the examples share, over Jetty's raw {@code quiche_h} binding.
 * The raw C API is used rather than {@code ForeignQuicheConnection} because it takes {@code MemorySegment}s:
 * packets go from Salvo's receive buffer into {@code quiche_conn_recv} and from {@code quiche_conn_send} into
 * the buffer Salvo transmits, with no {@code ByteBuffer} in between, and the driver (not the wrapper) owns
 * connection-ID routing, which many connections on one socket need.
 */
public final class Quiche {
    /** The ALPN token of the demo protocol (echo and download on bidirectional streams). */
    public static final String ALPN = "salvo-demo";
    /** QUIC version 1 (RFC 9000). */
    public static final int VERSION = 1;
    /** quiche's "nothing more to do" result. */
    public static final long ERR_DONE = -1;
    /** Length of the connection IDs this endpoint issues. */
    public static final int CID_LEN = 16;
    /** The largest UDP payload the examples let quiche produce. */
    public static final int MAX_PAYLOAD = 1452;

    static {
        loadPrivately();
    }

    private Quiche() {
    }

    /**
     * Jetty's loader extracts libquiche.so to {@code java.io.tmpdir/libquiche.so}, the same path in every
     * process: a second process (a client beside a server) rewrites the file under the first one's mapping
     * and crashes it. So the library is loaded once here with the property pointing at a private directory.
     */
    private static void loadPrivately() {
        String shared = System.getProperty("java.io.tmpdir");
        try {
            java.nio.file.Path own = java.nio.file.Files.createTempDirectory("salvo-quiche");
            own.toFile().deleteOnExit();
            System.setProperty("java.io.tmpdir", own.toString());
            quiche_version();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot make a directory for libquiche.so", e);
        } finally {
            System.setProperty("java.io.tmpdir", shared);
        }
    }

    /** Settings both ends use. */
    public record Settings(long maxData, long maxStreamData, long idleTimeoutMillis) {
        /** Generous windows so a bulk download is limited by I/O, not by flow control. */
        public static final Settings BULK = new Settings(256L << 20, 128L << 20, 30_000);
    }

    /**
     * A quiche configuration for a server (certificate and key given) or a client (both {@code null}).
     *
     * @param cert the PEM certificate chain, or {@code null} for a client
     * @param key the PEM private key, or {@code null} for a client
     * @param settings windows and idle timeout
     * @return the native {@code quiche_config*}; it lives as long as the process
     */
    public static MemorySegment config(Path cert, Path key, Settings settings) {
        MemorySegment config = quiche_config_new(VERSION);
        if (config.address() == 0) {
            throw new IllegalStateException("quiche_config_new failed");
        }
        Arena arena = Arena.global();
        if (cert != null) {
            check(quiche_config_load_cert_chain_from_pem_file(config, arena.allocateFrom(cert.toString())), "certificate " + cert);
            check(quiche_config_load_priv_key_from_pem_file(config, arena.allocateFrom(key.toString())), "key " + key);
        }
        quiche_config_verify_peer(config, false);
        byte[] alpn = ALPN.getBytes(StandardCharsets.US_ASCII);
        MemorySegment protos = arena.allocate(alpn.length + 1);
        protos.set(ValueLayout.JAVA_BYTE, 0, (byte) alpn.length);
        MemorySegment.copy(alpn, 0, protos, ValueLayout.JAVA_BYTE, 1, alpn.length);
        check(quiche_config_set_application_protos(config, protos, protos.byteSize()), "ALPN");
        quiche_config_set_max_idle_timeout(config, settings.idleTimeoutMillis());
        quiche_config_set_max_recv_udp_payload_size(config, 65_527);
        quiche_config_set_max_send_udp_payload_size(config, MAX_PAYLOAD);
        quiche_config_set_initial_max_data(config, settings.maxData());
        quiche_config_set_initial_max_stream_data_bidi_local(config, settings.maxStreamData());
        quiche_config_set_initial_max_stream_data_bidi_remote(config, settings.maxStreamData());
        quiche_config_set_initial_max_stream_data_uni(config, settings.maxStreamData());
        quiche_config_set_initial_max_streams_bidi(config, 1000);
        quiche_config_set_initial_max_streams_uni(config, 100);
        quiche_config_set_max_connection_window(config, settings.maxData());
        quiche_config_set_max_stream_window(config, settings.maxStreamData());
        quiche_config_set_disable_active_migration(config, true);
        return config;
    }

    private static void check(int rc, String what) {
        if (rc < 0) {
            throw new IllegalArgumentException("quiche refused the " + what + " (error " + rc + ")");
        }
    }
}
