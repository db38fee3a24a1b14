package dev.salvo.bench.peer;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.salvo.bench.harness.DatagramCounter;
import dev.salvo.bench.harness.JavaReceiver;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;

/**
 * The ceiling a Java receiver can reach: one platform thread calling blocking {@code recvmmsg}
 * (64 messages, {@code MSG_WAITFORONE}) through bare FFM downcalls, with no event loop, no
 * metadata decoding and no handler; it only counts. Salvo's receive path is this loop plus
 * everything a channel does per datagram, so the two rows side by side show what that costs.
 *
 * <p>Buffers are laid out as the C receiver lays them out (2048-byte slots, a {@code sockaddr_in}
 * per message, no control buffer). A 100 ms {@code SO_RCVTIMEO} lets the thread see
 * {@link #close()} without a signal. IPv4 loopback only, as the harness binds.
 */
public final class FfmReceiver implements JavaReceiver {
    private static final int BATCH = 64;
    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVBUF = 8;
    private static final int SO_RCVTIMEO = 20;
    private static final int MSG_WAITFORONE = 0x10000;
    /** {@code struct mmsghdr} on 64-bit Linux: a 56-byte {@code msghdr}, then {@code msg_len}, padded to 64. */
    private static final long MMSGHDR = 64;
    private static final long MSG_NAME = 0;
    private static final long MSG_NAMELEN = 8;
    private static final long MSG_IOV = 16;
    private static final long MSG_IOVLEN = 24;
    private static final long IOVEC = 16;
    private static final long SOCKADDR_IN = 16;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle SOCKET = downcall("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = downcall("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle BIND = downcall("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKNAME = downcall("getsockname",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle RECVMMSG = downcall("recvmmsg",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private final DatagramCounter counter = new DatagramCounter();
    private final Arena arena = Arena.ofShared();
    private volatile boolean closing;
    private int fd = -1;
    private Thread reader;

    /** Creates a receiver; {@link #open} binds it. */
    public FfmReceiver() {
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new IllegalStateException("libc has no " + name));
        return LINKER.downcallHandle(symbol, descriptor);
    }

    @Override
    public InetSocketAddress open(InetSocketAddress bindAddress, int payloadSize) throws IOException {
        if (!(bindAddress.getAddress() instanceof Inet4Address)) {
            throw new IOException("the bare FFM receiver binds IPv4 only, not " + bindAddress);
        }
        try {
            fd = (int) SOCKET.invokeExact(AF_INET, SOCK_DGRAM, 0);
            if (fd < 0) {
                throw new IOException("socket failed");
            }
            MemorySegment value = arena.allocate(16, 8);
            value.set(JAVA_INT, 0, JdkReceiver.RECEIVE_BUFFER);
            int ignored = (int) SETSOCKOPT.invokeExact(fd, SOL_SOCKET, SO_RCVBUF, value, 4);
            value.set(JAVA_LONG, 0, 0L);
            value.set(JAVA_LONG, 8, 100_000L); // 100 ms: the thread checks for close this often when idle
            ignored = (int) SETSOCKOPT.invokeExact(fd, SOL_SOCKET, SO_RCVTIMEO, value, 16);
            MemorySegment addr = arena.allocate(SOCKADDR_IN, 8);
            addr.set(JAVA_SHORT, 0, (short) AF_INET);
            addr.set(JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), 2, (short) bindAddress.getPort());
            addr.asSlice(4, 4).copyFrom(MemorySegment.ofArray(bindAddress.getAddress().getAddress()));
            if ((int) BIND.invokeExact(fd, addr, (int) SOCKADDR_IN) != 0) {
                throw new IOException("bind to " + bindAddress + " failed");
            }
            MemorySegment len = arena.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, (int) SOCKADDR_IN);
            if ((int) GETSOCKNAME.invokeExact(fd, addr, len) != 0) {
                throw new IOException("getsockname failed");
            }
            int port = Short.toUnsignedInt(addr.get(JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), 2));
            MemorySegment mmsg = messages(Math.max(payloadSize, 2048));
            reader = Thread.ofPlatform().name("ffm-receiver").daemon().start(() -> readLoop(mmsg));
            return new InetSocketAddress(bindAddress.getAddress(), port);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
    }

    /** The message array, each message with its own buffer slot and address slot. */
    private MemorySegment messages(int slot) {
        MemorySegment mmsg = arena.allocate(MMSGHDR * BATCH, 64);
        MemorySegment iov = arena.allocate(IOVEC * BATCH, 16);
        MemorySegment buffers = arena.allocate((long) slot * BATCH, 64);
        MemorySegment names = arena.allocate(SOCKADDR_IN * BATCH, 16);
        for (int i = 0; i < BATCH; i++) {
            iov.set(JAVA_LONG, i * IOVEC, buffers.address() + (long) i * slot);
            iov.set(JAVA_LONG, i * IOVEC + 8, slot);
            long hdr = i * MMSGHDR;
            mmsg.set(JAVA_LONG, hdr + MSG_NAME, names.address() + i * SOCKADDR_IN);
            mmsg.set(JAVA_LONG, hdr + MSG_IOV, iov.address() + i * IOVEC);
            mmsg.set(JAVA_LONG, hdr + MSG_IOVLEN, 1L);
        }
        return mmsg;
    }

    private void readLoop(MemorySegment mmsg) {
        try {
            while (!closing) {
                for (int i = 0; i < BATCH; i++) {
                    mmsg.set(JAVA_INT, i * MMSGHDR + MSG_NAMELEN, (int) SOCKADDR_IN);
                }
                int n = (int) RECVMMSG.invokeExact(fd, mmsg, BATCH, MSG_WAITFORONE, MemorySegment.NULL);
                if (n > 0) {
                    counter.add(n);
                }
            }
        } catch (Throwable t) {
            System.err.println("ffm receiver stopped: " + t);
        }
    }

    @Override
    public long received() {
        return counter.get();
    }

    @Override
    public void close() {
        closing = true;
        try {
            if (reader != null) {
                reader.join(2_000);
            }
            if (fd >= 0) {
                int ignored = (int) CLOSE.invokeExact(fd);
            }
        } catch (Throwable ignored) {
            // The run is over; a late close error changes nothing that was measured.
        }
        if (reader == null || !reader.isAlive()) {
            arena.close();
        }
    }
}
