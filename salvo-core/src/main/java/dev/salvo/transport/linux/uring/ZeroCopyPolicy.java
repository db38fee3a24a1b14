package dev.salvo.transport.linux.uring;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.salvo.transport.linux.LinuxConstants;
import dev.salvo.transport.linux.Structs;
import dev.salvo.transport.linux.SystemInfo;
import java.lang.foreign.MemorySegment;
import java.util.Locale;

/**
 * Which sends go out as {@code IORING_OP_SENDMSG_ZC}: a message whose payload is at least
 * {@code threshold} bytes, on a kernel that has the opcode with usage reports (Linux 6.2), and,
 * unless {@code loopback}, not to a loopback destination. A pure decision over an encoded
 * {@code msghdr}; the poller does the sending.
 *
 * <p>Why loopback is excluded by default: a zero-copy send to a local socket is copied anyway
 * (the kernel must not let a receiver see pages the sender may change), so it pays the page
 * pinning and the notification completion on top of the same copy; see the README for the
 * figures.
 *
 * @param available whether the kernel can do it: the probe found {@code SENDMSG_ZC} and the
 *     kernel reports whether it copied ({@code IORING_SEND_ZC_REPORT_USAGE}, Linux 6.2)
 * @param threshold the least payload, in bytes, of a message sent with zero copy
 * @param loopback whether loopback destinations get zero copy too
 */
record ZeroCopyPolicy(boolean available, int threshold, boolean loopback) {
    /**
     * The default threshold: a GSO send of about 14 datagrams of 1,200 B and up. Below it the
     * pinning and the second completion cost more than the copy they save (see the README).
     */
    static final int DEFAULT_THRESHOLD = 16_384;
    /** Never zero copy. */
    static final ZeroCopyPolicy OFF = new ZeroCopyPolicy(false, Integer.MAX_VALUE, false);

    /** Every byte of the address space, to read the kernel structs the writer encoded. */
    @SuppressWarnings("restricted")
    private static final MemorySegment NATIVE = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    /** @throws IllegalArgumentException when the threshold is below 1 */
    ZeroCopyPolicy {
        if (threshold < 1) {
            throw new IllegalArgumentException("zero-copy threshold must be at least 1 byte, got " + threshold);
        }
    }

    /**
     * The policy the system properties ask for on this kernel.
     *
     * @param support what the probe found
     * @return the policy; {@link #available()} is false without the opcode or the property
     *     {@link UringTransport#ZEROCOPY_THRESHOLD_PROPERTY} set to {@code off}
     * @throws IllegalArgumentException when a property is neither a number nor {@code off}
     */
    static ZeroCopyPolicy fromProperties(UringSupport support) {
        String t = System.getProperty(UringTransport.ZEROCOPY_THRESHOLD_PROPERTY, "").trim()
                .toLowerCase(Locale.ROOT);
        String l = System.getProperty(UringTransport.ZEROCOPY_LOOPBACK_PROPERTY, "false").trim()
                .toLowerCase(Locale.ROOT);
        if (!l.equals("true") && !l.equals("false")) {
            throw new IllegalArgumentException(UringTransport.ZEROCOPY_LOOPBACK_PROPERTY
                    + " must be true or false, got " + l);
        }
        boolean off = t.equals("off");
        int threshold = DEFAULT_THRESHOLD;
        if (!t.isEmpty() && !off) {
            try {
                threshold = Integer.parseInt(t);
            } catch (NumberFormatException e) {
                threshold = 0;
            }
            if (threshold < 1) {
                throw new IllegalArgumentException(UringTransport.ZEROCOPY_THRESHOLD_PROPERTY
                        + " must be a byte count of at least 1, or off; got " + t);
            }
        }
        boolean kernel = support.opcodes().contains("SENDMSG_ZC") && reportsUsage();
        return new ZeroCopyPolicy(kernel && !off, threshold, l.equals("true"));
    }

    /** @return whether the kernel is Linux 6.2 or later, which reports whether a zero-copy send copied */
    private static boolean reportsUsage() {
        try {
            String[] v = SystemInfo.uname().release().split("[.-]", 3);
            int major = Integer.parseInt(v[0]);
            int minor = Integer.parseInt(v[1]);
            return major > 6 || major == 6 && minor >= 2;
        } catch (dev.salvo.NativeIOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Decides for one encoded message.
     *
     * @param msghdr the address of its {@code struct msghdr}
     * @param connectedToLoopback whether its socket is connected to a loopback address (a message
     *     without a name goes there)
     * @return whether to send it with {@code SENDMSG_ZC}
     */
    boolean zeroCopy(long msghdr, boolean connectedToLoopback) {
        if (!available || payloadBytes(msghdr) < threshold) {
            return false;
        }
        if (loopback) {
            return true;
        }
        long name = NATIVE.get(JAVA_LONG, msghdr + Structs.MSG_NAME);
        return name == 0 ? !connectedToLoopback : !isLoopback(name);
    }

    /** @return the sum of the message's iovec lengths */
    static long payloadBytes(long msghdr) {
        long iov = NATIVE.get(JAVA_LONG, msghdr + Structs.MSG_IOV);
        long count = NATIVE.get(JAVA_LONG, msghdr + Structs.MSG_IOVLEN);
        long bytes = 0;
        for (long i = 0; i < count; i++) {
            bytes += NATIVE.get(JAVA_LONG, iov + i * Structs.IOVEC_SIZE + Structs.IOV_LEN);
        }
        return bytes;
    }

    /** @return whether the {@code sockaddr} at {@code name} is 127.0.0.0/8, ::1 or an IPv4-mapped 127.x */
    static boolean isLoopback(long name) {
        int family = Short.toUnsignedInt(NATIVE.get(JAVA_SHORT, name));
        if (family == LinuxConstants.AF_INET) {
            return NATIVE.get(JAVA_BYTE, name + Structs.SIN_ADDR) == 127;
        }
        if (family != LinuxConstants.AF_INET6) {
            return false;
        }
        long a = name + Structs.SIN6_ADDR;
        if (NATIVE.get(JAVA_LONG, a) != 0) {
            return false;
        }
        int third = NATIVE.get(Structs.U32_BE, a + 8);
        if (third == 0) {
            return NATIVE.get(Structs.U32_BE, a + 12) == 1; // ::1
        }
        return third == 0xFFFF && NATIVE.get(JAVA_BYTE, a + 12) == 127; // ::ffff:127.x.x.x
    }

    /** @return the policy in words, for {@code salvo doctor} */
    String describe() {
        if (!available) {
            return "off";
        }
        return "SENDMSG_ZC for messages of " + threshold + " B and more"
                + (loopback ? ", loopback destinations included" : ", not to loopback destinations");
    }
}
