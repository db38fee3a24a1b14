package dev.salvo.transport.linux.uring;

import dev.salvo.ChannelOption;
import dev.salvo.OffloadStats;
import dev.salvo.read.DatagramReader;
import dev.salvo.read.ReadError;
import dev.salvo.read.ReadSink;
import dev.salvo.transport.AddressFamily;
import dev.salvo.transport.SocketOps;
import dev.salvo.transport.linux.Errno;
import dev.salvo.transport.linux.LinuxConstants;
import dev.salvo.transport.linux.RecvBatch;
import dev.salvo.transport.linux.SocketAccess;
import dev.salvo.write.DatagramWriter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.util.Arrays;

/**
 * A datagram socket of the io_uring transport. Everything but receiving is the epoll transport's
 * socket, which this one wraps: options, binding, connecting, multicast, and sending (its writer's
 * {@code sendmmsg}, with automatic GSO and per-datagram errors). Receiving is a multishot
 * {@code IORING_OP_RECVMSG} into this socket's {@link BufferRing}: the poller files each
 * completion here, {@link #read} hands the filled buffers to the read path and recycles them
 * after the handler returned.
 *
 * <p>A multishot receive ends when the kernel says so (no {@code IORING_CQE_F_MORE}): after an
 * error, and with {@code ENOBUFS} when every buffer is waiting here to be read. It is armed again
 * at once after an error, and after the next read for {@code ENOBUFS} (when buffers are back);
 * {@link #rearms()} and {@link #bufferShortages()} count both.
 */
final class UringSocket implements SocketOps {
    /** Buffers in each socket's ring. */
    static final int BUFFERS = 64;

    /**
     * Buffers in the ring of a socket whose datagrams may be {@code payload} bytes: as many as the
     * epoll path would read in one call of {@link #BUFFERS} messages
     * ({@link RecvBatch#messagesPerCall}, at most {@link RecvBatch#BYTES_PER_CALL} of buffers),
     * rounded down to a power of two for the ring. The kernel fills the ring's buffers in turn, so
     * all of them are touched: GRO's 64 of 64 KiB were 4 MiB. With 8, GRO at 1200 B received
     * 8.76–8.87 M datagrams/s against 7.56–7.77 M with 64 (16: 8.34 M; interleaved single runs,
     * 2-core Xeon, 1.5 s settle), and took 0.084–0.085 CPU s/M against 0.095–0.096 where it kept up
     * with the feeder either way; the ring runs dry more often, and the receive is armed again after
     * the next read.
     *
     * @param payload the largest datagram (or GRO message) a buffer must hold
     * @return a power of two, 1 to {@link #BUFFERS}
     */
    static int buffersFor(int payload) {
        return Integer.highestOneBit(RecvBatch.messagesPerCall(BUFFERS, payload));
    }

    private final SocketOps base;
    private final int fd;
    private final UringTransport.Loop loop;
    private final DatagramReader reader;
    private int maxDatagramSize = 2048;
    private boolean gro;
    // Completions waiting to be read, in arrival order: a buffer id (>= 0), or ~errno for an error.
    private int[] queued = new int[BUFFERS * 2];
    private int[] used = new int[BUFFERS * 2];
    private int head;
    private int size;
    private ReadError lastReadError;
    private boolean reading;
    private boolean releaseAfterRead;
    private long rearms;
    private long shortages;
    private boolean closed;

    // Poller state, loop thread.
    int pollId = -1;
    BufferRing buffers;
    boolean armed;
    boolean pollOutArmed;
    boolean wantWritable;
    boolean writableFired;
    boolean inReadyList;
    /** Reading paused (auto-read off): completions wait in the buffer ring, unreported. */
    boolean readPaused;

    UringSocket(SocketOps base, UringTransport.Loop loop) {
        this.base = base;
        this.fd = SocketAccess.fd(base);
        this.loop = loop;
        this.reader = new DatagramReader(loop.senders);
        loop.poller.socketState(fd, base.family() != AddressFamily.UNIX, false);
    }

    int fd() {
        return fd;
    }

    /** @return bytes each receive buffer holds, header and control space included */
    int bufferSize() {
        return UringBatch.PAYLOAD + payloadSize();
    }

    /** @return the largest datagram, or GRO message, one buffer must hold */
    int payloadSize() {
        return gro ? LinuxConstants.MAX_UDP_PAYLOAD : maxDatagramSize;
    }

    /** @return the number of times a multishot receive was armed again after the kernel ended it */
    long rearms() {
        return rearms;
    }

    /** @return the number of times the kernel ended the receive because every buffer was taken */
    long bufferShortages() {
        return shortages;
    }

    /** @return whether completions are waiting for {@link #read} */
    boolean hasCompletions() {
        return size > 0;
    }

    /**
     * A receive completion for this socket. Loop thread, from the poller.
     *
     * @return whether the multishot receive must be armed again now
     */
    boolean onReceive(int res, int flags) {
        boolean more = (flags & Uring.CQE_F_MORE) != 0;
        if (!more) {
            armed = false;
        }
        if (res >= 0 && (flags & Uring.CQE_F_BUFFER) != 0) {
            enqueue(flags >>> Uring.CQE_BUFFER_SHIFT, res);
        } else if (res == -Errno.ENOBUFS) {
            shortages++;
        } else if (res < 0 && res != -Uring.ECANCELED && res != -Errno.EAGAIN && res != -Errno.EINTR) {
            enqueue(~(-res), 0);
        }
        if (armed || res == -Uring.ECANCELED || buffers == null) {
            return false;
        }
        // After ENOBUFS the buffers come back with the next read; re-arming before would fail again.
        return res != -Errno.ENOBUFS || size < buffers.entries;
    }

