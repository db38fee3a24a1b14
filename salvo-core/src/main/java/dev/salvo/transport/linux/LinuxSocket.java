package dev.salvo.transport.linux;

import static dev.salvo.transport.linux.LinuxConstants.IPV6_RECVPKTINFO;
import static dev.salvo.transport.linux.LinuxConstants.IPV6_RECVTCLASS;
import static dev.salvo.transport.linux.LinuxConstants.IPV6_TCLASS;
import static dev.salvo.transport.linux.LinuxConstants.IPV6_V6ONLY;
import static dev.salvo.transport.linux.LinuxConstants.IP_PKTINFO;
import static dev.salvo.transport.linux.LinuxConstants.IP_RECVTOS;
import static dev.salvo.transport.linux.LinuxConstants.IP_TOS;
import static dev.salvo.transport.linux.LinuxConstants.MSG_DONTWAIT;
import static dev.salvo.transport.linux.LinuxConstants.SOL_IP;
import static dev.salvo.transport.linux.LinuxConstants.SOL_IPV6;
import static dev.salvo.transport.linux.LinuxConstants.SOL_SOCKET;
import static dev.salvo.transport.linux.LinuxConstants.SOL_UDP;
import static dev.salvo.transport.linux.LinuxConstants.SO_BROADCAST;
import static dev.salvo.transport.linux.LinuxConstants.SO_ERROR;
import static dev.salvo.transport.linux.LinuxConstants.SO_RCVBUF;
import static dev.salvo.transport.linux.LinuxConstants.SO_REUSEADDR;
import static dev.salvo.transport.linux.LinuxConstants.SO_REUSEPORT;
import static dev.salvo.transport.linux.LinuxConstants.SO_TIMESTAMPNS;
import static dev.salvo.transport.linux.LinuxConstants.SO_SNDBUF;
import static dev.salvo.transport.linux.LinuxConstants.UDP_GRO;
import static dev.salvo.transport.linux.LinuxConstants.UDP_SEGMENT;

import dev.salvo.ChannelOption;
import dev.salvo.DatagramTooLargeException;
import dev.salvo.NativeIOException;
import dev.salvo.OffloadStats;
import dev.salvo.read.DatagramReader;
import dev.salvo.read.ReadError;
import dev.salvo.read.ReadSink;
import dev.salvo.transport.AddressFamily;
import dev.salvo.transport.SocketOps;
import dev.salvo.write.DatagramWriter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;

/**
 * One non-blocking datagram socket of the Linux transport. Reads drain the socket with
 * {@code recvmmsg} into the loop's receive batch, which this socket's {@link DatagramReader}
 * delivers (GRO split, metadata, sender cache); errors are classified here, by {@link ReadErrors}.
 *
 * <p>GSO is probed when the socket is created: the process-wide probe
 * ({@link EpollTransport#gsoSupported()}, segment limit {@link EpollTransport#gsoMaxSegments()}),
 * then {@code UDP_SEGMENT} set and reset on this very socket. The system property
 * {@value EpollTransport#GSO_PROPERTY}{@code =off} makes the probe fail. Where GSO works, automatic
 * GSO starts on ({@link ChannelOption#GSO_AUTO}); where it does not, datagrams with a segment size
 * are split in software by the writer.
 */
final class LinuxSocket implements SocketOps {
    private final int fd;
    private final int af;
    private final AddressFamily family;
    private final EpollTransport.Loop loop;
    private final LinuxDatagramWriter writer;
    private final DatagramReader reader;
    private ReadError lastReadError;
    private int maxDatagramSize = 2048;
    private boolean gro;
    /** Read by {@link #kernelDrops()} from any thread, so that a closed descriptor is not asked. */
    private volatile boolean closed;
    /** Whether {@code SO_MEMINFO} answered on this socket; else drops are unknown (-1). */
    private volatile boolean meminfo = true;
    /** {@link #kernelDrops()} as it stood when the socket closed; written before {@link #closed}. */
    private long dropsAtClose;
    private NetworkInterface multicastInterface;
    /** The poller's id for this socket, -1 when not registered. */
    int pollId = -1;

