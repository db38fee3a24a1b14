package dev.salvo.transport.linux.uring;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.salvo.NativeIOException;
import dev.salvo.transport.linux.Errno;
import dev.salvo.transport.linux.Libc;
import dev.salvo.transport.linux.Sockets;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * One io_uring instance: its submission and completion rings mapped into this process and driven
 * from Java. Confined to its event loop's thread once {@link #enable() enabled}; created on
 * another thread, which is why the ring starts disabled ({@code IORING_SETUP_R_DISABLED}): with
 * {@code SINGLE_ISSUER} the kernel binds the ring to the thread that enables it.
 *
 * <p>The kernel reads the SQ tail and writes the CQ tail; this class publishes its tail with a
 * release store and reads the kernel's with an acquire load. The SQ index array is the identity,
 * filled once, so an SQE's slot is simply {@code tail & mask}.
 */
final class Ring implements AutoCloseable {
    /** Receives one completion from {@link #reap}. */
    @FunctionalInterface
    interface CompletionSink {
        /**
         * @param userData what the request was submitted with
         * @param res its result: &ge; 0, or {@code -errno}
         * @param flags its CQE flags
         */
        void complete(long userData, int res, int flags);
    }

    private static final VarHandle INT = JAVA_INT.varHandle();
    private static final int BASE_FLAGS = Uring.SETUP_CQSIZE | Uring.SETUP_CLAMP | Uring.SETUP_SUBMIT_ALL
            | Uring.SETUP_R_DISABLED;
    /** The setup flag sets tried in turn, each on EINVAL from the one before. */
    private static final int[] FLAG_SETS = {
        BASE_FLAGS | Uring.SETUP_SINGLE_ISSUER | Uring.SETUP_DEFER_TASKRUN | Uring.SETUP_COOP_TASKRUN,
        BASE_FLAGS | Uring.SETUP_SINGLE_ISSUER | Uring.SETUP_COOP_TASKRUN,
        BASE_FLAGS | Uring.SETUP_COOP_TASKRUN,
        BASE_FLAGS,
    };

    final int fd;
    /** The setup flags the kernel accepted. */
    final int setupFlags;
    /** The kernel's {@code IORING_FEAT_*} bits. */
    final int features;
    private final MemorySegment callState;
    private final MemorySegment sqRing;
    private final MemorySegment cqRing;
    private final MemorySegment sqes;
    private final long sqHeadOff;
    private final long sqTailOff;
    private final long cqHeadOff;
    private final long cqTailOff;
    private final long cqesOff;
    private final int sqMask;
    private final int sqEntries;
    private final int cqMask;
    private final MemorySegment waitArg;
    private final MemorySegment timespec;
    private int sqTail;
    private int cqHead;
    private boolean enabled;

