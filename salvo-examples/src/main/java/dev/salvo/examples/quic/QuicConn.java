package dev.salvo.examples.quic;

import static org.eclipse.jetty.quic.quiche.foreign.quiche_h.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** One quiche connection: its native handle, its peer, its timer and its application. */
public final class QuicConn {
    final MemorySegment handle;
    final InetSocketAddress peer;
    final InetAddress localIp;
    final StreamApp app;
    final List<CidKey> routes = new ArrayList<>(2);
    PacketIo.Wakeup wakeup;
    InetSocketAddress clientLocal;
    boolean dirty;
    boolean established;
    boolean freed;
    String reason;
    private final MemorySegment fin;
    private final MemorySegment errorCode;

    QuicConn(MemorySegment handle, InetSocketAddress peer, InetAddress localIp, StreamApp app, Arena arena) {
        this.handle = handle;
        this.peer = peer;
        this.localIp = localIp;
        this.app = app;
        this.fin = arena.allocate(8);
        this.errorCode = arena.allocate(8);
    }

    /** @return the peer's address */
    public InetSocketAddress peer() {
        return peer;
    }

    /**
     * Reads stream data into {@code out}.
     *
     * @param streamId the stream
     * @param out where to put it
     * @return bytes read, or {@link Quiche#ERR_DONE} when nothing is left, or another negative quiche error
     */
    public long streamRecv(long streamId, MemorySegment out) {
        fin.set(ValueLayout.JAVA_BYTE, 0, (byte) 0);
        return quiche_conn_stream_recv(handle, streamId, out, out.byteSize(), fin, errorCode);
    }

    /** @return whether the last {@link #streamRecv} reached the stream's end */
    public boolean lastRecvFin() {
        return fin.get(ValueLayout.JAVA_BYTE, 0) != 0;
    }

    /**
     * Writes stream data (as much as flow control allows).
     *
     * @param streamId the stream
     * @param data the bytes
     * @param length how many of them
     * @param last whether to end the stream after them (ignored by quiche unless all of them fit)
     * @return bytes taken, or a negative quiche error ({@link Quiche#ERR_DONE}: no room)
     */
    public long streamSend(long streamId, MemorySegment data, long length, boolean last) {
        return quiche_conn_stream_send(handle, streamId, data, length, last, errorCode);
    }

    /** @return whether the stream's data has all been read */
    public boolean streamFinished(long streamId) {
        return quiche_conn_stream_finished(handle, streamId);
    }

    /** Closes the connection with application error 0. */
    public void close() {
        if (!freed) {
            quiche_conn_close(handle, true, 0, MemorySegment.NULL, 0);
        }
    }

    /**
     * Why the connection ended, for error messages: quiche's idle timeout, or the error either side sent.
     * Valid until the connection is freed (call it from {@link StreamApp#onClosed}).
     *
     * @return a short description
     */
    public String closeReason() {
        if (freed && reason != null) {
            return reason;
        }
        if (quiche_conn_is_timed_out(handle)) {
            return "idle timeout" + (established ? "" : " before the handshake completed");
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment isApp = a.allocate(8);
            MemorySegment code = a.allocate(8);
            MemorySegment text = a.allocate(ValueLayout.ADDRESS);
            MemorySegment textLen = a.allocate(8);
            if (quiche_conn_peer_error(handle, isApp, code, text, textLen)) {
                return "peer closed it with " + errorText(isApp, code, text, textLen);
            }
            if (quiche_conn_local_error(handle, isApp, code, text, textLen)) {
                return "closed locally with " + errorText(isApp, code, text, textLen);
            }
        }
        return "closed";
    }

    private static String errorText(MemorySegment isApp, MemorySegment code, MemorySegment text, MemorySegment textLen) {
        long len = textLen.get(ValueLayout.JAVA_LONG, 0);
        MemorySegment p = text.get(ValueLayout.ADDRESS, 0);
        String why = len > 0 && p.address() != 0 ? new String(p.reinterpret(len).toArray(ValueLayout.JAVA_BYTE)) : "";
        return (isApp.get(ValueLayout.JAVA_BYTE, 0) != 0 ? "application" : "transport") + " error 0x"
                + Long.toHexString(code.get(ValueLayout.JAVA_LONG, 0)) + (why.isEmpty() ? "" : " (" + why + ")");
    }

    /** @return whether the handshake has finished */
    public boolean isEstablished() {
        return established;
    }
}