    LinuxSocket(int fd, AddressFamily family, EpollTransport.Loop loop) {
        this.fd = fd;
        this.family = family;
        this.loop = loop;
        this.af = switch (family) {
            case INET -> LinuxConstants.AF_INET;
            case INET6 -> LinuxConstants.AF_INET6;
            case UNIX -> LinuxConstants.AF_UNIX;
        };
        boolean gso = family != AddressFamily.UNIX && probeGso(fd);
        this.writer = new LinuxDatagramWriter(fd, af, loop.send, loop.sendCalls, true, gso,
                gso ? EpollTransport.gsoMaxSegments() : LinuxDatagramWriter.PORTABLE_MAX_SEGMENTS);
        // Drops are counted by SO_MEMINFO when asked, not SO_RXQ_OVFL: once drops start, that option
        // makes the kernel attach a control message to every datagram (put_cmsg was ~9 % of a
        // saturated loop thread) for a figure that is stale after a burst anyway.
        this.reader = new DatagramReader(loop.senders);
    }

    /** Whether this socket takes {@code UDP_SEGMENT}: the process probe, the property, then the socket itself. */
    private static boolean probeGso(int fd) {
        if (EpollTransport.gsoForcedOff() || !EpollTransport.gsoSupported()) {
            return false;
        }
        try {
            Sockets.setInt(fd, SOL_UDP, UDP_SEGMENT, 0);
            return true;
        } catch (NativeIOException e) {
            return false;
        }
    }

    int fd() {
        return fd;
    }

    @Override
    public AddressFamily family() {
        return family;
    }

    @Override
    public void bind(SocketAddress local) throws NativeIOException {
        Sockets.bind(fd, local);
    }

    @Override
    public void connect(SocketAddress remote) throws NativeIOException {
        Sockets.connect(fd, remote);
        writer.setConnectedPeer(remote);
    }

    @Override
    public void disconnect() throws NativeIOException {
        Sockets.disconnect(fd);
        writer.setConnectedPeer(null);
    }

    @Override
    public SocketAddress localAddress() {
        try {
            return Sockets.localAddress(fd);
        } catch (NativeIOException e) {
            return null;
        }
    }

    @Override
    public SocketAddress remoteAddress() {
        try {
            return Sockets.remoteAddress(fd);
        } catch (NativeIOException e) {
            return null; // ENOTCONN
        }
    }

    @Override
    public boolean supports(ChannelOption<?> option) {
        if (option.isRaw()) {
            return true; // the kernel decides (RawOptions)
        }
        boolean ip = family != AddressFamily.UNIX;
        if (option == ChannelOption.IPV6_ONLY) {
            return family == AddressFamily.INET6;
        }
        if (option == ChannelOption.GSO_AUTO || option == ChannelOption.IP_MULTICAST_LOOP
                || option == ChannelOption.IP_MULTICAST_TTL || option == ChannelOption.IP_MULTICAST_IF) {
            return ip;
        }
        if (option == ChannelOption.IP_TOS || option == ChannelOption.RECEIVE_ECN
                || option == ChannelOption.RECEIVE_PACKET_INFO || option == ChannelOption.UDP_GRO
                || option == ChannelOption.RECEIVE_TIMESTAMP
                || option == ChannelOption.SO_BROADCAST || option == ChannelOption.DONT_FRAGMENT) {
            return ip;
        }
        return option == ChannelOption.SO_RCVBUF || option == ChannelOption.SO_SNDBUF
                || option == ChannelOption.SO_REUSEADDR || option == ChannelOption.SO_REUSEPORT
                || option == ChannelOption.MAX_DATAGRAM_SIZE;
    }

