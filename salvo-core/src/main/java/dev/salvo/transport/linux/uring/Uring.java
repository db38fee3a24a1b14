package dev.salvo.transport.linux.uring;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.salvo.transport.linux.Libc;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The io_uring system calls, called through {@code syscall(2)} (no liburing), plus the
 * {@code mmap}/{@code munmap} that map a ring, and the ABI constants this package uses. Every
 * call returns {@code -errno} on failure. Kept apart from {@link Libc} so that the epoll
 * transport's libc table stays as it is.
 *
 * <p>The variadic arguments of {@code syscall} are passed as {@code long}s: the kernel reads
 * full registers, so an {@code int} would leave their upper halves undefined.
 */
final class Uring {
    static final long SYS_SETUP = 425;
    static final long SYS_ENTER = 426;
    static final long SYS_REGISTER = 427;

    /** Timer expired: the wait of {@code io_uring_enter} ended without enough completions. */
    static final int ETIME = 62;
    /** The request was cancelled. */
    static final int ECANCELED = 125;
    /** The completion ring is full: reap before submitting more. */
    static final int EBUSY = 16;
    /** poll(2) bits for {@code IORING_OP_POLL_ADD}. */
    static final int POLLIN = 0x1;
    static final int POLLOUT = 0x4;

    // io_uring_setup flags
    static final int SETUP_CQSIZE = 1 << 3;
    static final int SETUP_CLAMP = 1 << 4;
    static final int SETUP_R_DISABLED = 1 << 6;
    static final int SETUP_SUBMIT_ALL = 1 << 7;
    static final int SETUP_COOP_TASKRUN = 1 << 8;
    static final int SETUP_SINGLE_ISSUER = 1 << 12;
    static final int SETUP_DEFER_TASKRUN = 1 << 13;

    // io_uring_params.features
    static final int FEAT_SINGLE_MMAP = 1;
    static final int FEAT_NODROP = 1 << 1;
    static final int FEAT_FAST_POLL = 1 << 5;
    static final int FEAT_EXT_ARG = 1 << 8;

    // io_uring_enter flags
    static final int ENTER_GETEVENTS = 1;
    static final int ENTER_EXT_ARG = 1 << 3;

    // io_uring_register opcodes
    static final int REGISTER_PROBE = 8;
    static final int REGISTER_ENABLE_RINGS = 12;
    static final int REGISTER_PBUF_RING = 22;
    static final int UNREGISTER_PBUF_RING = 23;

    // opcodes
    static final int OP_NOP = 0;
    static final int OP_POLL_ADD = 6;
    static final int OP_SENDMSG = 9;
    static final int OP_RECVMSG = 10;
    static final int OP_ASYNC_CANCEL = 14;
    static final int OP_READ = 22;
    static final int OP_MSG_RING = 40;
    static final int OP_SENDMSG_ZC = 48;
    /** One past the highest opcode this package names; the probe asks about all up to 255. */
    static final int PROBE_OPS = 256;

    // sqe flags and per-opcode bits
    static final int IOSQE_BUFFER_SELECT = 1 << 5;
    static final int RECV_MULTISHOT = 1 << 1;
    /** {@code IORING_SEND_ZC_REPORT_USAGE} (sqe ioprio of a zero-copy send, Linux 6.2). */
    static final int SEND_ZC_REPORT_USAGE = 1 << 3;
    static final int ASYNC_CANCEL_ALL = 1;
    static final int ASYNC_CANCEL_FD = 1 << 1;

    // cqe flags
    static final int CQE_F_BUFFER = 1;
    static final int CQE_F_MORE = 1 << 1;
    /** A zero-copy send's notification: the kernel no longer uses the request's memory. */
    static final int CQE_F_NOTIF = 1 << 3;
    /** In a notification's res (with {@link #SEND_ZC_REPORT_USAGE}): the kernel copied the payload after all. */
    static final int NOTIF_USAGE_ZC_COPIED = 1 << 31;
    static final int CQE_BUFFER_SHIFT = 16;

    // mmap offsets and flags
    static final long OFF_SQ_RING = 0L;
    static final long OFF_CQ_RING = 0x8000000L;
    static final long OFF_SQES = 0x10000000L;
    static final int PROT_READ_WRITE = 0x1 | 0x2;
    static final int MAP_SHARED_POPULATE = 0x01 | 0x8000;

