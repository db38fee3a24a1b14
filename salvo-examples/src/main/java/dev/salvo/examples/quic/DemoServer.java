package dev.salvo.examples.quic;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Supplier;

/** The server side of {@link DemoProtocol} for one connection. */
public final class DemoServer implements StreamApp {
    /** Most bytes handed to quiche per stream per loop turn, so a large download is not buffered whole. */
    private static final long PUSH_PER_TURN = 1 << 20;

    private final MemorySegment scratch;
    private final MemorySegment pattern;
    private final Map<Long, Stream> streams = new HashMap<>();

    private DemoServer(MemorySegment scratch, MemorySegment pattern) {
        this.scratch = scratch;
        this.pattern = pattern;
    }

    /**
     * Applications for every connection of one endpoint; they share its buffers (one I/O thread).
     *
     * @return the supplier to give {@link QuicEndpoint}
     */
    public static Supplier<StreamApp> factory() {
        Arena arena = Arena.ofAuto();
        MemorySegment scratch = arena.allocate(DemoProtocol.CHUNK);
        MemorySegment pattern = DemoProtocol.pattern(arena);
        return () -> new DemoServer(scratch, pattern);
    }

    private static final class Stream {
        final StringBuilder line = new StringBuilder();
        boolean echo;
        long downloadLeft = -1;
        long downloadOffset;
        byte[] pending = new byte[0];
        boolean finIn;
        boolean finOut;
    }

    @Override
    public void onReadable(QuicConn conn, long streamId) {
        Stream s = streams.computeIfAbsent(streamId, id -> new Stream());
        while (true) {
            long n = conn.streamRecv(streamId, scratch);
            if (n < 0) {
                break;
            }
            int start = 0;
            if (!s.echo && s.downloadLeft < 0) {
                while (start < n) {
                    char c = (char) scratch.get(ValueLayout.JAVA_BYTE, start++);
                    if (c == '\n') {
                        parse(s, s.line.toString());
                        break;
                    }
                    s.line.append(c);
                }
            }
            if (s.echo && start < n) {
                byte[] more = new byte[(int) n - start];
                MemorySegment.copy(scratch, ValueLayout.JAVA_BYTE, start, more, 0, more.length);
                byte[] joined = new byte[s.pending.length + more.length];
                System.arraycopy(s.pending, 0, joined, 0, s.pending.length);
                System.arraycopy(more, 0, joined, s.pending.length, more.length);
                s.pending = joined;
            }
            if (conn.lastRecvFin()) {
                s.finIn = true;
            }
        }
        push(conn, streamId, s);
    }

    private static void parse(Stream s, String request) {
        if (request.equals("echo")) {
            s.echo = true;
        } else if (request.startsWith("get ")) {
            s.downloadLeft = Long.parseLong(request.substring(4).trim());
        } else {
            s.echo = true; // unknown requests are echoed back, line included
            s.pending = (request + "\n").getBytes(StandardCharsets.US_ASCII);
        }
    }

    @Override
    public void onWritable(QuicConn conn) {
        for (Iterator<Map.Entry<Long, Stream>> it = streams.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Stream> e = it.next();
            push(conn, e.getKey(), e.getValue());
            if (e.getValue().finOut) {
                it.remove();
            }
        }
    }

    private void push(QuicConn conn, long streamId, Stream s) {
        if (s.finOut) {
            return;
        }
        if (s.downloadLeft >= 0) {
            long budget = PUSH_PER_TURN;
            while (budget > 0) {
                int phase = (int) (s.downloadOffset % 26);
                long len = Math.min(s.downloadLeft, DemoProtocol.CHUNK);
                boolean last = len == s.downloadLeft;
                long n = conn.streamSend(streamId, pattern.asSlice(phase, len), len, last);
                if (n < 0) {
                    return;
                }
                s.downloadLeft -= n;
                s.downloadOffset += n;
                budget -= n;
                if (last && n == len) {
                    s.finOut = true;
                    return;
                }
                if (n < len) {
                    return;
                }
            }
        } else if (s.echo) {
            int off = 0;
            while (off < s.pending.length) {
                int len = Math.min(s.pending.length - off, DemoProtocol.CHUNK);
                MemorySegment.copy(s.pending, off, scratch, ValueLayout.JAVA_BYTE, 0, len);
                long n = conn.streamSend(streamId, scratch, len, false);
                if (n <= 0) {
                    break;
                }
                off += (int) n;
            }
            if (off > 0) {
                s.pending = java.util.Arrays.copyOfRange(s.pending, off, s.pending.length);
            }
            if (s.finIn && s.pending.length == 0 && conn.streamSend(streamId, scratch, 0, true) >= 0) {
                s.finOut = true;
            }
        }
    }
}