    @Override
    public <T> void setOption(ChannelOption<T> option, T value) throws NativeIOException {
        if (option.isRaw()) {
            RawOptions.set(fd, option, value);
            return;
        }
        if (!supports(option)) {
            throw new UnsupportedOperationException(option.name() + " is not supported on this "
                    + family.name().toLowerCase(java.util.Locale.ROOT) + " socket of the epoll transport");
        }
        int v = value instanceof Boolean b ? (b ? 1 : 0) : value instanceof Integer i ? i : 0;
        if (option == ChannelOption.GSO_AUTO) {
            writer.setAutoGso(v != 0);
        } else if (option == ChannelOption.IP_MULTICAST_LOOP) {
            Multicast.setLoop(fd, af, v != 0);
        } else if (option == ChannelOption.IP_MULTICAST_TTL) {
            Multicast.setTtl(fd, af, v);
        } else if (option == ChannelOption.IP_MULTICAST_IF) {
            NetworkInterface iface = (NetworkInterface) value;
            Multicast.setInterface(fd, af, iface);
            multicastInterface = iface;
        } else if (option == ChannelOption.SO_RCVBUF) {
            Sockets.setInt(fd, SOL_SOCKET, SO_RCVBUF, v);
        } else if (option == ChannelOption.SO_SNDBUF) {
            Sockets.setInt(fd, SOL_SOCKET, SO_SNDBUF, v);
        } else if (option == ChannelOption.SO_REUSEADDR) {
            Sockets.setInt(fd, SOL_SOCKET, SO_REUSEADDR, v);
        } else if (option == ChannelOption.SO_REUSEPORT) {
            Sockets.setInt(fd, SOL_SOCKET, SO_REUSEPORT, v);
        } else if (option == ChannelOption.SO_BROADCAST) {
            Sockets.setInt(fd, SOL_SOCKET, SO_BROADCAST, v);
        } else if (option == ChannelOption.IPV6_ONLY) {
            Sockets.setInt(fd, SOL_IPV6, IPV6_V6ONLY, v);
        } else if (option == ChannelOption.MAX_DATAGRAM_SIZE) {
            maxDatagramSize = v;
        } else if (option == ChannelOption.IP_TOS) {
            if (family == AddressFamily.INET6) {
                Sockets.setInt(fd, SOL_IPV6, IPV6_TCLASS, v);
            }
            // On a dual-stack socket, IPv4 datagrams take IP_TOS.
            Sockets.setInt(fd, SOL_IP, IP_TOS, v);
            writer.setBaseTos(v);
        } else if (option == ChannelOption.RECEIVE_ECN) {
            if (family == AddressFamily.INET6) {
                Sockets.setInt(fd, SOL_IPV6, IPV6_RECVTCLASS, v);
            }
            Sockets.setInt(fd, SOL_IP, IP_RECVTOS, v);
            reader.receiveEcn(v != 0);
        } else if (option == ChannelOption.RECEIVE_PACKET_INFO) {
            if (family == AddressFamily.INET6) {
                Sockets.setInt(fd, SOL_IPV6, IPV6_RECVPKTINFO, v);
            }
            Sockets.setInt(fd, SOL_IP, IP_PKTINFO, v);
            reader.receivePacketInfo(v != 0);
        } else if (option == ChannelOption.RECEIVE_TIMESTAMP) {
            Sockets.setInt(fd, SOL_SOCKET, SO_TIMESTAMPNS, v);
        } else if (option == ChannelOption.UDP_GRO) {
            Sockets.setInt(fd, SOL_UDP, UDP_GRO, v);
            gro = v != 0;
        } else if (option == ChannelOption.DONT_FRAGMENT) {
            int mode = v != 0 ? LinuxConstants.IP_PMTUDISC_DO : LinuxConstants.IP_PMTUDISC_WANT;
            if (family == AddressFamily.INET6) {
                Sockets.setInt(fd, SOL_IPV6, LinuxConstants.IPV6_MTU_DISCOVER, mode);
            }
            Sockets.setInt(fd, SOL_IP, LinuxConstants.IP_MTU_DISCOVER, mode); // IPv4 datagrams of a dual-stack socket
        }
    }