    /**
     * @param arena owns the ring's small scratch (call state, wait argument)
     * @param entries submission entries (a power of two); the completion ring gets {@code cqEntries}
     * @param setupErrno when &gt; 0, setup fails with this errno instead of asking the kernel (a test hook)
     * @throws NativeIOException when the kernel refuses every flag set, or a mapping fails
     */
    Ring(Arena arena, int entries, int cqEntries, int setupErrno) throws NativeIOException {
        callState = Libc.newCallState(arena);
        MemorySegment params = arena.allocate(Uring.PARAMS_SIZE, 8);
        int ringFd = -Errno.EINVAL;
        int accepted = 0;
        for (int flags : FLAG_SETS) {
            params.fill((byte) 0);
            params.set(JAVA_INT, Uring.P_FLAGS, flags);
            params.set(JAVA_INT, Uring.P_CQ_ENTRIES, cqEntries);
            ringFd = setupErrno > 0 ? -setupErrno : Uring.setup(callState, entries, params);
            if (ringFd != -Errno.EINVAL) {
                accepted = flags;
                break;
            }
        }
        if (ringFd < 0) {
            throw new NativeIOException("io_uring_setup", -ringFd);
        }
        fd = ringFd;
        setupFlags = accepted;
        features = params.get(JAVA_INT, Uring.P_FEATURES);
        sqEntries = params.get(JAVA_INT, Uring.P_SQ_ENTRIES);
        int cqCount = params.get(JAVA_INT, Uring.P_CQ_ENTRIES);
        long sq = Uring.P_SQ_OFF;
        long cq = Uring.P_CQ_OFF;
        long sqArray = params.get(JAVA_INT, sq + Uring.SQ_OFF_ARRAY);
        long sqSize = sqArray + 4L * sqEntries;
        cqesOff = params.get(JAVA_INT, cq + Uring.CQ_OFF_CQES);
        long cqSize = cqesOff + Uring.CQE_SIZE * cqCount;
        try {
            if ((features & Uring.FEAT_SINGLE_MMAP) != 0) {
                sqRing = map(Math.max(sqSize, cqSize), Uring.OFF_SQ_RING);
                cqRing = sqRing;
            } else {
                sqRing = map(sqSize, Uring.OFF_SQ_RING);
                cqRing = map(cqSize, Uring.OFF_CQ_RING);
            }
            sqes = map(Uring.SQE_SIZE * sqEntries, Uring.OFF_SQES);
        } catch (NativeIOException e) {
            Sockets.closeQuietly(fd);
            throw e;
        }
        sqHeadOff = params.get(JAVA_INT, sq + Uring.OFF_HEAD);
        sqTailOff = params.get(JAVA_INT, sq + Uring.OFF_TAIL);
        sqMask = sqRing.get(JAVA_INT, params.get(JAVA_INT, sq + Uring.OFF_RING_MASK));
        cqHeadOff = params.get(JAVA_INT, cq + Uring.OFF_HEAD);
        cqTailOff = params.get(JAVA_INT, cq + Uring.OFF_TAIL);
        cqMask = cqRing.get(JAVA_INT, params.get(JAVA_INT, cq + Uring.OFF_RING_MASK));
        for (int i = 0; i < sqEntries; i++) {
            sqRing.set(JAVA_INT, sqArray + 4L * i, i);
        }
        sqTail = (int) INT.getAcquire(sqRing, sqTailOff);
        cqHead = (int) INT.getAcquire(cqRing, cqHeadOff);
        waitArg = arena.allocate(Uring.GETEVENTS_ARG_SIZE, 8);
        timespec = arena.allocate(16, 8);
        waitArg.set(JAVA_INT, 8, 8); // sigmask_sz: _NSIG / 8, though no mask is passed
        waitArg.set(JAVA_LONG, 16, timespec.address());
        enabled = (setupFlags & Uring.SETUP_R_DISABLED) == 0;
    }

    private MemorySegment map(long size, long offset) throws NativeIOException {
        MemorySegment m = Uring.mmap(callState, fd, size, offset);
        if (m == null) {
            throw new NativeIOException("mmap of the io_uring ring", Libc.errno(callState));
        }
        return m;
    }

    /** @return whether the kernel accepted {@code flag} at setup */
    boolean has(int flag) {
        return (setupFlags & flag) != 0;
    }

    /**
     * Binds the ring to the calling thread (the loop's) and lets it take submissions; idempotent.
     *
     * @throws NativeIOException when the kernel refuses
     */
    void enable() throws NativeIOException {
        if (!enabled) {
            int r = Uring.register(callState, fd, Uring.REGISTER_ENABLE_RINGS, MemorySegment.NULL, 0);
            if (r < 0) {
                throw new NativeIOException("IORING_REGISTER_ENABLE_RINGS", -r);
            }
            enabled = true;
        }
    }

    /**
     * Asks the kernel which opcodes it supports ({@code IORING_REGISTER_PROBE}).
     *
     * @param arena where the probe's answer is written
     * @return supported[op] for op 0..255, or {@code null} when the kernel has no probe
     */
    boolean[] probe(Arena arena) {
        MemorySegment p = arena.allocate(16 + 8L * Uring.PROBE_OPS, 8);
        int r = Uring.register(callState, fd, Uring.REGISTER_PROBE, p, Uring.PROBE_OPS);
        if (r < 0) {
            return null;
        }
        int len = Byte.toUnsignedInt(p.get(JAVA_BYTE, 1));
        boolean[] supported = new boolean[Uring.PROBE_OPS];
        for (int i = 0; i < len; i++) {
            long op = 16 + 8L * i;
            int code = Byte.toUnsignedInt(p.get(JAVA_BYTE, op));
            boolean yes = (p.get(JAVA_SHORT, op + 2) & 1) != 0; // IO_URING_OP_SUPPORTED
            supported[code] = yes;
        }
        return supported;
    }

