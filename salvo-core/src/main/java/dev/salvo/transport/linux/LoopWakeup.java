package dev.salvo.transport.linux;

import dev.salvo.NativeIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The eventfd a poller watches so that other threads can wake its loop: {@link #signal()} from any
 * thread, {@link #drain} on the loop once the poller saw it readable. Each side has its own native
 * word, so a signalling thread never writes memory the loop is reading.
 */
public final class LoopWakeup implements AutoCloseable {
    private final int fd;
    private final MemorySegment drainWord;
    private final MemorySegment signalCallState;
    private final MemorySegment signalWord;

    /**
     * @param loopArena the loop's memory, for the loop side's word
     * @throws NativeIOException when the kernel refuses an eventfd
     */
    public LoopWakeup(Arena loopArena) throws NativeIOException {
        this.fd = EventFd.create();
        this.drainWord = loopArena.allocate(ValueLayout.JAVA_LONG);
        // signal() runs on other threads: it gets memory of its own, from a shared arena.
        Arena shared = Arena.global();
        this.signalCallState = Libc.newCallState(shared);
        this.signalWord = shared.allocate(ValueLayout.JAVA_LONG);
    }

    /** @return the eventfd, for the poller to watch */
    public int fd() {
        return fd;
    }

    /** Wakes the loop; any thread. */
    public void signal() {
        synchronized (signalWord) {
            EventFd.signal(signalCallState, fd, signalWord);
        }
    }

    /**
     * Resets the counter after the poller reported the eventfd readable; loop thread.
     *
     * @param callState the loop's call-state segment
     */
    public void drain(MemorySegment callState) {
        EventFd.drain(callState, fd, drainWord);
    }

    /** Closes the eventfd. */
    @Override
    public void close() {
        Sockets.closeQuietly(fd);
    }
}