    @Override
    public <T> T getOption(ChannelOption<T> option) throws NativeIOException {
        if (option.isRaw()) {
            return option.type().cast(RawOptions.get(fd, option));
        }
        if (!supports(option)) {
            throw new UnsupportedOperationException(option.name() + " is not supported on this socket");
        }
        Object v;
        if (option == ChannelOption.GSO_AUTO) {
            v = writer.autoGso();
        } else if (option == ChannelOption.IP_MULTICAST_LOOP) {
            v = Multicast.loop(fd, af);
        } else if (option == ChannelOption.IP_MULTICAST_TTL) {
            v = Multicast.ttl(fd, af);
        } else if (option == ChannelOption.IP_MULTICAST_IF) {
            // The kernel reports an address, not the interface it was set by; report what was set.
            v = multicastInterface;
            if (v == null) {
                return null;
            }
        } else if (option == ChannelOption.SO_RCVBUF) {
            v = Sockets.getInt(fd, SOL_SOCKET, SO_RCVBUF);
        } else if (option == ChannelOption.SO_SNDBUF) {
            v = Sockets.getInt(fd, SOL_SOCKET, SO_SNDBUF);
        } else if (option == ChannelOption.SO_REUSEADDR) {
            v = Sockets.getInt(fd, SOL_SOCKET, SO_REUSEADDR) != 0;
        } else if (option == ChannelOption.SO_REUSEPORT) {
            v = Sockets.getInt(fd, SOL_SOCKET, SO_REUSEPORT) != 0;
        } else if (option == ChannelOption.SO_BROADCAST) {
            v = Sockets.getInt(fd, SOL_SOCKET, SO_BROADCAST) != 0;
        } else if (option == ChannelOption.IPV6_ONLY) {
            v = Sockets.getInt(fd, SOL_IPV6, IPV6_V6ONLY) != 0;
        } else if (option == ChannelOption.MAX_DATAGRAM_SIZE) {
            v = maxDatagramSize;
        } else if (option == ChannelOption.IP_TOS) {
            v = family == AddressFamily.INET6 ? Sockets.getInt(fd, SOL_IPV6, IPV6_TCLASS)
                    : Sockets.getInt(fd, SOL_IP, IP_TOS);
        } else if (option == ChannelOption.RECEIVE_ECN) {
            v = reader.receivesEcn();
        } else if (option == ChannelOption.RECEIVE_PACKET_INFO) {
            v = reader.receivesPacketInfo();
        } else if (option == ChannelOption.RECEIVE_TIMESTAMP) {
            v = Sockets.getInt(fd, SOL_SOCKET, SO_TIMESTAMPNS) != 0;
        } else if (option == ChannelOption.DONT_FRAGMENT) {
            v = (family == AddressFamily.INET6 ? Sockets.getInt(fd, SOL_IPV6, LinuxConstants.IPV6_MTU_DISCOVER)
                    : Sockets.getInt(fd, SOL_IP, LinuxConstants.IP_MTU_DISCOVER)) == LinuxConstants.IP_PMTUDISC_DO;
        } else {
            v = gro;
        }
        return option.type().cast(v);
    }

    /** Segment sizes are honoured on every IP socket: by the kernel's GSO, or split in software without it. */
    @Override
    public boolean supportsSegmentation() {
        return family != AddressFamily.UNIX;
    }

