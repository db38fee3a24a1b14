package dev.salvo.transport.linux;

import static dev.salvo.transport.linux.LinuxConstants.AF_INET;
import static dev.salvo.transport.linux.LinuxConstants.AF_INET6;

import dev.salvo.NativeIOException;
import dev.salvo.write.PendingWrite;
import dev.salvo.write.SendOutcome;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What this machine's kernel and JVM support, found by probing real sockets rather than assumed
 * from version numbers. {@code salvo doctor} prints it; the channel layer can use it to pick
 * features once per process.
 *
 * @param transport "epoll" (the name {@code TransportType.EPOLL}, {@code -Dsalvo.transport} and
 *     {@code group.transportName()} use) when the Linux transport is usable, else "unavailable: reason"
 * @param kernel the kernel release and machine from {@code uname}
 * @param jdk the running JDK's version
 * @param javaHome the running JDK's {@code java.home}
 * @param sendmmsg {@code sendmmsg} sent a datagram on a real socket
 * @param recvmmsg {@code recvmmsg} received it
 * @param udpSegment setting {@code UDP_SEGMENT} (GSO) succeeded
 * @param maxSegments the most GSO segments one send accepts (64, or 128 on newer kernels), 0 without GSO
 * @param udpGro setting {@code UDP_GRO} succeeded
 * @param recvTos setting {@code IP_RECVTOS} succeeded
 * @param recvTclass setting {@code IPV6_RECVTCLASS} succeeded
 * @param pktinfo setting {@code IP_PKTINFO} succeeded
 * @param rxqOvfl setting {@code SO_RXQ_OVFL} succeeded
 * @param reusePort setting {@code SO_REUSEPORT} succeeded
 * @param ipv6 an {@code AF_INET6} socket could be opened and bound to {@code ::1}
 * @param ioUring 0 when {@code io_uring_setup} worked, else its errno
 * @param rmemMax {@code net.core.rmem_max}, or -1 when unreadable
 * @param wmemMax {@code net.core.wmem_max}, or -1 when unreadable
 * @param roundTripV4 one loopback datagram over IPv4
 * @param roundTripV6 one loopback datagram over IPv6
 */