    /** Counts a re-arm the poller made. */
    void rearmed() {
        rearms++;
    }

    private void enqueue(int value, int bytes) {
        if (size == queued.length) {
            int[] q = new int[size * 2];
            int[] u = new int[size * 2];
            for (int i = 0; i < size; i++) {
                q[i] = queued[(head + i) % queued.length];
                u[i] = used[(head + i) % used.length];
            }
            queued = q;
            used = u;
            head = 0;
        }
        int tail = (head + size) % queued.length;
        queued[tail] = value;
        used[tail] = bytes;
        size++;
    }

    private void dequeue() {
        head = (head + 1) % queued.length;
        size--;
    }

    @Override
    public int read(ReadSink sink, int maxMessages) {
        if (size == 0 || buffers == null) {
            return 0;
        }
        int first = queued[head];
        if (first < 0) {
            dequeue();
            lastReadError = SocketAccess.readError("recvmsg", ~first);
            return lastReadError == null ? 0 : READ_FAILED;
        }
        UringBatch batch = loop.batch;
        BufferRing ring = buffers;
        batch.reset(ring);
        int limit = Math.max(1, maxMessages);
        while (size > 0 && queued[head] >= 0 && batch.count() < limit && batch.hasRoom()) {
            batch.add(queued[head], used[head]);
            dequeue();
        }
        int delivered;
        reading = true;
        try {
            delivered = reader.deliver(batch, sink);
        } finally {
            reading = false;
            // The handler may have closed the channel: the ring then waited for this read to end.
            if (releaseAfterRead) {
                releaseAfterRead = false;
                loop.poller.freeBuffers(this, ring);
            } else if (buffers == ring) {
                for (int i = 0; i < batch.count(); i++) {
                    ring.recycle(batch.bufferId(i));
                }
                ring.publish();
                if (!armed && pollId >= 0) {
                    loop.poller.armReceive(this);
                    rearms++;
                }
            }
        }
        return delivered;
    }

    /** @return whether a read is delivering now (its buffers must outlive it) */
    boolean reading() {
        return reading;
    }

    /** Frees the ring's memory once the read that is delivering ends. */
    void releaseAfterRead() {
        releaseAfterRead = true;
    }

    /** Drops whatever is queued (the socket left the ring). */
    void clearQueue() {
        Arrays.fill(queued, 0);
        head = 0;
        size = 0;
    }

    @Override
    public ReadError lastReadError() {
        return lastReadError;
    }

    @Override
    public ReadError takeSocketError() {
        return base.takeSocketError();
    }

    @Override
    public long kernelDrops() {
        return base.kernelDrops();
    }

    @Override
    public long truncatedDatagrams() {
        return reader.truncatedDatagrams();
    }

    @Override
    public <T> void setOption(ChannelOption<T> option, T value) throws IOException {
        base.setOption(option, value);
        if (option == ChannelOption.RECEIVE_ECN) {
            reader.receiveEcn((Boolean) value);
        } else if (option == ChannelOption.RECEIVE_PACKET_INFO) {
            reader.receivePacketInfo((Boolean) value);
        } else if (option == ChannelOption.UDP_GRO) {
            gro = (Boolean) value;
            loop.poller.resizeBuffers(this);
        } else if (option == ChannelOption.MAX_DATAGRAM_SIZE) {
            maxDatagramSize = (Integer) value;
            loop.poller.resizeBuffers(this);
        }
    }

    @Override
    public <T> T getOption(ChannelOption<T> option) throws IOException {
        return base.getOption(option);
    }

    @Override
    public boolean supports(ChannelOption<?> option) {
        return base.supports(option);
    }

    @Override
    public AddressFamily family() {
        return base.family();
    }

    @Override
    public void bind(SocketAddress local) throws IOException {
        base.bind(local);
    }

    @Override
    public void connect(SocketAddress remote) throws IOException {
        base.connect(remote);
        loop.poller.socketState(fd, base.family() != AddressFamily.UNIX,
                remote instanceof java.net.InetSocketAddress inet && inet.getAddress() != null
                        && inet.getAddress().isLoopbackAddress());
    }

    @Override
    public void disconnect() throws IOException {
        base.disconnect();
        loop.poller.socketState(fd, base.family() != AddressFamily.UNIX, false);
    }

    @Override
    public SocketAddress localAddress() {
        return base.localAddress();
    }

    @Override
    public SocketAddress remoteAddress() {
        return base.remoteAddress();
    }

    @Override
    public boolean supportsSegmentation() {
        return base.supportsSegmentation();
    }

    @Override
    public boolean supportsPerDatagramMetadata() {
        return base.supportsPerDatagramMetadata();
    }

    @Override
    public Throwable checkSegmentation(int length, int segmentSize, SocketAddress destination) {
        return base.checkSegmentation(length, segmentSize, destination);
    }

    @Override
    public OffloadStats offloadStats() {
        return base.offloadStats();
    }

    @Override
    public void offloadCounters(long[] into) {
        base.offloadCounters(into);
    }

    @Override
    public void joinGroup(InetAddress group, NetworkInterface iface, InetAddress source) throws IOException {
        base.joinGroup(group, iface, source);
    }

    @Override
    public void leaveGroup(InetAddress group, NetworkInterface iface, InetAddress source) throws IOException {
        base.leaveGroup(group, iface, source);
    }

    @Override
    public DatagramWriter writer() {
        return base.writer();
    }

    @Override
    public void close() {
        if (pollId >= 0) {
            loop.poller.deregister(this);
        }
        if (!closed) {
            closed = true;
            loop.poller.socketState(fd, false, false); // before the fd can be reused
        }
        base.close();
    }
}