    @Override
    public Throwable checkSegmentation(int length, int segmentSize, SocketAddress destination) {
        if (family == AddressFamily.UNIX) {
            return new UnsupportedOperationException("GSO (segmentSize) does not apply to unix-domain sockets");
        }
        boolean v4 = family == AddressFamily.INET || (destination == null
                ? remoteIsV4()
                : destination instanceof InetSocketAddress inet && inet.getAddress() instanceof Inet4Address);
        int max = writer.maxSegments();
        SegmentationLimits.Problem problem = SegmentationLimits.check(length, segmentSize, v4, max);
        if (problem == SegmentationLimits.Problem.NONE) {
            return null;
        }
        String why = SegmentationLimits.describe(problem, length, segmentSize, v4, max);
        return problem == SegmentationLimits.Problem.SEGMENT_LARGER_THAN_PAYLOAD
                ? new IllegalArgumentException(why)
                : new DatagramTooLargeException(why, destination, 0);
    }

    private boolean remoteIsV4() {
        return remoteAddress() instanceof InetSocketAddress inet && inet.getAddress() instanceof Inet4Address;
    }

    @Override
    public OffloadStats offloadStats() {
        return writer.offloadStats();
    }

    @Override
    public void joinGroup(InetAddress group, NetworkInterface iface, InetAddress source) throws NativeIOException {
        requireIp("multicast");
        Multicast.membership(fd, af, true, group, iface, source);
    }

    @Override
    public void leaveGroup(InetAddress group, NetworkInterface iface, InetAddress source) throws NativeIOException {
        requireIp("multicast");
        Multicast.membership(fd, af, false, group, iface, source);
    }

    private void requireIp(String what) {
        if (family == AddressFamily.UNIX) {
            throw new UnsupportedOperationException(what + " does not apply to unix-domain sockets");
        }
    }

    @Override
    public boolean supportsPerDatagramMetadata() {
        return family != AddressFamily.UNIX;
    }

    @Override
    public DatagramWriter writer() {
        return writer;
    }

    @Override
    public int read(ReadSink sink, int maxMessages) {
        // GRO hands over up to 64 datagrams glued together, so its buffers must hold the largest.
        int size = gro ? LinuxConstants.MAX_UDP_PAYLOAD : maxDatagramSize;
        int messages = RecvBatch.messagesPerCall(maxMessages, size);
        RecvBatch batch = loop.recvBatch(messages, size);
        int n = batch.receive(fd, MSG_DONTWAIT, Math.min(messages, batch.capacity()));
        if (n >= 0) {
            return reader.deliver(batch, sink);
        }
        ReadError error = ReadErrors.of("recvmmsg", -n);
        if (error == null) {
            return 0;
        }
        lastReadError = error;
        return READ_FAILED;
    }

    @Override
    public ReadError lastReadError() {
        return lastReadError;
    }

    @Override
    public ReadError takeSocketError() {
        int errno;
        try {
            errno = Sockets.getInt(fd, SOL_SOCKET, SO_ERROR);
        } catch (NativeIOException e) {
            errno = e.errno();
        }
        return errno == 0 ? null : ReadErrors.of("SO_ERROR", errno);
    }

    /**
     * The socket's own drop counter ({@code SO_MEMINFO}), exact and current even after a burst
     * that left no datagram behind it; -1 where the kernel lacks {@code SO_MEMINFO} (before 4.6)
     * and on unix-domain sockets. Any thread; one
     * {@code getsockopt}, so it is asked when a user asks, not per datagram. After close, the
     * count taken just before the descriptor was released.
     */
    @Override
    public long kernelDrops() {
        if (closed) {
            return dropsAtClose;
        }
        if (family == AddressFamily.UNIX || !meminfo) {
            return -1;
        }
        try {
            return Sockets.dropCount(fd);
        } catch (NativeIOException e) {
            if (!closed) {
                meminfo = false;
            }
            return closed ? dropsAtClose : -1;
        }
    }

    @Override
    public long truncatedDatagrams() {
        return reader.truncatedDatagrams();
    }

    @Override
    public void offloadCounters(long[] into) {
        writer.offloadCounters(into);
    }

    @Override
    public void close() {
        if (!closed) {
            dropsAtClose = kernelDrops();
            closed = true;
            Sockets.closeQuietly(fd);
        }
    }
}
