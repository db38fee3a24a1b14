package dev.salvo.transport.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/** Facts about the running kernel, read through libc: {@code uname} and an io_uring probe. */
public final class SystemInfo {
    private SystemInfo() {
    }

    /** The fields of {@code struct utsname}. */
    public record Uname(String sysname, String nodename, String release, String version, String machine) {
    }

    /** @return the kernel's {@code uname} */
    public static Uname uname() throws dev.salvo.NativeIOException {
        LinuxTransport.ensureAvailable();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment u = arena.allocate(Structs.UTSNAME);
            MemorySegment cs = Libc.newCallState(arena);
            int r;
            try {
                r = (int) Libc.UNAME.invokeExact(cs, u);
            } catch (Throwable t) {
                throw Libc.rethrow(t);
            }
            if (r < 0) {
                throw new dev.salvo.NativeIOException("uname", Libc.errno(cs));
            }
            return new Uname(field(u, "sysname"), field(u, "nodename"), field(u, "release"),
                    field(u, "version"), field(u, "machine"));
        }
    }

    private static String field(MemorySegment u, String name) {
        long off = Structs.offset(Structs.UTSNAME, name);
        return u.getString(off, StandardCharsets.UTF_8);
    }

    /**
     * Probes io_uring: {@code io_uring_setup(1, params)}, then closes the ring.
     *
     * @return 0 when io_uring works, else the errno (ENOSYS: not built in; EPERM: disabled by
     *     sysctl or a seccomp filter)
     */
    public static int probeIoUring() {
        LinuxTransport.ensureAvailable();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment params = arena.allocate(Structs.IO_URING_PARAMS);
            MemorySegment cs = Libc.newCallState(arena);
            long fd;
            try {
                fd = (long) Libc.SYSCALL_INT_PTR.invokeExact(cs, LinuxConstants.SYS_IO_URING_SETUP, 1, params);
            } catch (Throwable t) {
                throw Libc.rethrow(t);
            }
            if (fd < 0) {
                return Libc.errno(cs);
            }
            Sockets.closeQuietly((int) fd);
            return params.get(JAVA_INT, 0) >= 1 ? 0 : Errno.EINVAL;
        }
    }
}
