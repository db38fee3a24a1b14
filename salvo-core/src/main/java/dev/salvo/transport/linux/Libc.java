package dev.salvo.transport.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;

/**
 * Hand-written downcalls into libc, and the hot-path wrappers around them.
 *
 * <p>Every handle captures {@code errno} into a caller-supplied call-state segment (see
 * {@link #newCallState(Arena)}): an event loop allocates one and passes it to every call, so no
 * call allocates. Hot-path wrappers return {@code -errno} instead of throwing; they retry
 * {@code EINTR} a bounded number of times and report {@code EAGAIN} as a value, never as an
 * exception. Cold-path operations that throw live in {@link Sockets}, {@link Epoll} and
 * {@link EventFd}.
 *
 * <p>No handle uses {@code Linker.Option.critical}: the descriptors may be blocking, and a
 * critical call must never block.
 */
public final class Libc {
    private Libc() {
    }

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");

    /** The layout of a call-state segment. */
    public static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final long ERRNO_OFFSET = CALL_STATE.byteOffset(MemoryLayout.PathElement.groupElement("errno"));

    /** How many times a call interrupted by a signal is retried before {@code -EINTR} is returned. */
    private static final int EINTR_RETRIES = 16;

    static final MethodHandle SOCKET = link("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    static final MethodHandle BIND = link("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    static final MethodHandle CONNECT = link("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    static final MethodHandle GETSOCKNAME = link("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle GETPEERNAME = link("getpeername", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle CLOSE = link("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    static final MethodHandle SETSOCKOPT = link("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    static final MethodHandle GETSOCKOPT = link("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle SENDMSG = link("sendmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    static final MethodHandle SENDMMSG = link("sendmmsg",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    static final MethodHandle RECVMSG = link("recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    static final MethodHandle RECVMMSG = link("recvmmsg",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    static final MethodHandle EPOLL_CREATE1 = link("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    static final MethodHandle EPOLL_CTL = link("epoll_ctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    static final MethodHandle EPOLL_WAIT = link("epoll_wait",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    /**
     * {@code epoll_pwait2(epfd, events, maxevents, const struct timespec *timeout, const sigset_t *sigmask)}
     * (Linux 5.11, glibc 2.35): a nanosecond timeout. Null when libc lacks the symbol; see
     * {@link Epoll#hasPreciseWait()} for whether the kernel has the call.
     */
    static final MethodHandle EPOLL_PWAIT2 = linkIfPresent("epoll_pwait2",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle EVENTFD = link("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    static final MethodHandle READ = link("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    static final MethodHandle WRITE = link("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    static final MethodHandle UNAME = link("uname", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    /** {@code syscall(long number, int, void*)}: variadic after the number. */
    static final MethodHandle SYSCALL_INT_PTR = LINKER.downcallHandle(
            LINKER.defaultLookup().find("syscall").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS),
            ERRNO, Linker.Option.firstVariadicArg(1));

    private static MethodHandle link(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
        return LINKER.downcallHandle(symbol, descriptor, ERRNO);
    }

    private static MethodHandle linkIfPresent(String name, FunctionDescriptor descriptor) {
        return LINKER.defaultLookup().find(name)
                .map(symbol -> LINKER.downcallHandle(symbol, descriptor, ERRNO))
                .orElse(null);
    }

    /** Per-thread call state for cold paths, so that even they do not allocate one per call. */
    private static final ThreadLocal<MemorySegment> THREAD_CALL_STATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CALL_STATE));

    /**
     * @param arena the arena that owns it (an event loop's)
     * @return a new call-state segment for the {@code callState} parameters of this class
     */
    public static MemorySegment newCallState(Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    /** @return the calling thread's own call-state segment */
    public static MemorySegment threadCallState() {
        return THREAD_CALL_STATE.get();
    }

    /**
     * @param callState a call-state segment a call just wrote
     * @return the errno that call captured
     */
    public static int errno(MemorySegment callState) {
        return callState.get(JAVA_INT, ERRNO_OFFSET);
    }

    /**
     * {@code sendmsg(fd, msg, flags)}.
     *
     * @return bytes sent, or {@code -errno}
     */
    public static long sendmsg(MemorySegment callState, int fd, MemorySegment msghdr, int flags) {
        requireSize(msghdr, Structs.MSGHDR_SIZE, "msghdr");
        for (int attempt = 0; ; attempt++) {
            long r = sendmsgOnce(callState, fd, msghdr, flags);
            if (r >= 0) {
                return r;
            }
            int e = errno(callState);
            if (e != Errno.EINTR || attempt >= EINTR_RETRIES) {
                return -e;
            }
        }
    }

    /**
     * {@code sendmmsg(fd, vec, vlen, flags)}.
     *
     * @return how many messages were sent, or {@code -errno} when none was
     */
    public static int sendmmsg(MemorySegment callState, int fd, MemorySegment mmsghdrs, int vlen, int flags) {
        requireCount(mmsghdrs, vlen);
        for (int attempt = 0; ; attempt++) {
            int r = sendmmsgOnce(callState, fd, mmsghdrs, vlen, flags);
            if (r >= 0) {
                return r;
            }
            int e = errno(callState);
            if (e != Errno.EINTR || attempt >= EINTR_RETRIES) {
                return -e;
            }
        }
    }

    /**
     * {@code recvmsg(fd, msg, flags)}.
     *
     * @return bytes received, or {@code -errno}
     */
    public static long recvmsg(MemorySegment callState, int fd, MemorySegment msghdr, int flags) {
        requireSize(msghdr, Structs.MSGHDR_SIZE, "msghdr");
        for (int attempt = 0; ; attempt++) {
            long r = recvmsgOnce(callState, fd, msghdr, flags);
            if (r >= 0) {
                return r;
            }
            int e = errno(callState);
            if (e != Errno.EINTR || attempt >= EINTR_RETRIES) {
                return -e;
            }
        }
    }

    /**
     * {@code recvmmsg(fd, vec, vlen, flags, NULL)}.
     *
     * @return how many messages were received, or {@code -errno}
     */
    public static int recvmmsg(MemorySegment callState, int fd, MemorySegment mmsghdrs, int vlen, int flags) {
        requireCount(mmsghdrs, vlen);
        for (int attempt = 0; ; attempt++) {
            int r = recvmmsgOnce(callState, fd, mmsghdrs, vlen, flags);
            if (r >= 0) {
                return r;
            }
            int e = errno(callState);
            if (e != Errno.EINTR || attempt >= EINTR_RETRIES) {
                return -e;
            }
        }
    }

    /**
     * {@code epoll_wait(epfd, events, maxEvents, timeoutMillis)}; a signal ends the wait early
     * with 0 events, as a spurious wake-up.
     *
     * @return the number of ready events, or {@code -errno}
     */
    public static int epollWait(MemorySegment callState, int epfd, MemorySegment events, int maxEvents, int timeoutMillis) {
        requireEvents(events, maxEvents);
        return waitResult(callState, epollWaitOnce(callState, epfd, events, maxEvents, timeoutMillis));
    }

    private static void requireEvents(MemorySegment events, int maxEvents) {
        if (maxEvents <= 0 || events.byteSize() < maxEvents * Structs.EPOLL_EVENT_SIZE) {
            throw new IllegalArgumentException("maxEvents " + maxEvents + " does not fit the events segment of "
                    + events.byteSize() + " bytes");
        }
    }

    /** A wait's answer: the count, 0 for a signal (a spurious wake-up), else {@code -errno}. */
    private static int waitResult(MemorySegment callState, int r) {
        if (r >= 0) {
            return r;
        }
        int e = errno(callState);
        return e == Errno.EINTR ? 0 : -e;
    }

    /**
     * {@code epoll_pwait2(epfd, events, maxEvents, timeout, NULL)}: like {@link #epollWait} with a
     * {@code struct timespec} timeout ({@code NULL} segment: wait until woken). Only when
     * {@link Epoll#hasPreciseWait()}.
     *
     * @return the number of ready events, or {@code -errno}
     */
    public static int epollPwait2(MemorySegment callState, int epfd, MemorySegment events, int maxEvents,
            MemorySegment timespec) {
        requireEvents(events, maxEvents);
        return waitResult(callState, epollPwait2Once(callState, epfd, events, maxEvents, timespec));
    }

    /**
     * {@code read(fd, buf, count)}.
     *
     * @return bytes read, or {@code -errno}
     * @throws IllegalArgumentException when count is negative or larger than the buffer
     */
    public static long read(MemorySegment callState, int fd, MemorySegment buf, long count) {
        checkLength(buf, count);
        for (int attempt = 0; ; attempt++) {
            long r = readOnce(callState, fd, buf, count);
            if (r >= 0) {
                return r;
            }
            int e = errno(callState);
            if (e != Errno.EINTR || attempt >= EINTR_RETRIES) {
                return -e;
            }
        }
    }

    /**
     * {@code write(fd, buf, count)}.
     *
     * @return bytes written, or {@code -errno}
     * @throws IllegalArgumentException when count is negative or larger than the buffer
     */
    public static long write(MemorySegment callState, int fd, MemorySegment buf, long count) {
        checkLength(buf, count);
        for (int attempt = 0; ; attempt++) {
            long r = writeOnce(callState, fd, buf, count);
            if (r >= 0) {
                return r;
            }
            int e = errno(callState);
            if (e != Errno.EINTR || attempt >= EINTR_RETRIES) {
                return -e;
            }
        }
    }

    private static void checkLength(MemorySegment buf, long count) {
        if (count < 0) {
            throw new IllegalArgumentException("negative length " + count);
        }
        if (count > buf.byteSize()) {
            throw new IllegalArgumentException("length " + count + " exceeds the buffer's " + buf.byteSize() + " bytes");
        }
    }

    private static void requireSize(MemorySegment segment, long size, String what) {
        if (segment.byteSize() < size) {
            throw new IllegalArgumentException(what + " segment of " + segment.byteSize() + " bytes, need " + size);
        }
    }

    private static void requireCount(MemorySegment mmsghdrs, int vlen) {
        if (vlen < 0 || mmsghdrs.byteSize() < vlen * Structs.MMSGHDR_SIZE) {
            throw new IllegalArgumentException("vlen " + vlen + " does not fit the mmsghdr segment of "
                    + mmsghdrs.byteSize() + " bytes");
        }
    }

    /** Unwraps what {@code invokeExact} declares: FFM only throws unchecked exceptions here. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("unexpected checked exception from a downcall", t);
    }

    // Each downcall sits alone in a small method. Inlined into a large caller, the JIT may leave the
    // JDK's capture-state check out of line, and that check then allocates a segment per call
    // (40 B per sendmmsg/recvmmsg); compiled on its own the check is optimised away.

    private static long sendmsgOnce(MemorySegment callState, int fd, MemorySegment msghdr, int flags) {
        try {
            return (long) SENDMSG.invokeExact(callState, fd, msghdr, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static int sendmmsgOnce(MemorySegment callState, int fd, MemorySegment mmsghdrs, int vlen, int flags) {
        try {
            return (int) SENDMMSG.invokeExact(callState, fd, mmsghdrs, vlen, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static long recvmsgOnce(MemorySegment callState, int fd, MemorySegment msghdr, int flags) {
        try {
            return (long) RECVMSG.invokeExact(callState, fd, msghdr, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static int recvmmsgOnce(MemorySegment callState, int fd, MemorySegment mmsghdrs, int vlen, int flags) {
        try {
            return (int) RECVMMSG.invokeExact(callState, fd, mmsghdrs, vlen, flags, MemorySegment.NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static int epollWaitOnce(MemorySegment callState, int epfd, MemorySegment events, int maxEvents, int timeoutMillis) {
        try {
            return (int) EPOLL_WAIT.invokeExact(callState, epfd, events, maxEvents, timeoutMillis);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static int epollPwait2Once(MemorySegment callState, int epfd, MemorySegment events, int maxEvents,
            MemorySegment timespec) {
        try {
            return (int) EPOLL_PWAIT2.invokeExact(callState, epfd, events, maxEvents, timespec, MemorySegment.NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static long readOnce(MemorySegment callState, int fd, MemorySegment buf, long count) {
        try {
            return (long) READ.invokeExact(callState, fd, buf, count);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static long writeOnce(MemorySegment callState, int fd, MemorySegment buf, long count) {
        try {
            return (long) WRITE.invokeExact(callState, fd, buf, count);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
