package dev.salvo.transport.linux;

import static dev.salvo.transport.linux.Structs.IOV_LEN;
import static dev.salvo.transport.linux.Structs.MSG_CONTROL;
import static dev.salvo.transport.linux.Structs.MSG_CONTROLLEN;
import static dev.salvo.transport.linux.Structs.MSG_IOV;
import static dev.salvo.transport.linux.Structs.MSG_IOVLEN;
import static dev.salvo.transport.linux.Structs.MSG_NAME;
import static dev.salvo.transport.linux.Structs.MSG_NAMELEN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.salvo.NativeIOException;
import dev.salvo.write.DatagramWriter;
import dev.salvo.write.PendingWrite;
import dev.salvo.write.SendOutcome;
import dev.salvo.write.WriteBatch;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Helpers for tests on real loopback sockets: open/bind, raw sendmsg/recvmsg, batches of writes. */
final class TestSockets {
    private TestSockets() {
    }

    static final InetSocketAddress V4_ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    static final InetSocketAddress V6_ANY_PORT = new InetSocketAddress(loopback6(), 0);

    static InetAddress loopback6() {
        try {
            return InetAddress.getByName("::1");
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Opens a socket of the family and binds it. */
    static int bound(int family, SocketAddress address) throws NativeIOException {
        int fd = Sockets.openDatagram(family);
        try {
            Sockets.bind(fd, address);
        } catch (NativeIOException | RuntimeException e) {
            Sockets.closeQuietly(fd);
            throw e;
        }
        return fd;
    }

    /** A unix path in a fresh temporary directory (short enough for sun_path). */
    static Path tempSocketPath(String name) throws java.io.IOException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "salvo");
        dir.toFile().deleteOnExit();
        Path p = dir.resolve(name);
        p.toFile().deleteOnExit();
        return p;
    }

