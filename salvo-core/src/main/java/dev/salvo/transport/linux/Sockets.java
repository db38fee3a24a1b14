package dev.salvo.transport.linux;

import static dev.salvo.transport.linux.LinuxConstants.AF_INET;
import static dev.salvo.transport.linux.LinuxConstants.AF_INET6;
import static dev.salvo.transport.linux.LinuxConstants.AF_UNIX;
import static dev.salvo.transport.linux.LinuxConstants.AF_UNSPEC;
import static dev.salvo.transport.linux.LinuxConstants.SOCK_CLOEXEC;
import static dev.salvo.transport.linux.LinuxConstants.SOCK_DGRAM;
import static dev.salvo.transport.linux.LinuxConstants.SOCK_NONBLOCK;
import static dev.salvo.transport.linux.LinuxConstants.SOL_SOCKET;
import static dev.salvo.transport.linux.LinuxConstants.SO_DOMAIN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.salvo.NativeIOException;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;

/**
 * Cold-path socket operations: open, bind, connect, addresses, options, close. Each either
 * succeeds or throws a {@link NativeIOException} naming the call and errno
 * ({@code "bind failed: EADDRINUSE (98)"}); none of them is meant for a per-datagram path.
 */
public final class Sockets {
    private Sockets() {
    }

    /**
     * Opens a non-blocking, close-on-exec datagram socket.
     *
     * @param family {@code AF_INET}, {@code AF_INET6} or {@code AF_UNIX}
     * @return the file descriptor
     * @throws IllegalArgumentException for another family
     */
    public static int openDatagram(int family) throws NativeIOException {
        LinuxTransport.ensureAvailable();
        if (family != AF_INET && family != AF_INET6 && family != AF_UNIX) {
            throw new IllegalArgumentException("unsupported address family " + family
                    + " (AF_INET=2, AF_INET6=10, AF_UNIX=1)");
        }
        ColdScratch s = ColdScratch.get();
        int fd;
        try {
            fd = (int) Libc.SOCKET.invokeExact(s.callState, family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
        if (fd < 0) {
            throw new NativeIOException("socket", s.errno());
        }
        return fd;
    }

    /**
     * Binds a socket, which must be of a family that suits the address.
     *
     * @throws NativeIOException {@code EAFNOSUPPORT} when it does not, or whatever bind reports
     */
    public static void bind(int fd, SocketAddress address) throws NativeIOException {
        addressCall("bind", Libc.BIND, fd, address);
    }

    /**
     * Connects (associates) a datagram socket with a peer.
     *
     * @throws NativeIOException {@code EAFNOSUPPORT} when the address does not suit the socket
     */
    public static void connect(int fd, SocketAddress address) throws NativeIOException {
        addressCall("connect", Libc.CONNECT, fd, address);
    }

    /** Dissolves a datagram socket's association ({@code connect} with {@code AF_UNSPEC}). */
    public static void disconnect(int fd) throws NativeIOException {
        ColdScratch s = ColdScratch.get();
        s.sockaddr.fill((byte) 0);
        s.sockaddr.set(JAVA_SHORT, 0, (short) AF_UNSPEC);
        int r;
        try {
            r = (int) Libc.CONNECT.invokeExact(s.callState, fd, s.sockaddr, Structs.SOCKADDR_STORAGE_SIZE);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
        if (r < 0) {
            throw new NativeIOException("disconnect", s.errno());
        }
    }

    private static void addressCall(String name, java.lang.invoke.MethodHandle handle, int fd, SocketAddress address)
            throws NativeIOException {
        int family = family(fd);
        ColdScratch s = ColdScratch.get();
        int len = SockAddr.encode(address, family, s.sockaddr, 0);
        if (len < 0) {
            throw new NativeIOException(name + " " + address + " on a socket of family " + family, -len);
        }
        int r;
        try {
            r = (int) handle.invokeExact(s.callState, fd, s.sockaddr, len);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
        if (r < 0) {
            throw new NativeIOException(name, s.errno());
        }
    }

    /** @return the address the socket is bound to */
    public static SocketAddress localAddress(int fd) throws NativeIOException {
        return nameCall("getsockname", Libc.GETSOCKNAME, fd);
    }

    /** @return the connected peer, or {@code null} when the socket is not connected */
    public static SocketAddress remoteAddress(int fd) throws NativeIOException {
        try {
            return nameCall("getpeername", Libc.GETPEERNAME, fd);
        } catch (NativeIOException e) {
            if (e.errno() == Errno.ENOTCONN) {
                return null;
            }
            throw e;
        }
    }

    private static SocketAddress nameCall(String name, java.lang.invoke.MethodHandle handle, int fd)
            throws NativeIOException {
        ColdScratch s = ColdScratch.get();
        s.length.set(JAVA_INT, 0, Structs.SOCKADDR_STORAGE_SIZE);
        int r;
        try {
            r = (int) handle.invokeExact(s.callState, fd, s.sockaddr, s.length);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
        if (r < 0) {
            throw new NativeIOException(name, s.errno());
        }
        return SockAddr.decode(s.sockaddr, 0, Math.min(s.length.get(JAVA_INT, 0), Structs.SOCKADDR_STORAGE_SIZE));
    }

    /** @return the socket's address family ({@code SO_DOMAIN}) */
    public static int family(int fd) throws NativeIOException {
        return getInt(fd, SOL_SOCKET, SO_DOMAIN);
    }

    /** Sets an int-valued socket option. */
    public static void setInt(int fd, int level, int option, int value) throws NativeIOException {
        ColdScratch s = ColdScratch.get();
        s.value.set(JAVA_INT, 0, value);
        setOption(fd, level, option, s.value.asSlice(0, 4));
    }

    /** @return an int-valued socket option */
    public static int getInt(int fd, int level, int option) throws NativeIOException {
        ColdScratch s = ColdScratch.get();
        int len = getOption(fd, level, option, s.value.asSlice(0, 4));
        if (len < 4) {
            throw new IllegalStateException("option " + level + "/" + option + " returned " + len + " bytes, expected an int");
        }
        return s.value.get(JAVA_INT, 0);
    }

    /**
     * Sets a socket option from native bytes (a struct such as {@code ip_mreqn}); the whole
     * segment is the value.
     *
     * @param value a native segment holding the option value
     * @throws IllegalArgumentException when the segment is not native
     */
    public static void setOption(int fd, int level, int option, MemorySegment value) throws NativeIOException {
        requireNative(value);
        ColdScratch s = ColdScratch.get();
        int r;
        try {
            r = (int) Libc.SETSOCKOPT.invokeExact(s.callState, fd, level, option, value, (int) value.byteSize());
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
        if (r < 0) {
            throw new NativeIOException("setsockopt(" + level + ", " + option + ")", s.errno());
        }
    }

    /**
     * Reads the socket's own drop counter ({@code SO_MEMINFO}, {@code SK_MEMINFO_DROPS}): every
     * datagram the kernel dropped for this socket so far, current at the moment of the call.
     * Callable from any thread (per-thread scratch); allocates nothing.
     *
     * @param fd the socket
     * @return the count, unsigned
     * @throws NativeIOException when the kernel refuses ({@code ENOPROTOOPT} before Linux 3.19,
     *     {@code EBADF} on a closed socket)
     */
    public static long dropCount(int fd) throws NativeIOException {
        ColdScratch s = ColdScratch.get();
        int len = getOption(fd, LinuxConstants.SOL_SOCKET, LinuxConstants.SO_MEMINFO, s.value);
        if (len < (LinuxConstants.SK_MEMINFO_DROPS + 1) * 4) {
            throw new NativeIOException("getsockopt(SO_MEMINFO) returned " + len + " bytes", Errno.EINVAL);
        }
        return Integer.toUnsignedLong(s.value.get(JAVA_INT, LinuxConstants.SK_MEMINFO_DROPS * 4L));
    }

    /**
     * Reads a socket option into native bytes.
     *
     * @param out a native segment; its size is the room offered
     * @return the option's length as the kernel reported it
     */
    public static int getOption(int fd, int level, int option, MemorySegment out) throws NativeIOException {
        requireNative(out);
        ColdScratch s = ColdScratch.get();
        s.length.set(JAVA_INT, 0, (int) Math.min(out.byteSize(), Integer.MAX_VALUE));
        int r;
        try {
            r = (int) Libc.GETSOCKOPT.invokeExact(s.callState, fd, level, option, out, s.length);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
        if (r < 0) {
            throw new NativeIOException("getsockopt(" + level + ", " + option + ")", s.errno());
        }
        return s.length.get(JAVA_INT, 0);
    }

    /**
     * Closes a file descriptor. An {@code EINTR} still closes it on Linux, so it is not retried.
     *
     * @throws NativeIOException {@code EBADF} for a descriptor that is not open
     */
    public static void close(int fd) throws NativeIOException {
        ColdScratch s = ColdScratch.get();
        int r;
        try {
            r = (int) Libc.CLOSE.invokeExact(s.callState, fd);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
        if (r < 0 && s.errno() != Errno.EINTR) {
            throw new NativeIOException("close", s.errno());
        }
    }

    /** Closes quietly, for clean-up paths that already have an exception to report. */
    public static void closeQuietly(int fd) {
        if (fd < 0) {
            return;
        }
        try {
            close(fd);
        } catch (NativeIOException ignored) {
            // Nothing useful to do: the descriptor is gone either way.
        }
    }

    private static void requireNative(MemorySegment segment) {
        if (!segment.isNative()) {
            throw new IllegalArgumentException("option values must be in native memory, not on the heap");
        }
    }
}
