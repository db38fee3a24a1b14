package dev.salvo.transport.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import dev.salvo.NativeIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * epoll: create and control are cold paths that throw; waiting is {@link Libc#epollWait} (or
 * {@link Libc#epollPwait2} where {@link #hasPreciseWait()}), which returns counts or {@code -errno}. The accessors read the returned {@code epoll_event} array
 * (packed, 12 bytes per event, on x86-64).
 */
public final class Epoll {
    /** {@code struct timespec} on 64-bit Linux: seconds and nanoseconds, both {@code long}. */
    static final StructLayout TIMESPEC = MemoryLayout.structLayout(
            JAVA_LONG.withName("tv_sec"), JAVA_LONG.withName("tv_nsec"));

    private Epoll() {
    }

    /**
     * Writes a relative timeout into a {@code struct timespec}.
     *
     * @param timespec a segment of {@link #TIMESPEC}'s size
     * @param nanos the timeout, at least 0
     */
    static void setTimespec(MemorySegment timespec, long nanos) {
        timespec.set(JAVA_LONG, 0, nanos / 1_000_000_000L);
        timespec.set(JAVA_LONG, 8, nanos % 1_000_000_000L);
    }

    /** @return a new close-on-exec epoll descriptor */
    public static int create() throws NativeIOException {
        LinuxTransport.ensureAvailable();
        ColdScratch s = ColdScratch.get();
        int fd;
        try {
            fd = (int) Libc.EPOLL_CREATE1.invokeExact(s.callState, LinuxConstants.EPOLL_CLOEXEC);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
        if (fd < 0) {
            throw new NativeIOException("epoll_create1", s.errno());
        }
        return fd;
    }

    /**
     * {@code epoll_ctl}.
     *
     * @param op {@code EPOLL_CTL_ADD}, {@code _MOD} or {@code _DEL}
     * @param events the event mask ({@code EPOLLIN | EPOLLOUT | ...})
     * @param data the value handed back with each event (usually the fd or a channel id)
     */
    public static void ctl(int epfd, int op, int fd, int events, long data) throws NativeIOException {
        ColdScratch s = ColdScratch.get();
        s.value.set(JAVA_INT, 0, events);
        s.value.set(JAVA_LONG_UNALIGNED, Structs.EPOLL_DATA, data);
        int r;
        try {
            r = (int) Libc.EPOLL_CTL.invokeExact(s.callState, epfd, op, fd, s.value);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
        if (r < 0) {
            throw new NativeIOException("epoll_ctl", s.errno());
        }
    }

    /**
     * Tells whether {@code epoll_pwait2} (nanosecond timeouts, Linux 5.11) works here: libc has it
     * and the kernel does not answer {@code ENOSYS}. Probed once.
     *
     * @return whether {@link Libc#epollPwait2} may be called
     */
    public static boolean hasPreciseWait() {
        return PreciseWait.AVAILABLE;
    }

    /** The one-time probe behind {@link #hasPreciseWait()}. */
    private static final class PreciseWait {
        static final boolean AVAILABLE = probe();

        private static boolean probe() {
            if (Libc.EPOLL_PWAIT2 == null) {
                return false;
            }
            try (Arena arena = Arena.ofConfined()) {
                int epfd = create();
                try {
                    MemorySegment zero = arena.allocate(TIMESPEC);
                    int r = Libc.epollPwait2(Libc.newCallState(arena), epfd, allocateEvents(arena, 1), 1, zero);
                    return r >= 0;
                } finally {
                    Sockets.closeQuietly(epfd);
                }
            } catch (NativeIOException e) {
                return false;
            }
        }
    }

    /** @return a native array for {@code maxEvents} events */
    public static MemorySegment allocateEvents(Arena arena, int maxEvents) {
        return arena.allocate(Structs.EPOLL_EVENT, maxEvents);
    }

    /** @return the event mask of event {@code i} */
    public static int events(MemorySegment events, int i) {
        return events.get(JAVA_INT, i * Structs.EPOLL_EVENT_SIZE);
    }

    /** @return the data of event {@code i} */
    public static long data(MemorySegment events, int i) {
        long off = i * Structs.EPOLL_EVENT_SIZE + Structs.EPOLL_DATA;
        return Structs.EPOLL_PACKED ? events.get(JAVA_LONG_UNALIGNED, off) : events.get(JAVA_LONG, off);
    }
}