public record Capabilities(String transport, String kernel, String jdk, String javaHome,
                           boolean sendmmsg, boolean recvmmsg, boolean udpSegment, int maxSegments,
                           boolean udpGro, boolean recvTos, boolean recvTclass, boolean pktinfo,
                           boolean rxqOvfl, boolean reusePort, boolean ipv6, int ioUring,
                           long rmemMax, long wmemMax, RoundTrip roundTripV4, RoundTrip roundTripV6) {

    /** The transport's name when it is usable: the one the rest of Salvo calls it by. */
    public static final String TRANSPORT_NAME = "epoll";

    /**
     * The report's name for GSO: the kernel calls the feature GSO and the socket option
     * {@code UDP_SEGMENT}, so the line names both.
     */
    public static final String GSO_KEY = "udp_gso (UDP_SEGMENT)";

    /**
     * The outcome of one loopback round trip.
     *
     * @param ok whether the datagram came back intact
     * @param nanos how long send to receive took
     * @param error why it failed, or {@code null}
     */
    public record RoundTrip(boolean ok, long nanos, String error) {
        /** @return e.g. {@code "ok, 1 datagram, 12 µs"} or {@code "failed: reason"} */
        public String describe() {
            return ok ? "ok, 1 datagram, " + Math.max(1, nanos / 1000) + " µs" : "failed: " + error;
        }
    }

    /** @return true when the core features work: sockets, sendmmsg, recvmmsg and an IPv4 round trip */
    public boolean coreOk() {
        return sendmmsg && recvmmsg && roundTripV4.ok();
    }

    /**
     * The report {@code salvo doctor} prints, one {@code name: value} line per entry, in order.
     *
     * @return names to values
     */
    public Map<String, String> report() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("transport", transport);
        m.put("kernel", kernel);
        m.put("jdk", jdk + " (" + javaHome + ")");
        m.put("sendmmsg", yes(sendmmsg));
        m.put("recvmmsg", yes(recvmmsg));
        m.put(GSO_KEY, yes(udpSegment));
        m.put("udp_max_segments", Integer.toString(maxSegments));
        m.put("udp_gro", yes(udpGro));
        m.put("ip_recvtos", yes(recvTos));
        m.put("ipv6_recvtclass", yes(recvTclass));
        m.put("ip_pktinfo", yes(pktinfo));
        m.put("so_rxq_ovfl", yes(rxqOvfl));
        m.put("so_reuseport", yes(reusePort));
        m.put("ipv6", yes(ipv6));
        m.put("io_uring", ioUring == 0 ? "yes" : "no (" + Errno.name(ioUring) + ")");
        m.put("rmem_max", Long.toString(rmemMax));
        m.put("wmem_max", Long.toString(wmemMax));
        m.put("roundtrip_v4", roundTripV4.describe());
        m.put("roundtrip_v6", roundTripV6.describe());
        m.put("core", coreOk() ? "ok" : "not working");
        return m;
    }

    private static String yes(boolean b) {
        return b ? "yes" : "no";
    }

    /**
     * Probes this machine. Takes a few milliseconds; opens and closes a handful of loopback sockets.
     *
     * @return what works
     */
    public static Capabilities probe() {
        String jdk = Runtime.version().toString();
        String home = System.getProperty("java.home");
        long rmem = readLong(Path.of("/proc/sys/net/core/rmem_max"));
        long wmem = readLong(Path.of("/proc/sys/net/core/wmem_max"));
        if (!LinuxTransport.isAvailable()) {
            RoundTrip none = new RoundTrip(false, 0, LinuxTransport.unavailabilityReason());
            return new Capabilities("unavailable: " + LinuxTransport.unavailabilityReason(),
                    System.getProperty("os.name") + " " + System.getProperty("os.version"), jdk, home,
                    false, false, false, 0, false, false, false, false, false, false, false, Errno.ENOSYS,
                    rmem, wmem, none, none);
        }
        String kernel;
        try {
            SystemInfo.Uname u = SystemInfo.uname();
            kernel = u.release() + " (" + u.machine() + ")";
        } catch (NativeIOException e) {
            kernel = "unknown: " + e.getMessage();
        }
        boolean[] batch = probeBatchCalls();
        boolean gso = optionWorks(AF_INET, LinuxConstants.SOL_UDP, LinuxConstants.UDP_SEGMENT, 1200);
        boolean ipv6 = ipv6Works();
        return new Capabilities(TRANSPORT_NAME, kernel, jdk, home, batch[0], batch[1], gso, gso ? probeMaxSegments() : 0,
                optionWorks(AF_INET, LinuxConstants.SOL_UDP, LinuxConstants.UDP_GRO, 1),
                optionWorks(AF_INET, LinuxConstants.SOL_IP, LinuxConstants.IP_RECVTOS, 1),
                ipv6 && optionWorks(AF_INET6, LinuxConstants.SOL_IPV6, LinuxConstants.IPV6_RECVTCLASS, 1),
                optionWorks(AF_INET, LinuxConstants.SOL_IP, LinuxConstants.IP_PKTINFO, 1),
                optionWorks(AF_INET, LinuxConstants.SOL_SOCKET, LinuxConstants.SO_RXQ_OVFL, 1),
                optionWorks(AF_INET, LinuxConstants.SOL_SOCKET, LinuxConstants.SO_REUSEPORT, 1),
                ipv6, SystemInfo.probeIoUring(), rmem, wmem,
                roundTrip(AF_INET, InetAddress.getLoopbackAddress()),
                ipv6 ? roundTrip(AF_INET6, loopback6()) : new RoundTrip(false, 0, "IPv6 is unavailable"));
    }

    /** @return true when setting the option on a fresh socket of the family succeeds */
    static boolean optionWorks(int family, int level, int option, int value) {
        int fd = -1;
        try {
            fd = Sockets.openDatagram(family);
            Sockets.setInt(fd, level, option, value);
            return true;
        } catch (NativeIOException e) {
            return false;
        } finally {
            Sockets.closeQuietly(fd);
        }
    }

    private static boolean ipv6Works() {
        int fd = -1;
        try {
            fd = Sockets.openDatagram(AF_INET6);
            Sockets.bind(fd, new InetSocketAddress(loopback6(), 0));
            return true;
        } catch (NativeIOException e) {
            return false;
        } finally {
            Sockets.closeQuietly(fd);
        }
    }

    /** Calls sendmmsg and recvmmsg on a socket that sends to itself: {sendmmsg works, recvmmsg works}. */
    private static boolean[] probeBatchCalls() {
        boolean[] result = new boolean[2];
        int fd = -1;
        try (Arena arena = Arena.ofConfined()) {
            fd = Sockets.openDatagram(AF_INET);
            Sockets.bind(fd, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketAddress self = Sockets.localAddress(fd);
            LinuxDatagramWriter writer = new LinuxDatagramWriter(fd, AF_INET, new SendScratch(arena, 65_536));
            PendingWrite w = PendingWrite.detached().segment(arena.allocate(8), 0, 8).destination(self);
            SendOutcome out = new SendOutcome();
            writer.writeVector(i -> w, 1, out);
            result[0] = out.isSent() && out.sentCount() == 1;
            if (result[0]) {
                RecvBatch batch = new RecvBatch(arena, 4, 64);
                result[1] = receiveWithin(batch, fd, 1000) == 1 && batch.length(0) == 8;
            }
        } catch (NativeIOException | RuntimeException e) {
            // Leaves what failed as false.
        } finally {
            Sockets.closeQuietly(fd);
        }
        return result;
    }

    /**
     * Finds the kernel's GSO segment limit (UDP_MAX_SEGMENTS, 64, raised to 128 in Linux 6.11) by
     * sending to itself: a send with more segments than the limit fails with EINVAL.
     */
    static int probeMaxSegments() {
        int fd = -1;
        try (Arena arena = Arena.ofConfined()) {
            fd = Sockets.openDatagram(AF_INET);
            Sockets.bind(fd, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketAddress self = Sockets.localAddress(fd);
            LinuxDatagramWriter writer = new LinuxDatagramWriter(fd, AF_INET, new SendScratch(arena, 65_536));
            MemorySegment payload = arena.allocate(8 * 257);
            PendingWrite w = PendingWrite.detached().destination(self).segmentSize(8);
            SendOutcome out = new SendOutcome();
            int best = 0;
            for (int segments : new int[] {64, 128, 256}) {
                w.segment(payload, 0, 8 * segments);
                out.reset();
                writer.writeScalar(w, out);
                if (!out.isSent()) {
                    break;
                }
                best = segments;
            }
            // The limit lies between the last success and the next power of two; check just above.
            w.segment(payload, 0, 8 * (best + 1));
            out.reset();
            if (best > 0) {
                writer.writeScalar(w, out);
            }
            return best > 0 && out.isSent() ? best + 1 : best;
        } catch (NativeIOException | RuntimeException e) {
            return 0;
        } finally {
            Sockets.closeQuietly(fd);
        }
    }

    private static RoundTrip roundTrip(int family, InetAddress loopback) {
        int rx = -1;
        int tx = -1;
        try (Arena arena = Arena.ofConfined()) {
            rx = Sockets.openDatagram(family);
            tx = Sockets.openDatagram(family);
            Sockets.bind(rx, new InetSocketAddress(loopback, 0));
            Sockets.bind(tx, new InetSocketAddress(loopback, 0));
            LinuxDatagramWriter writer = new LinuxDatagramWriter(tx, family, new SendScratch(arena, 65_536));
            MemorySegment payload = arena.allocate(12);
            payload.setString(0, "salvo probe"); // 11 characters and the NUL: 12 bytes
            PendingWrite w = PendingWrite.detached().segment(payload, 0, 12).destination(Sockets.localAddress(rx));
            SendOutcome out = new SendOutcome();
            RecvBatch batch = new RecvBatch(arena, 4, 64);
            // A few unmeasured trips first, so that the one measured is not dominated by the JIT.
            long nanos = 0;
            for (int trip = 0; trip < 20; trip++) {
                long start = System.nanoTime();
                out.reset();
                writer.writeScalar(w, out);
                if (!out.isSent()) {
                    return new RoundTrip(false, 0, "sendmsg failed: " + Errno.name(out.errno()));
                }
                int n = receiveWithin(batch, rx, 1000);
                nanos = System.nanoTime() - start;
                if (n < 0) {
                    return new RoundTrip(false, nanos, "recvmmsg failed: " + Errno.name(-n));
                }
                if (n == 0) {
                    return new RoundTrip(false, nanos, "no datagram within 1 s");
                }
            }
            boolean intact = batch.length(0) == 12 && batch.payload(0).mismatch(payload) == -1
                    && batch.sender(0).equals(Sockets.localAddress(tx));
            return intact ? new RoundTrip(true, nanos, null) : new RoundTrip(false, nanos, "datagram or sender differs");
        } catch (NativeIOException | RuntimeException e) {
            return new RoundTrip(false, 0, e.getMessage());
        } finally {
            Sockets.closeQuietly(rx);
            Sockets.closeQuietly(tx);
        }
    }

    /** Spins on a non-blocking receive for up to {@code millis}: the count, 0 on time-out, or -errno. */
    private static int receiveWithin(RecvBatch batch, int fd, long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (true) {
            int n = batch.receive(fd);
            if (n != -Errno.EAGAIN) {
                return n;
            }
            if (System.nanoTime() > deadline) {
                return 0;
            }
            Thread.onSpinWait();
        }
    }

    private static InetAddress loopback6() {
        try {
            return InetAddress.getByAddress(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long readLong(Path path) {
        try {
            // Files.readString trusts the file size, which procfs reports as 0 or 4096; read lines.
            return Long.parseLong(Files.readAllLines(path).get(0).strip());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
