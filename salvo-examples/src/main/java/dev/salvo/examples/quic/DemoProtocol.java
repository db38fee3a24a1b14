package dev.salvo.examples.quic;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * The demo application protocol (ALPN {@value Quiche#ALPN}) on client-initiated bidirectional streams:
 * the client writes one ASCII request line, {@code echo\n} (then the server echoes every following byte
 * and the FIN) or {@code get N\n} (the server sends N bytes of {@link #patternByte} and a FIN).
 */
public final class DemoProtocol {
    /** Size of the buffers stream data moves through. */
    public static final int CHUNK = 64 * 1024;

    private DemoProtocol() {
    }

    /**
     * The request line for an echo stream.
     *
     * @return its bytes
     */
    public static byte[] echoRequest() {
        return "echo\n".getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The request line for a download.
     *
     * @param bytes how many bytes to ask for
     * @return its bytes
     */
    public static byte[] getRequest(long bytes) {
        return ("get " + bytes + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The byte at offset {@code i} of every download, so a client can check what it got.
     *
     * @param i the offset
     * @return the byte
     */
    public static byte patternByte(long i) {
        return (byte) ('a' + (i % 26));
    }

    /**
     * A native buffer of pattern bytes that senders slice at {@code offset % 26}, so any download position
     * has {@link #CHUNK} bytes of the right pattern after it.
     *
     * @param arena where it lives
     * @return the buffer, {@code CHUNK + 26} bytes so any start phase has CHUNK bytes after it
     */
    static MemorySegment pattern(Arena arena) {
        MemorySegment p = arena.allocate(CHUNK + 26);
        for (int i = 0; i < p.byteSize(); i++) {
            p.set(ValueLayout.JAVA_BYTE, i, patternByte(i));
        }
        return p;
    }
}
