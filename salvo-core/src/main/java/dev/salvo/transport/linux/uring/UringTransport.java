package dev.salvo.transport.linux.uring;

import dev.salvo.read.SenderCache;
import dev.salvo.transport.AddressFamily;
import dev.salvo.transport.Poller;
import dev.salvo.transport.SocketOps;
import dev.salvo.transport.Transport;
import dev.salvo.transport.linux.SendCalls;
import dev.salvo.transport.linux.SocketAccess;
import dev.salvo.transport.linux.Errno;
import dev.salvo.transport.linux.LinuxTransport;
import java.io.IOException;
import java.lang.foreign.Arena;

/**
 * The io_uring transport: one ring per event loop ({@link UringPoller}), multishot receives into
 * provided-buffer rings, and the epoll transport's sockets and {@code sendmmsg} writer for
 * everything else. Needs Linux 6.0 or later (multishot {@code RECVMSG}, buffer rings,
 * {@code IORING_ENTER_EXT_ARG}); {@link #support()} says what this kernel has, or why not.
 */
public final class UringTransport implements Transport {
    /** The single instance. */
    public static final UringTransport INSTANCE = new UringTransport();

    /**
     * System property, for tests: an errno name or number ({@code EPERM}, {@code ENOSYS}) that
     * {@code io_uring_setup} is made to fail with, as under {@code kernel.io_uring_disabled} or a
     * seccomp profile. Read at every probe and every new loop.
     */
    public static final String FAIL_SETUP_PROPERTY = "salvo.io_uring.failSetup";

    /**
     * System property choosing how the transport sends, read when a loop is created: {@code ring}
     * (the default) makes each flush a chain of linked {@code SENDMSG} submissions and one
     * {@code io_uring_enter}; {@code sendmmsg} has the writer call {@code sendmmsg} directly, as the
     * epoll transport does, which on Linux 6.18 costs about half the CPU per small datagram.
     */
    public static final String SEND_PROPERTY = "salvo.io_uring.send";

    /**
     * System property, read when a loop is created: the least payload, in bytes, of one message
     * (a GSO super-datagram counts whole) that is sent with {@code IORING_OP_SENDMSG_ZC} instead
     * of {@code SENDMSG}, or {@code off}. Default 16384. Only
     * with {@link #SEND_PROPERTY} {@code ring}, on IP sockets, on Linux 6.2 or later.
     */
    public static final String ZEROCOPY_THRESHOLD_PROPERTY = "salvo.io_uring.zerocopyThreshold";

    /**
     * System property, read when a loop is created: {@code true} lets sends to loopback
     * destinations use zero copy too. Off by default, because the kernel copies a send to a local
     * socket anyway and zero copy then only adds cost.
     */
    public static final String ZEROCOPY_LOOPBACK_PROPERTY = "salvo.io_uring.zerocopyLoopback";

    /** Submission entries: room for the largest send batch's chain in one enter. */
    static final int SQ_ENTRIES = 1024;
    static final int CQ_ENTRIES = 8192;

    private static volatile UringSupport probed;

    private UringTransport() {
    }

    @Override
    public String name() {
        return "io_uring";
    }

    /**
     * @return what this kernel's io_uring offers (probed once per process, or again while
     *     {@link #FAIL_SETUP_PROPERTY} is set)
     */
    public static UringSupport support() {
        if (injectedErrno() > 0) {
            return UringSupport.probe(injectedErrno());
        }
        UringSupport s = probed;
        if (s == null) {
            s = UringSupport.probe(0);
            probed = s;
        }
        return s;
    }

    /** @return the errno {@link #FAIL_SETUP_PROPERTY} asks for, or 0 */
    static int injectedErrno() {
        String v = System.getProperty(FAIL_SETUP_PROPERTY, "").trim();
        if (v.isEmpty()) {
            return 0;
        }
        for (int e = 1; e < 134; e++) {
            if (Errno.name(e).equalsIgnoreCase(v)) {
                return e;
            }
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return Errno.EPERM;
        }
    }

    @Override
    public LoopResources newLoop() throws IOException {
        LinuxTransport.ensureAvailable();
        String why = support().unavailabilityReason();
        if (why != null) {
            throw new UnsupportedOperationException("the io_uring transport is unavailable: " + why);
        }
        return new Loop();
    }

    /** @return how this loop's writers send, as {@link #SEND_PROPERTY} says */
    private static SendCalls sendCalls(UringPoller poller) {
        String how = System.getProperty(SEND_PROPERTY, "ring").trim().toLowerCase(java.util.Locale.ROOT);
        return switch (how) {
            case "ring", "" -> {
                UringSends sends = new UringSends();
                sends.bind(poller);
                poller.zeroCopy(ZeroCopyPolicy.fromProperties(support()));
                yield sends;
            }
            case "sendmmsg" -> SendCalls.LIBC;
            default -> throw new IllegalArgumentException(SEND_PROPERTY + " must be ring or sendmmsg, got " + how);
        };
    }

    /** One event loop's ring, poller, receive batch and the epoll transport's socket scratch. */
    static final class Loop implements LoopResources {
        private final Arena arena = Arena.ofShared();
        /** Opens the sockets and owns their send scratch; its own epoll set stays empty. */
        private final LoopResources sockets;
        final Ring ring;
        final UringPoller poller;
        final UringBatch batch = new UringBatch();
        final SenderCache senders = new SenderCache();

        Loop() throws IOException {
            LoopResources s = null;
            Ring r = null;
            UringPoller p = null;
            try {
                r = new Ring(arena, SQ_ENTRIES, CQ_ENTRIES, injectedErrno());
                p = new UringPoller(arena, r);
                s = SocketAccess.socketsOnly(sendCalls(p));
            } catch (IOException | RuntimeException e) {
                if (p != null) {
                    p.close();
                }
                if (r != null) {
                    r.close();
                }
                if (s != null) {
                    s.close();
                }
                arena.close();
                throw e;
            }
            this.sockets = s;
            this.ring = r;
            this.poller = p;
        }

        @Override
        public Poller poller() {
            return poller;
        }

        @Override
        public SocketOps openDatagram(AddressFamily family) throws IOException {
            return new UringSocket(sockets.openDatagram(family), this);
        }

        @Override
        public void close() {
            poller.close();
            ring.close();
            sockets.close();
            arena.close();
        }
    }
}
