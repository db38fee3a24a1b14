package dev.salvo.transport.linux;

import static dev.salvo.transport.linux.LinuxConstants.AF_INET;
import static dev.salvo.transport.linux.LinuxConstants.AF_INET6;
import static dev.salvo.transport.linux.LinuxConstants.AF_UNIX;
import static dev.salvo.transport.linux.LinuxConstants.SOL_UDP;
import static dev.salvo.transport.linux.LinuxConstants.UDP_SEGMENT;

import dev.salvo.NativeIOException;
import dev.salvo.transport.AddressFamily;
import dev.salvo.transport.Poller;
import dev.salvo.transport.SocketOps;
import dev.salvo.transport.Transport;
import dev.salvo.read.SenderCache;
import java.io.IOException;
import java.lang.foreign.Arena;

/**
 * The Linux transport: epoll, and datagram sockets driven by {@code sendmmsg}/{@code recvmmsg}
 * over FFM. Each event loop owns one send scratch, one receive batch and one sender cache, shared
 * by all of its sockets (a loop runs one socket's I/O at a time); each socket's
 * {@link dev.salvo.read.DatagramReader} turns the batch into datagrams.
 */
public final class EpollTransport implements Transport {
    /** The single instance. */
    public static final EpollTransport INSTANCE = new EpollTransport();

    /**
     * System property that turns GSO off for sockets created while it is set to {@code off} (or
     * {@code false}): explicit segment sizes are then split in software and automatic GSO is
     * unavailable, as on a kernel without {@code UDP_SEGMENT}. Read at each socket's creation.
     */
    public static final String GSO_PROPERTY = "salvo.gso";

    private static volatile Boolean gso;
    private static volatile int gsoMaxSegments = -1;

    private EpollTransport() {
    }

    @Override
    public String name() {
        return "epoll";
    }

    @Override
    public LoopResources newLoop() throws IOException {
        LinuxTransport.ensureAvailable();
        return new Loop();
    }

    /** @return whether the kernel accepts {@code UDP_SEGMENT} (GSO); probed once per process */
    static boolean gsoSupported() {
        Boolean g = gso;
        if (g == null) {
            g = probeGso();
            gso = g;
        }
        return g;
    }

    /**
     * @return the most segments one GSO send may carry on this kernel (probed once per process:
     *     64 before Linux 6.11, 128 since), or {@link LinuxDatagramWriter#PORTABLE_MAX_SEGMENTS}
     *     when it cannot be found
     */
    static int gsoMaxSegments() {
        int m = gsoMaxSegments;
        if (m < 0) {
            m = gsoSupported() ? Capabilities.probeMaxSegments() : 0;
            if (m <= 0) {
                m = LinuxDatagramWriter.PORTABLE_MAX_SEGMENTS;
            }
            gsoMaxSegments = Math.min(m, SendScratch.MAX_MESSAGES);
        }
        return m;
    }

    /** @return whether {@link #GSO_PROPERTY} turns GSO off for sockets created now */
    static boolean gsoForcedOff() {
        String v = System.getProperty(GSO_PROPERTY, "");
        return v.equalsIgnoreCase("off") || v.equalsIgnoreCase("false");
    }

    private static boolean probeGso() {
        try {
            int fd = Sockets.openDatagram(AF_INET);
            try {
                Sockets.setInt(fd, SOL_UDP, UDP_SEGMENT, 1200);
                Sockets.setInt(fd, SOL_UDP, UDP_SEGMENT, 0);
                return true;
            } finally {
                Sockets.closeQuietly(fd);
            }
        } catch (NativeIOException | RuntimeException e) {
            return false;
        }
    }

    /** One event loop's native memory and poller. */
    static final class Loop implements LoopResources {
        // Shared, not confined: the loop is created on one thread and runs on another.
        private final Arena arena = Arena.ofShared();
        private final EpollPoller poller;
        final SendScratch send;
        final SenderCache senders = new SenderCache();
        /** How this loop's sockets make their send calls: libc, or another transport's (io_uring). */
        SendCalls sendCalls = SendCalls.LIBC;
        private Arena recvArena;
        private RecvBatch recv;

        Loop() throws NativeIOException {
            try {
                this.poller = new EpollPoller(arena);
                this.send = new SendScratch(arena);
            } catch (NativeIOException | RuntimeException e) {
                arena.close();
                throw e;
            }
        }

        @Override
        public Poller poller() {
            return poller;
        }

        @Override
        public SocketOps openDatagram(AddressFamily family) throws IOException {
            int af = switch (family) {
                case INET -> AF_INET;
                case INET6 -> AF_INET6;
                case UNIX -> AF_UNIX;
            };
            return new LinuxSocket(Sockets.openDatagram(af), family, this);
        }

        /**
         * @param messages datagrams per batch a socket wants
         * @param datagramSize buffer size per datagram a socket wants
         * @return a receive batch at least that large, reused until a socket wants a larger one
         */
        RecvBatch recvBatch(int messages, int datagramSize) {
            if (recv == null || recv.capacity() < messages || recv.bufferSize() < datagramSize) {
                int m = recv == null ? messages : Math.max(messages, recv.capacity());
                int size = recv == null ? datagramSize : Math.max(datagramSize, recv.bufferSize());
                Arena next = Arena.ofShared();
                RecvBatch batch = new RecvBatch(next, m, size);
                if (recvArena != null) {
                    recvArena.close();
                }
                recvArena = next;
                recv = batch;
            }
            return recv;
        }

        @Override
        public void close() {
            poller.close();
            if (recvArena != null) {
                recvArena.close();
            }
            arena.close();
        }
    }
}
