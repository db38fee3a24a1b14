package dev.salvo.transport.linux;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.salvo.NativeIOException;
import java.lang.foreign.MemorySegment;

/**
 * An eventfd, the wake-up an event loop's other threads use: {@link #signal} adds 1,
 * {@link #drain} reads and resets the counter. Both are hot paths returning {@code -errno}.
 */
public final class EventFd {
    private EventFd() {
    }

    /** @return a new non-blocking, close-on-exec eventfd with counter 0 */
    public static int create() throws NativeIOException {
        LinuxTransport.ensureAvailable();
        ColdScratch s = ColdScratch.get();
        int fd;
        try {
            fd = (int) Libc.EVENTFD.invokeExact(s.callState, 0, LinuxConstants.EFD_NONBLOCK | LinuxConstants.EFD_CLOEXEC);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
        if (fd < 0) {
            throw new NativeIOException("eventfd", s.errno());
        }
        return fd;
    }

    /**
     * Adds one to the counter.
     *
     * @param word an 8-byte native scratch segment owned by the calling thread
     * @return 8, or {@code -errno} ({@code -EAGAIN} when the counter is saturated, which still wakes)
     */
    public static long signal(MemorySegment callState, int fd, MemorySegment word) {
        word.set(JAVA_LONG, 0, 1L);
        return Libc.write(callState, fd, word, 8);
    }

    /**
     * Reads and resets the counter.
     *
     * @return the counter value (≥ 1), or {@code -errno} ({@code -EAGAIN} when it was 0)
     */
    public static long drain(MemorySegment callState, int fd, MemorySegment word) {
        long r = Libc.read(callState, fd, word, 8);
        return r < 0 ? r : word.get(JAVA_LONG, 0);
    }
}
