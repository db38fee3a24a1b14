package dev.salvo.transport.linux.uring;

import dev.salvo.NativeIOException;
import dev.salvo.transport.linux.Errno;
import dev.salvo.transport.linux.LinuxTransport;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What this kernel's io_uring offers, as probed: a ring set up with the flags it accepts, its
 * features, the opcodes {@code IORING_REGISTER_PROBE} reports, and a trial provided-buffer ring.
 *
 * @param setupErrno 0 when {@code io_uring_setup} worked, else its errno
 * @param setupFlags the setup flags the kernel accepted (0 when setup failed)
 * @param features the kernel's {@code IORING_FEAT_*} bits
 * @param opcodes the opcodes this transport uses that the kernel supports, by name
 * @param bufferRing whether a provided-buffer ring could be registered
 * @param reason why the transport cannot run here, or {@code null} when it can
 */
public record UringSupport(int setupErrno, int setupFlags, int features, List<String> opcodes,
                           boolean bufferRing, String reason) {
    private static final int[] USED_OPS = {Uring.OP_POLL_ADD, Uring.OP_SENDMSG, Uring.OP_RECVMSG,
        Uring.OP_ASYNC_CANCEL, Uring.OP_READ, Uring.OP_MSG_RING, Uring.OP_SENDMSG_ZC};
    private static final String[] USED_OP_NAMES = {"POLL_ADD", "SENDMSG", "RECVMSG", "ASYNC_CANCEL", "READ",
        "MSG_RING", "SENDMSG_ZC"};

    private static final int[] SETUP_BITS = {Uring.SETUP_SINGLE_ISSUER, Uring.SETUP_DEFER_TASKRUN,
        Uring.SETUP_COOP_TASKRUN, Uring.SETUP_SUBMIT_ALL, Uring.SETUP_R_DISABLED};
    private static final String[] SETUP_NAMES = {"SINGLE_ISSUER", "DEFER_TASKRUN", "COOP_TASKRUN", "SUBMIT_ALL",
        "R_DISABLED"};
    private static final int[] FEATURE_BITS = {Uring.FEAT_SINGLE_MMAP, Uring.FEAT_NODROP, Uring.FEAT_FAST_POLL,
        Uring.FEAT_EXT_ARG};
    private static final String[] FEATURE_NAMES = {"SINGLE_MMAP", "NODROP", "FAST_POLL", "EXT_ARG"};

    /** Copies the opcode list. */
    public UringSupport {
        opcodes = List.copyOf(opcodes);
    }

    /** @return why the io_uring transport cannot run on this machine, or {@code null} when it can */
    public String unavailabilityReason() {
        return reason;
    }

    /** @return true when the io_uring transport can run here */
    public boolean isAvailable() {
        return reason == null;
    }

    /** @return the accepted setup flags of note, by name ({@code SINGLE_ISSUER}, {@code DEFER_TASKRUN}, ...) */
    public List<String> setupFlagNames() {
        return names(setupFlags, SETUP_BITS, SETUP_NAMES);
    }

    /** @return the features of note, by name ({@code EXT_ARG}, {@code FAST_POLL}, ...) */
    public List<String> featureNames() {
        return names(features, FEATURE_BITS, FEATURE_NAMES);
    }

    private static List<String> names(int bits, int[] known, String[] names) {
        List<String> found = new ArrayList<>();
        for (int i = 0; i < known.length; i++) {
            if ((bits & known[i]) != 0) {
                found.add(names[i]);
            }
        }
        return found;
    }

    /** @return the findings as ordered key/value pairs, for {@code salvo doctor} */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("io_uring transport", reason == null ? "available" : "unavailable: " + reason);
        if (setupErrno == 0) {
            m.put("io_uring setup flags", String.join(" ", setupFlagNames()));
            m.put("io_uring features", String.join(" ", featureNames()));
            m.put("io_uring opcodes", String.join(" ", opcodes));
            m.put("io_uring buffer ring", bufferRing ? "yes" : "no");
            String zc;
            try {
                zc = ZeroCopyPolicy.fromProperties(this).describe();
            } catch (IllegalArgumentException e) {
                zc = "misconfigured: " + e.getMessage();
            }
            m.put("io_uring zero-copy sends", zc);
        }
        return m;
    }

    /**
     * Probes the kernel.
     *
     * @param injectedErrno when &gt; 0, setup is made to fail with it (a test hook)
     * @return what was found
     */
    static UringSupport probe(int injectedErrno) {
        String linux = LinuxTransport.unavailabilityReason();
        if (linux != null) {
            return new UringSupport(Errno.ENOSYS, 0, 0, List.of(), false, linux);
        }
        try (Arena arena = Arena.ofConfined()) {
            Ring ring;
            try {
                ring = new Ring(arena, 4, 8, injectedErrno);
            } catch (NativeIOException e) {
                return new UringSupport(e.errno(), 0, 0, List.of(), false, setupFailure(e.errno()));
            }
            try {
                boolean[] ops = ring.probe(arena);
                List<String> names = new ArrayList<>();
                for (int i = 0; i < USED_OPS.length && ops != null; i++) {
                    if (ops[USED_OPS[i]]) {
                        names.add(USED_OP_NAMES[i]);
                    }
                }
                boolean pbuf = tryBufferRing(ring);
                String why = null;
                if ((ring.features & Uring.FEAT_EXT_ARG) == 0) {
                    why = "the kernel's io_uring lacks IORING_FEAT_EXT_ARG (Linux 5.11 or later is needed)";
                } else if (ops == null || !ops[Uring.OP_RECVMSG] || !ops[Uring.OP_POLL_ADD]
                        || !ops[Uring.OP_ASYNC_CANCEL]) {
                    why = "the kernel's io_uring lacks RECVMSG, POLL_ADD or ASYNC_CANCEL";
                } else if (!pbuf) {
                    why = "the kernel's io_uring has no provided-buffer rings (Linux 6.0 or later is needed)";
                }
                return new UringSupport(0, ring.setupFlags, ring.features, names, pbuf, why);
            } finally {
                ring.close();
            }
        }
    }

    private static boolean tryBufferRing(Ring ring) {
        try {
            new BufferRing(ring, 0, 2, 64, 0).close(ring);
            return true;
        } catch (NativeIOException e) {
            return false;
        }
    }

    /**
     * @param errno what {@code io_uring_setup} failed with
     * @return the reason, in words a user can act on
     */
    static String setupFailure(int errno) {
        String hint = switch (errno) {
            case Errno.EPERM -> " (io_uring is disabled: the sysctl kernel.io_uring_disabled, or a seccomp profile"
                    + " such as Docker's default)";
            case Errno.ENOSYS -> " (this kernel has no io_uring, or a seccomp profile hides it)";
            case Errno.ENOMEM -> " (the locked-memory limit, ulimit -l, is too low)";
            default -> "";
        };
        return "io_uring_setup failed with " + Errno.name(errno) + hint;
    }
}