    /**
     * Registers or unregisters a provided-buffer ring.
     *
     * @return 0 or {@code -errno}
     */
    int registerBufferRing(MemorySegment reg, boolean register) {
        return Uring.register(callState, fd, register ? Uring.REGISTER_PBUF_RING : Uring.UNREGISTER_PBUF_RING,
                reg, 1);
    }

    /**
     * Takes the next free SQE, zeroed; submits the queued ones first when the ring is full.
     *
     * @return the SQE's offset in {@link #sqes()}
     * @throws NativeIOException when submitting to make room fails
     */
    long nextSqe() throws NativeIOException {
        if (sqTail - (int) INT.getAcquire(sqRing, sqHeadOff) >= sqEntries) {
            int r = submit(0, -1);
            if (r < 0 && r != -Errno.EINTR) {
                throw new NativeIOException("io_uring_enter", -r);
            }
        }
        long off = (long) (sqTail & sqMask) * Uring.SQE_SIZE;
        for (long i = 0; i < Uring.SQE_SIZE; i += 8) {
            sqes.set(JAVA_LONG, off + i, 0L);
        }
        sqTail++;
        return off;
    }

    /** @return the mapped SQE array, for filling the slot {@link #nextSqe} returned */
    MemorySegment sqes() {
        return sqes;
    }

    /** Publishes the SQEs filled so far to the kernel (it reads them at the next enter). */
    private int publish() {
        INT.setRelease(sqRing, sqTailOff, sqTail);
        return sqTail - (int) INT.getAcquire(sqRing, sqHeadOff);
    }

    /** @return whether SQEs are queued that the kernel has not taken */
    boolean hasUnsubmitted() {
        return sqTail != (int) INT.getAcquire(sqRing, sqHeadOff);
    }

    /**
     * Submits the queued SQEs and, when {@code minComplete > 0}, waits for that many completions.
     *
     * @param minComplete completions to wait for; 0 returns at once (after running the ring's task work)
     * @param timeoutNanos the longest wait when waiting, or negative for no limit
     * @return what {@code io_uring_enter} returned: SQEs consumed, or {@code -errno}
     *     ({@code -ETIME} when the wait timed out, {@code -EINTR} when a signal cut it short)
     */
    int submit(int minComplete, long timeoutNanos) {
        int toSubmit = publish();
        int flags = Uring.ENTER_GETEVENTS;
        if (minComplete > 0 && timeoutNanos >= 0) {
            timespec.set(JAVA_LONG, 0, timeoutNanos / 1_000_000_000L);
            timespec.set(JAVA_LONG, 8, timeoutNanos % 1_000_000_000L);
            return Uring.enter(callState, fd, toSubmit, minComplete, flags | Uring.ENTER_EXT_ARG,
                    waitArg, Uring.GETEVENTS_ARG_SIZE);
        }
        return Uring.enter(callState, fd, toSubmit, minComplete, flags, MemorySegment.NULL, 0);
    }

    /**
     * Hands every completion waiting in the ring to {@code sink}, then frees their slots. The sink
     * may queue SQEs but must not submit or reap.
     *
     * @return how many there were
     */
    int reap(CompletionSink sink) {
        int head = cqHead;
        int tail = (int) INT.getAcquire(cqRing, cqTailOff);
        for (int h = head; h != tail; h++) {
            long off = cqesOff + (long) (h & cqMask) * Uring.CQE_SIZE;
            sink.complete(cqRing.get(JAVA_LONG, off + Uring.CQE_USER_DATA),
                    cqRing.get(JAVA_INT, off + Uring.CQE_RES), cqRing.get(JAVA_INT, off + Uring.CQE_FLAGS));
        }
        cqHead = tail;
        INT.setRelease(cqRing, cqHeadOff, tail);
        return tail - head;
    }

    @Override
    public void close() {
        Uring.munmap(callState, sqes);
        if (cqRing != sqRing) {
            Uring.munmap(callState, cqRing);
        }
        Uring.munmap(callState, sqRing);
        Sockets.closeQuietly(fd);
    }
}