    /** Sends one datagram with a hand-built msghdr; returns bytes or -errno. */
    static long sendmsg(int fd, SocketAddress to, int family, byte[] payload) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment msg = arena.allocate(Structs.MSGHDR);
            MemorySegment iov = arena.allocate(Structs.IOVEC);
            MemorySegment data = arena.allocate(Math.max(1, payload.length));
            MemorySegment.copy(payload, 0, data, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, payload.length);
            iov.set(JAVA_LONG, 0, data.address());
            iov.set(JAVA_LONG, IOV_LEN, payload.length);
            msg.set(JAVA_LONG, MSG_IOV, iov.address());
            msg.set(JAVA_LONG, MSG_IOVLEN, 1);
            if (to != null) {
                MemorySegment name = arena.allocate(Structs.SOCKADDR_STORAGE);
                int len = SockAddr.encode(to, family, name, 0);
                if (len < 0) {
                    return len;
                }
                msg.set(JAVA_LONG, MSG_NAME, name.address());
                msg.set(JAVA_INT, MSG_NAMELEN, len);
            }
            return Libc.sendmsg(Libc.threadCallState(), fd, msg, 0);
        }
    }

    /** What one raw recvmsg returned. */
    record Received(byte[] payload, SocketAddress sender, int flags, ControlData control) {
    }

    /** Receives one datagram with a hand-built msghdr, waiting up to ~5 s; null on timeout. */
    static Received recvmsg(int fd, int bufferSize) throws InterruptedException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment msg = arena.allocate(Structs.MSGHDR);
            MemorySegment iov = arena.allocate(Structs.IOVEC);
            MemorySegment data = arena.allocate(Math.max(1, bufferSize));
            MemorySegment name = arena.allocate(Structs.SOCKADDR_STORAGE);
            MemorySegment control = arena.allocate(Cmsg.RECV_SPACE, 8);
            iov.set(JAVA_LONG, 0, data.address());
            iov.set(JAVA_LONG, IOV_LEN, bufferSize);
            msg.set(JAVA_LONG, MSG_IOV, iov.address());
            msg.set(JAVA_LONG, MSG_IOVLEN, 1);
            msg.set(JAVA_LONG, MSG_NAME, name.address());
            msg.set(JAVA_LONG, MSG_CONTROL, control.address());
            for (int attempt = 0; attempt < 5000; attempt++) {
                msg.set(JAVA_INT, MSG_NAMELEN, Structs.SOCKADDR_STORAGE_SIZE);
                msg.set(JAVA_LONG, MSG_CONTROLLEN, Cmsg.RECV_SPACE);
                long n = Libc.recvmsg(Libc.threadCallState(), fd, msg, 0);
                if (n == -Errno.EAGAIN) {
                    Thread.sleep(1);
                    continue;
                }
                if (n < 0) {
                    throw new AssertionError("recvmsg failed: " + Errno.name((int) -n));
                }
                ControlData cd = new ControlData();
                Cmsg.decode(control, 0, msg.get(JAVA_LONG, MSG_CONTROLLEN), cd);
                byte[] bytes = data.asSlice(0, Math.min(n, bufferSize)).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                return new Received(bytes, SockAddr.decode(name, 0, msg.get(JAVA_INT, MSG_NAMELEN)),
                        msg.get(JAVA_INT, Structs.MSG_FLAGS), cd);
            }
            return null;
        }
    }

    /** Receives into the batch, waiting up to ~5 s for at least one datagram; returns the count. */
    static int receiveSome(RecvBatch batch, int fd) throws InterruptedException {
        for (int attempt = 0; attempt < 5000; attempt++) {
            int n = batch.receive(fd);
            if (n == -Errno.EAGAIN) {
                Thread.sleep(1);
                continue;
            }
            if (n < 0) {
                throw new AssertionError("recvmmsg failed: " + Errno.name(-n));
            }
            return n;
        }
        return 0;
    }

    /** A fixed list of pending writes as a batch. */
    static final class ListBatch implements WriteBatch {
        final List<PendingWrite> writes = new ArrayList<>();

        PendingWrite add(Object payload, long offset, int length, SocketAddress to) {
            PendingWrite w = fill(PendingWrite.detached(), payload, offset, length, to, PendingWrite.NO_ECN, 0, null);
            writes.add(w);
            return w;
        }

        @Override
        public PendingWrite get(int index) {
            return writes.get(index);
        }

        int size() {
            return writes.size();
        }
    }

    static PendingWrite write(Object payload, int length, SocketAddress to) {
        return fill(PendingWrite.detached(), payload, 0, length, to, PendingWrite.NO_ECN, 0, null);
    }

    /** Fills a slot with the typed setters; {@code payload} is a {@link ByteBuffer} or a {@link MemorySegment}. */
    static PendingWrite fill(PendingWrite w, Object payload, long offset, int length, SocketAddress to, int ecn,
                             int segmentSize, InetAddress source) {
        switch (payload) {
            case ByteBuffer b -> w.buffer(b, (int) offset, length);
            case MemorySegment m -> w.segment(m, offset, length);
            default -> throw new IllegalArgumentException("not a payload: " + payload);
        }
        return w.destination(to).ecn(ecn).segmentSize(segmentSize).source(source);
    }

    /** @return the slot's payload, a {@link ByteBuffer} or a {@link MemorySegment} */
    static Object payloadOf(PendingWrite w) {
        return w.buffer() != null ? w.buffer() : w.segment();
    }

    /**
     * Runs one scalar write and checks that the writer reported exactly one thing.
     *
     * @return 1 when the datagram was sent, else {@code -errno}
     */
    static int scalar(DatagramWriter w, PendingWrite write) {
        SendOutcome out = new SendOutcome();
        w.writeScalar(write, out);
        return code(out, write);
    }

    /** @return the datagrams sent, else {@code -errno} (see {@link #scalar}) */
    static int vector(DatagramWriter w, WriteBatch batch, int count) {
        SendOutcome out = new SendOutcome();
        w.writeVector(batch, count, out);
        return code(out, batch.get(0));
    }

    /** @return the outcome of one scalar write, for tests of its classification */
    static SendOutcome scalarOutcome(DatagramWriter w, PendingWrite write) {
        SendOutcome out = new SendOutcome();
        w.writeScalar(write, out);
        return out;
    }

    private static int code(SendOutcome out, PendingWrite head) {
        if (out.isSent()) {
            return out.sentCount();
        }
        if (out.error() == null) {
            throw new AssertionError("the writer reported nothing");
        }
        if (out.error() != SendErrors.classify(out.errno(), head.segmentSize() > 0)) {
            throw new AssertionError(out + " is not how errno " + out.errno() + " is classified");
        }
        return -out.errno();
    }
}