    // struct io_uring_params (120 bytes)
    static final long PARAMS_SIZE = 120;
    static final long P_SQ_ENTRIES = 0;
    static final long P_CQ_ENTRIES = 4;
    static final long P_FLAGS = 8;
    static final long P_FEATURES = 20;
    static final long P_SQ_OFF = 40;
    static final long P_CQ_OFF = 80;
    // io_sqring_offsets / io_cqring_offsets, relative to P_SQ_OFF / P_CQ_OFF
    static final long OFF_HEAD = 0;
    static final long OFF_TAIL = 4;
    static final long OFF_RING_MASK = 8;
    static final long OFF_RING_ENTRIES = 12;
    static final long SQ_OFF_ARRAY = 24;
    static final long CQ_OFF_CQES = 20;

    // struct io_uring_sqe (64 bytes)
    static final long SQE_SIZE = 64;
    static final long SQE_OPCODE = 0;
    static final long SQE_FLAGS = 1;
    static final long SQE_IOPRIO = 2;
    static final long SQE_FD = 4;
    static final long SQE_OFF = 8;
    static final long SQE_ADDR = 16;
    static final long SQE_LEN = 24;
    static final long SQE_OP_FLAGS = 28;
    static final long SQE_USER_DATA = 32;
    static final long SQE_BUF_GROUP = 40;

    // struct io_uring_cqe (16 bytes)
    static final long CQE_SIZE = 16;
    static final long CQE_USER_DATA = 0;
    static final long CQE_RES = 8;
    static final long CQE_FLAGS = 12;

    // struct io_uring_getevents_arg (24 bytes) and __kernel_timespec (16 bytes)
    static final long GETEVENTS_ARG_SIZE = 24;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final MethodHandle SETUP = syscall(FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS));
    private static final MethodHandle ENTER = syscall(FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG,
            JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG));
    private static final MethodHandle REGISTER = syscall(FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG,
            JAVA_LONG, ADDRESS, JAVA_LONG));
    private static final MethodHandle MMAP = LINKER.downcallHandle(
            LINKER.defaultLookup().find("mmap").orElseThrow(),
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), ERRNO);
    private static final MethodHandle MUNMAP = LINKER.downcallHandle(
            LINKER.defaultLookup().find("munmap").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), ERRNO);

    private Uring() {
    }

    private static MethodHandle syscall(FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find("syscall").orElseThrow(), descriptor,
                ERRNO, Linker.Option.firstVariadicArg(1));
    }

    /** @return the ring's fd, or {@code -errno} */
    static int setup(MemorySegment callState, int entries, MemorySegment params) {
        long r;
        try {
            r = (long) SETUP.invokeExact(callState, SYS_SETUP, (long) entries, params);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        return r < 0 ? -Libc.errno(callState) : (int) r;
    }

    /** @return SQEs consumed, or {@code -errno} */
    static int enter(MemorySegment callState, int fd, int toSubmit, int minComplete, int flags,
            MemorySegment arg, long argSize) {
        long r;
        try {
            r = (long) ENTER.invokeExact(callState, SYS_ENTER, (long) fd, (long) toSubmit, (long) minComplete,
                    (long) flags, arg, argSize);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        return r < 0 ? -Libc.errno(callState) : (int) r;
    }

    /** @return the call's result (&ge; 0), or {@code -errno} */
    static int register(MemorySegment callState, int fd, int opcode, MemorySegment arg, int nrArgs) {
        long r;
        try {
            r = (long) REGISTER.invokeExact(callState, SYS_REGISTER, (long) fd, (long) opcode, arg, (long) nrArgs);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        return r < 0 ? -Libc.errno(callState) : (int) r;
    }

    /**
     * Maps one region of a ring.
     *
     * @return the mapping, {@code size} bytes long, or {@code null} when mmap failed (its errno in {@code callState})
     */
    static MemorySegment mmap(MemorySegment callState, int fd, long size, long offset) {
        MemorySegment r;
        try {
            r = (MemorySegment) MMAP.invokeExact(callState, MemorySegment.NULL, size, PROT_READ_WRITE,
                    MAP_SHARED_POPULATE, fd, offset);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        return r.address() == -1L ? null : r.reinterpret(size);
    }

    /** Unmaps a region {@link #mmap} returned. */
    static void munmap(MemorySegment callState, MemorySegment region) {
        try {
            int ignored = (int) MUNMAP.invokeExact(callState, region, region.byteSize());
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
