package dev.salvo.examples.quic;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The client side of {@link DemoProtocol} for one connection: the requests given before the handshake are
 * sent on their own streams once it completes, and each one's future completes with what came back.
 */
public final class DemoClient implements StreamApp {
    private static final long VERIFY_LIMIT = 16L << 20;

    private final Arena arena = Arena.ofAuto();
    private final MemorySegment scratch = arena.allocate(DemoProtocol.CHUNK);
    private final List<Request> requests = new ArrayList<>();
    private final Map<Long, Request> byStream = new HashMap<>();
    private final CompletableFuture<Void> established = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private long nextStream;

    private abstract static sealed class Request permits Echo, Download {
        byte[] out;
        int outOff;
    }

    private static final class Echo extends Request {
        final ByteArrayOutputStream in = new ByteArrayOutputStream();
        final CompletableFuture<byte[]> result = new CompletableFuture<>();
    }

    private static final class Download extends Request {
        final long size;
        long received;
        final CompletableFuture<Long> result = new CompletableFuture<>();

        Download(long size) {
            this.size = size;
        }
    }

    /**
     * Queues an echo; call before the connection is started.
     *
     * @param data what to send
     * @return completes with what the server echoed, at its FIN
     */
    public CompletableFuture<byte[]> echo(byte[] data) {
        Echo e = new Echo();
        byte[] head = DemoProtocol.echoRequest();
        e.out = new byte[head.length + data.length];
        System.arraycopy(head, 0, e.out, 0, head.length);
        System.arraycopy(data, 0, e.out, head.length, data.length);
        requests.add(e);
        return e.result;
    }

    /**
     * Queues a download; call before the connection is started.
     *
     * @param bytes how many bytes to ask for
     * @return completes with the count received, at the FIN (fails if the bytes are wrong, checked in full up
     *     to 16 MiB, by sample above)
     */
    public CompletableFuture<Long> download(long bytes) {
        Download d = new Download(bytes);
        d.out = DemoProtocol.getRequest(bytes);
        requests.add(d);
        return d.result;
    }

    /** @return completes when the handshake does */
    public CompletableFuture<Void> established() {
        return established;
    }

    /** @return completes when the connection is closed */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    @Override
    public void onEstablished(QuicConn conn) {
        established.complete(null);
        for (Request r : requests) {
            byStream.put(nextStream, r);
            nextStream += 4;
        }
    }

    @Override
    public void onWritable(QuicConn conn) {
        for (Map.Entry<Long, Request> e : byStream.entrySet()) {
            Request r = e.getValue();
            if (r.out == null) {
                continue;
            }
            int len = Math.min(r.out.length - r.outOff, DemoProtocol.CHUNK);
            MemorySegment.copy(r.out, r.outOff, scratch, ValueLayout.JAVA_BYTE, 0, len);
            boolean last = r.outOff + len == r.out.length;
            long n = conn.streamSend(e.getKey(), scratch, len, last);
            if (n >= 0) {
                r.outOff += (int) n;
                if (last && n == len) {
                    r.out = null;
                }
            }
        }
    }

    @Override
    public void onReadable(QuicConn conn, long streamId) {
        Request r = byStream.get(streamId);
        while (true) {
            long n = conn.streamRecv(streamId, scratch);
            if (n < 0) {
                return;
            }
            boolean fin = conn.lastRecvFin();
            if (r == null) {
                continue;
            }
            switch (r) {
                case Echo e -> {
                    byte[] got = new byte[(int) n];
                    MemorySegment.copy(scratch, ValueLayout.JAVA_BYTE, 0, got, 0, got.length);
                    e.in.writeBytes(got);
                    if (fin) {
                        e.result.complete(e.in.toByteArray());
                    }
                }
                case Download d -> {
                    check(d, n);
                    d.received += n;
                    if (fin) {
                        if (d.received == d.size) {
                            d.result.complete(d.received);
                        } else {
                            d.result.completeExceptionally(new IllegalStateException(
                                    "asked for " + d.size + " bytes, got " + d.received));
                        }
                    }
                }
            }
        }
    }

    private void check(Download d, long n) {
        long step = d.size <= VERIFY_LIMIT ? 1 : Math.max(1, n / 4);
        for (long i = 0; i < n; i += step) {
            if (scratch.get(ValueLayout.JAVA_BYTE, i) != DemoProtocol.patternByte(d.received + i)) {
                d.result.completeExceptionally(new IllegalStateException("wrong byte at offset " + (d.received + i)));
                return;
            }
        }
    }

    @Override
    public void onClosed(QuicConn conn) {
        IllegalStateException gone = new IllegalStateException("connection closed before the reply was complete: "
                + conn.closeReason());
        established.completeExceptionally(gone);
        for (Request r : requests) {
            switch (r) {
                case Echo e -> e.result.completeExceptionally(gone);
                case Download d -> d.result.completeExceptionally(gone);
            }
        }
        closed.complete(null);
    }
}
