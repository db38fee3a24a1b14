package dev.salvo.examples.quic;

import static org.eclipse.jetty.quic.quiche.foreign.quiche_h.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The sans-I/O quiche driver: routes each received packet to its connection by destination connection ID
 * (so any number of connections share one socket), accepts new ones on a server, and once per loop turn
 * lets the applications run, drains {@code quiche_conn_send} into the {@link PacketIo}, re-arms each
 * connection's timer and flushes. Confined to the I/O thread.
 */
public final class QuicEndpoint {
    private static final int RECV_INFO_SIZE = 32;
    private static final int MIN_INITIAL = 1200;

    private final PacketIo io;
    private final MemorySegment config;
    private final Supplier<StreamApp> serverApps;
    private final Arena arena = Arena.ofShared();
    private final Map<CidKey, QuicConn> routes = new HashMap<>();
    private final ArrayDeque<QuicConn> dirty = new ArrayDeque<>();
    private final CidKey probe = new CidKey();
    private final SecureRandom random = new SecureRandom();
    private final SockAddrSlot from = new SockAddrSlot(arena);
    private final SockAddrSlot to = new SockAddrSlot(arena);
    private final MemorySegment recvInfo = arena.allocate(RECV_INFO_SIZE, 8);
    private final MemorySegment sendInfo = arena.allocate(512, 8);
    private final MemorySegment header = arena.allocate(512, 8);
    private final MemorySegment version = header.asSlice(0, 4);
    private final MemorySegment type = header.asSlice(8, 1);
    private final MemorySegment scid = header.asSlice(16, 20);
    private final MemorySegment scidLen = header.asSlice(40, 8);
    private final MemorySegment dcid = header.asSlice(48, 20);
    private final MemorySegment dcidLen = header.asSlice(72, 8);
    private final MemorySegment tokenLen = header.asSlice(80, 8);
    private final MemorySegment token = header.asSlice(96, 256);
    private final MemorySegment newCid = arena.allocate(Quiche.CID_LEN);
    private long packetsIn;
    private long packetsOut;
    private boolean blocked;

    /**
     * @param io where packets go
     * @param config a quiche config from {@link Quiche#config}
     * @param serverApps the application for each accepted connection, or {@code null} for a client endpoint
     */
    public QuicEndpoint(PacketIo io, MemorySegment config, Supplier<StreamApp> serverApps) {
        this.io = io;
        this.config = config;
        this.serverApps = serverApps;
    }

    /**
     * Feeds one received packet to quiche. The buffer must be writable: quiche decrypts in place.
     *
     * @param packet the datagram's bytes
     * @param length its length
     * @param sender who sent it
     * @param local the address it was sent to (packet info), with the socket's port
     */
    public void receive(MemorySegment packet, int length, InetSocketAddress sender, InetSocketAddress local) {
        packetsIn++;
        scidLen.set(ValueLayout.JAVA_LONG, 0, 20);
        dcidLen.set(ValueLayout.JAVA_LONG, 0, 20);
        tokenLen.set(ValueLayout.JAVA_LONG, 0, token.byteSize());
        int rc = quiche_header_info(packet, length, Quiche.CID_LEN, version, type, scid, scidLen, dcid, dcidLen,
                token, tokenLen);
        if (rc < 0) {
            return;
        }
        QuicConn conn = routes.get(probe.set(dcid, (int) dcidLen.get(ValueLayout.JAVA_LONG, 0)));
        if (conn == null) {
            if (serverApps == null || length < MIN_INITIAL) {
                return;
            }
            conn = accept(sender, local);
            if (conn == null) {
                return;
            }
        }
        from.set(sender);
        // A client keeps the local address it connected with: a wildcard bind would otherwise look to quiche
        // like a path change when packet info reports the concrete address.
        to.set(conn.clientLocal != null ? conn.clientLocal : local);
        recvInfo.set(ValueLayout.ADDRESS, 0, from.segment());
        recvInfo.set(ValueLayout.JAVA_INT, 8, from.length());
        recvInfo.set(ValueLayout.ADDRESS, 16, to.segment());
        recvInfo.set(ValueLayout.JAVA_INT, 24, to.length());
        quiche_conn_recv(conn.handle, packet, length, recvInfo);
        markDirty(conn);
    }

    private QuicConn accept(InetSocketAddress sender, InetSocketAddress local) {
        int v = version.get(ValueLayout.JAVA_INT, 0);
        if (!quiche_version_is_supported(v)) {
            negotiateVersion(sender, local);
            return null;
        }
        CidKey original = probe.copy();
        randomCid();
        from.set(sender);
        to.set(local);
        MemorySegment handle = quiche_accept(newCid, Quiche.CID_LEN, MemorySegment.NULL, 0, to.segment(), to.length(),
                from.segment(), from.length(), config);
        if (handle.address() == 0) {
            return null;
        }
        QuicConn conn = register(handle, sender, local.getAddress().isAnyLocalAddress() ? null : local.getAddress(),
                serverApps.get());
        conn.routes.add(original);
        routes.put(original, conn);
        return conn;
    }

    private void negotiateVersion(InetSocketAddress sender, InetSocketAddress local) {
        MemorySegment out = io.claim();
        if (out == null) {
            return;
        }
        long n = quiche_negotiate_version(scid, scidLen.get(ValueLayout.JAVA_LONG, 0), dcid,
                dcidLen.get(ValueLayout.JAVA_LONG, 0), out, Quiche.MAX_PAYLOAD);
        if (n > 0) {
            io.send(out, (int) n, sender, local.getAddress().isAnyLocalAddress() ? null : local.getAddress());
        }
    }

    /**
     * Opens a client connection; its packets go out at the end of the next {@link #turnComplete()}.
     *
     * @param peer the server
     * @param local this socket's address
     * @param serverName the TLS server name
     * @param app the connection's application
     * @return the connection
     */
    public QuicConn connect(InetSocketAddress peer, InetSocketAddress local, String serverName, StreamApp app) {
        randomCid();
        from.set(local);
        to.set(peer);
        MemorySegment handle = quiche_connect(arena.allocateFrom(serverName), newCid, Quiche.CID_LEN, from.segment(),
                from.length(), to.segment(), to.length(), config);
        if (handle.address() == 0) {
            throw new IllegalStateException("quiche_connect failed");
        }
        QuicConn conn = register(handle, peer, null, app);
        conn.clientLocal = local;
        markDirty(conn);
        return conn;
    }

    private void randomCid() {
        byte[] bytes = new byte[Quiche.CID_LEN];
        random.nextBytes(bytes);
        MemorySegment.copy(bytes, 0, newCid, ValueLayout.JAVA_BYTE, 0, bytes.length);
    }

    private QuicConn register(MemorySegment handle, InetSocketAddress peer, InetAddress localIp, StreamApp app) {
        QuicConn conn = new QuicConn(handle, peer, localIp, app, arena);
        conn.wakeup = io.newWakeup(() -> {
            if (!conn.freed) {
                quiche_conn_on_timeout(conn.handle);
                markDirty(conn);
                turnComplete();
            }
        });
        CidKey key = new CidKey().set(newCid, Quiche.CID_LEN);
        conn.routes.add(key);
        routes.put(key, conn);
        return conn;
    }

    /**
     * Marks a connection as having work (received packets, application output, a timeout).
     *
     * @param conn the connection
     */
    public void markDirty(QuicConn conn) {
        if (!conn.dirty && !conn.freed) {
            conn.dirty = true;
            dirty.add(conn);
        }
    }

    /** The end of a loop turn: runs every connection with work, sends what quiche produced, flushes once. */
    public void turnComplete() {
        int n = dirty.size();
        for (int i = 0; i < n && !blocked; i++) {
            QuicConn conn = dirty.poll();
            conn.dirty = false;
            drive(conn);
        }
        io.flush();
    }

    /** The I/O layer has room again: every connection gets another turn. */
    public void resume() {
        blocked = false;
        for (QuicConn conn : new ArrayList<>(new java.util.HashSet<>(routes.values()))) {
            markDirty(conn);
        }
        turnComplete();
    }

    private final MemorySegment streamId = Arena.ofAuto().allocate(8);

    private void drive(QuicConn conn) {
        MemorySegment h = conn.handle;
        if (quiche_conn_is_established(h)) {
            if (!conn.established) {
                conn.established = true;
                conn.app.onEstablished(conn);
            }
            MemorySegment iter = quiche_conn_readable(h);
            while (quiche_stream_iter_next(iter, streamId)) {
                conn.app.onReadable(conn, streamId.get(ValueLayout.JAVA_LONG, 0));
            }
            quiche_stream_iter_free(iter);
            conn.app.onWritable(conn);
        }
        while (true) {
            MemorySegment out = io.claim();
            if (out == null) {
                blocked = true;
                markDirty(conn);
                break;
            }
            long written = quiche_conn_send(h, out, Quiche.MAX_PAYLOAD, sendInfo);
            if (written < 0) {
                break;
            }
            packetsOut++;
            io.send(out, (int) written, conn.peer, conn.localIp);
        }
        if (quiche_conn_is_closed(h)) {
            free(conn);
            return;
        }
        long timeout = quiche_conn_timeout_as_nanos(h);
        if (timeout == -1L) {
            conn.wakeup.cancel();
        } else {
            conn.wakeup.after(timeout);
        }
    }

    private void free(QuicConn conn) {
        conn.reason = conn.closeReason();
        conn.freed = true;
        conn.wakeup.release();
        for (CidKey key : conn.routes) {
            routes.remove(key);
        }
        quiche_conn_free(conn.handle);
        conn.app.onClosed(conn);
    }

    /** @return connections currently open */
    public int connections() {
        return (int) routes.values().stream().distinct().count();
    }

    /** @return packets received so far */
    public long packetsIn() {
        return packetsIn;
    }

    /** @return packets sent so far */
    public long packetsOut() {
        return packetsOut;
    }

    /** Frees every connection (the endpoint's thread must be the caller). */
    public void shutdown() {
        for (QuicConn conn : new ArrayList<>(new java.util.HashSet<>(routes.values()))) {
            free(conn);
        }
    }
}
