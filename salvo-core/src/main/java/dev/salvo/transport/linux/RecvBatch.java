package dev.salvo.transport.linux;

import static dev.salvo.transport.linux.Structs.IOVEC_SIZE;
import static dev.salvo.transport.linux.Structs.IOV_LEN;
import static dev.salvo.transport.linux.Structs.MMSGHDR_SIZE;
import static dev.salvo.transport.linux.Structs.MMSG_LEN;
import static dev.salvo.transport.linux.Structs.MSG_CONTROL;
import static dev.salvo.transport.linux.Structs.MSG_CONTROLLEN;
import static dev.salvo.transport.linux.Structs.MSG_FLAGS;
import static dev.salvo.transport.linux.Structs.MSG_IOV;
import static dev.salvo.transport.linux.Structs.MSG_IOVLEN;
import static dev.salvo.transport.linux.Structs.MSG_NAME;
import static dev.salvo.transport.linux.Structs.MSG_NAMELEN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.nio.ByteOrder.BIG_ENDIAN;

import dev.salvo.read.ReceivedBatch;
import dev.salvo.read.SenderCache;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * One event loop's native memory for receiving with {@code recvmmsg}: N messages, each with a
 * payload buffer, a {@code sockaddr_storage} and control space, allocated once and reused.
 *
 * <p>{@link #receive(int)} fills the batch and decodes every message's metadata into primitive
 * arrays, so reading lengths, ECN, GRO stride, flags and IPv4 sender/destination
 * allocates nothing; {@link #sender(int)} and {@link #destination(int)} build Java objects and do
 * allocate. Payloads are valid until the next {@code receive}. Not thread-safe: one loop owns it.
 *
 * <p>It is the Linux side of the read SPI ({@link ReceivedBatch}): {@code dev.salvo.read} turns
 * its messages into datagrams, with a read-only buffer per message made once here.
 */
public final class RecvBatch implements ReceivedBatch {
    /** Default number of messages per batch. */
    public static final int DEFAULT_MESSAGES = 64;
    /** Most messages per batch ({@code UIO_MAXIOV}). */
    public static final int MAX_MESSAGES = LinuxConstants.UIO_MAXIOV;
    /**
     * The most payload buffer one {@code recvmmsg} call is given, in bytes: small enough that the
     * buffers the kernel copies into stay in a core's L2 cache (1–2 MiB on current servers) from one
     * call to the next. Only large buffers meet it: 8 messages of {@code UDP_GRO}'s 64 KiB, where 64
     * of them (4 MiB) made each copy slower (see {@link #messagesPerCall}).
     */
    public static final int BYTES_PER_CALL = 512 << 10;
    /** Default payload buffer per message: room for any datagram on a standard 1500-byte MTU. */
    public static final int DEFAULT_DATAGRAM_SIZE = 2048;
    /** Largest useful buffer per message (a full GRO super-datagram). */
    public static final int MAX_DATAGRAM_SIZE = LinuxConstants.MAX_UDP_PAYLOAD;

    private static final int NAME_SLOT = Structs.SOCKADDR_STORAGE_SIZE;
    private static final int CONTROL_SLOT = Cmsg.RECV_SPACE;
    /** Addresses as two big-endian words; every address offset read with it is 8-aligned. */
    private static final java.lang.foreign.ValueLayout.OfLong U64_BE = JAVA_LONG.withOrder(BIG_ENDIAN);

    private final int capacity;
    private final int bufferSize;
    /** Bytes from one payload slot to the next: {@link #bufferSize} rounded up to an odd number of cache lines. */
    private final int stride;
    private final MemorySegment callState;
    private final MemorySegment mmsg;
    private final MemorySegment names;
    private final MemorySegment control;
    private final MemorySegment buffers;
    private final ByteBuffer[] views;
    /** Writable twins of {@link #views}, for in-place work by a handler. */
    private final ByteBuffer[] writableViews;

    private final int[] lengths;
    private final int[] flags;
    private final int[] nameLengths;
    private final int[] ecn;
    private final int[] gro;
    private final int[] pktinfoFamily;
    private final int[] destination4;
    private final long[] destination6Hi;
    private final long[] destination6Lo;
    private final int[] interfaceIndex;
    private final long[] timestamps;
    private final ControlData scratch = new ControlData();
    private int count;

    /** A batch of {@link #DEFAULT_MESSAGES} messages of {@link #DEFAULT_DATAGRAM_SIZE} bytes. */
    public RecvBatch(Arena arena) {
        this(arena, DEFAULT_MESSAGES, DEFAULT_DATAGRAM_SIZE);
    }

    /**
     * @param arena the event loop's arena
     * @param messages messages per batch, 1–1024
     * @param datagramSize payload buffer per message, 1–65535 (larger datagrams are truncated and flagged)
     */
    public RecvBatch(Arena arena, int messages, int datagramSize) {
        if (messages < 1 || messages > MAX_MESSAGES) {
            throw new IllegalArgumentException("messages " + messages + " outside 1.." + MAX_MESSAGES);
        }
        if (datagramSize < 1 || datagramSize > MAX_DATAGRAM_SIZE) {
            throw new IllegalArgumentException("datagram size " + datagramSize + " outside 1.." + MAX_DATAGRAM_SIZE);
        }
        capacity = messages;
        bufferSize = datagramSize;
        stride = slotStride(datagramSize);
        callState = Libc.newCallState(arena);
        mmsg = arena.allocate(Structs.MMSGHDR, messages);
        MemorySegment iov = arena.allocate(Structs.IOVEC, messages);
        names = arena.allocate((long) NAME_SLOT * messages, 16);
        control = arena.allocate((long) CONTROL_SLOT * messages, 16);
        buffers = arena.allocate((long) stride * messages, 64);
        lengths = new int[messages];
        flags = new int[messages];
        nameLengths = new int[messages];
        ecn = new int[messages];
        gro = new int[messages];
        pktinfoFamily = new int[messages];
        destination4 = new int[messages];
        destination6Hi = new long[messages];
        destination6Lo = new long[messages];
        interfaceIndex = new int[messages];
        timestamps = new long[messages];
        views = new ByteBuffer[messages];
        writableViews = new ByteBuffer[messages];
        for (int i = 0; i < messages; i++) {
            writableViews[i] = buffers.asSlice((long) i * stride, datagramSize).asByteBuffer();
            views[i] = writableViews[i].asReadOnlyBuffer();
            long iovOff = i * IOVEC_SIZE;
            iov.set(JAVA_LONG, iovOff, buffers.address() + (long) i * stride);
            iov.set(JAVA_LONG, iovOff + IOV_LEN, datagramSize);
            long hdr = i * MMSGHDR_SIZE;
            mmsg.set(JAVA_LONG, hdr + MSG_NAME, names.address() + (long) i * NAME_SLOT);
            mmsg.set(JAVA_LONG, hdr + MSG_IOV, iov.address() + iovOff);
            mmsg.set(JAVA_LONG, hdr + MSG_IOVLEN, 1L);
            mmsg.set(JAVA_LONG, hdr + MSG_CONTROL, control.address() + (long) i * CONTROL_SLOT);
        }
    }

    /**
     * How many messages one call reads: {@code wanted}, but no more than {@link #MAX_MESSAGES} and
     * than fit in {@link #BYTES_PER_CALL} of buffers, and at least one. With the 2048-byte default
     * buffer that is {@code wanted} up to 256; with GRO's 64 KiB buffers, 8. Measured on a 2-core
     * Xeon at 1200-byte datagrams coalesced by GRO: 8 messages a call received 8.0–8.5 M datagrams/s
     * where 64 received 7.4–7.7 M, with the kernel's copy ({@code _copy_to_iter}) taking the
     * difference; at 64-byte datagrams (4 KiB a message) both were the same.
     *
     * @param wanted       messages the reader asks for (its batch size, or what is left of its budget)
     * @param bufferSize   payload buffer per message
     * @return messages to ask {@code recvmmsg} for, 1 to {@code min(wanted, MAX_MESSAGES)}
     */
    public static int messagesPerCall(int wanted, int bufferSize) {
        return Math.max(1, Math.min(Math.min(wanted, MAX_MESSAGES), BYTES_PER_CALL / bufferSize));
    }

    /**
     * Where one payload slot starts after the last: the buffer size rounded up to whole cache
     * lines, so every payload starts on a line, and to an odd number of them. With a power-of-two
     * stride (the 2048-byte default, the 64 KiB of GRO) the first line of every slot falls in the
     * same one or two L1 sets, so a batch of short datagrams evicts its own payload lines; an
     * odd line count spreads the 64 first lines over all the sets. Costs at most 127 bytes a slot.
     */
    static int slotStride(int bufferSize) {
        int lines = (bufferSize + 63) / 64;
        if (lines % 2 == 0) {
            lines++;
        }
        return lines * 64;
    }

    /** Receives without blocking; see {@link #receive(int, int)}. */
    public int receive(int fd) {
        return receive(fd, LinuxConstants.MSG_DONTWAIT);
    }

    /**
     * Receives up to {@link #capacity()} datagrams with one {@code recvmmsg}.
     *
     * @param flags recvmmsg flags ({@code MSG_DONTWAIT} for an event loop, {@code MSG_WAITFORONE}
     *     to block for the first datagram only)
     * @return the number of datagrams received (also {@link #count()}), or {@code -errno}
     *     ({@code -EAGAIN} when none was waiting)
     */
    public int receive(int fd, int flags) {
        return receive(fd, flags, capacity);
    }

    /**
     * Receives up to {@code max} datagrams with one {@code recvmmsg}.
     *
     * @param max the most datagrams to receive, 1 to {@link #capacity()}
     * @return as {@link #receive(int, int)}
     */
    public int receive(int fd, int flags, int max) {
        if (max < 1 || max > capacity) {
            throw new IllegalArgumentException("max " + max + " outside 1.." + capacity);
        }
        for (int i = 0; i < max; i++) {
            long hdr = i * MMSGHDR_SIZE;
            // The kernel overwrites these two on every receive (and msg_flags, which it only writes).
            mmsg.set(JAVA_INT, hdr + MSG_NAMELEN, NAME_SLOT);
            mmsg.set(JAVA_LONG, hdr + MSG_CONTROLLEN, CONTROL_SLOT);
        }
        int n = Libc.recvmmsg(callState, fd, mmsg, max, flags);
        if (n < 0) {
            count = 0;
            return n;
        }
        for (int i = 0; i < n; i++) {
            long hdr = i * MMSGHDR_SIZE;
            lengths[i] = mmsg.get(JAVA_INT, hdr + MMSG_LEN);
            this.flags[i] = mmsg.get(JAVA_INT, hdr + MSG_FLAGS);
            nameLengths[i] = Math.min(mmsg.get(JAVA_INT, hdr + MSG_NAMELEN), NAME_SLOT);
            long controlLen = Math.min(mmsg.get(JAVA_LONG, hdr + MSG_CONTROLLEN), CONTROL_SLOT);
            if (controlLen == 0) {
                // No control message (no option asks for one): what Cmsg.decode would leave, without the walk.
                ecn[i] = -1;
                gro[i] = 0;
                pktinfoFamily[i] = 0;
                interfaceIndex[i] = 0;
                timestamps[i] = 0;
                continue;
            }
            Cmsg.decode(control, (long) i * CONTROL_SLOT, controlLen, scratch);
            ecn[i] = scratch.ecn();
            gro[i] = scratch.groSegmentSize;
            pktinfoFamily[i] = scratch.pktinfoFamily;
            destination4[i] = scratch.pktinfoAddr4;
            interfaceIndex[i] = scratch.pktinfoIfindex;
            timestamps[i] = scratch.timestampNanos;
            if (scratch.pktinfoFamily == LinuxConstants.AF_INET6) {
                destination6Hi[i] = control.get(U64_BE, scratch.pktinfoOffset);
                destination6Lo[i] = control.get(U64_BE, scratch.pktinfoOffset + 8);
            }
        }
        count = n;
        return n;
    }

    /** @return messages per batch */
    public int capacity() {
        return capacity;
    }

    /** @return payload bytes per message */
    public int bufferSize() {
        return bufferSize;
    }

    /** @return how many datagrams the last {@link #receive} returned */
    @Override
    public int count() {
        return count;
    }

    /** @return the payload length of datagram {@code i} (bytes in its buffer) */
    @Override
    public int length(int i) {
        check(i);
        return Math.min(lengths[i], bufferSize);
    }

    /** @return the {@code msg_flags} of datagram {@code i} ({@code MSG_TRUNC}, {@code MSG_CTRUNC}) */
    public int flags(int i) {
        check(i);
        return flags[i];
    }

    /** @return true when datagram {@code i} was larger than its buffer and was cut */
    @Override
    public boolean isTruncated(int i) {
        return (flags(i) & LinuxConstants.MSG_TRUNC) != 0;
    }

    /** @return the sender of datagram {@code i} (decoding allocates), or {@code null} when none was reported */
    @Override
    public SocketAddress sender(int i) {
        check(i);
        return SockAddr.decode(names, (long) i * NAME_SLOT, nameLengths[i]);
    }

    /** @return true when the sender of datagram {@code i} is IPv4 (or IPv4-mapped) */
    @Override
    public boolean senderIsInet4(int i) {
        check(i);
        return nameLengths[i] >= 2 && SockAddr.isInet4(names, (long) i * NAME_SLOT);
    }

    /** @return the IPv4 sender address of datagram {@code i} as an int, most significant byte first */
    @Override
    public int senderInet4(int i) {
        check(i);
        return SockAddr.inet4(names, (long) i * NAME_SLOT);
    }

    /** @return the sender's UDP port of datagram {@code i} */
    @Override
    public int senderPort(int i) {
        check(i);
        return SockAddr.port(names, (long) i * NAME_SLOT);
    }

    /** @return the ECN codepoint of datagram {@code i}, or -1 (TOS/TCLASS reception not enabled) */
    @Override
    public int ecn(int i) {
        check(i);
        return ecn[i];
    }

    /** @return the GRO segment size of datagram {@code i}, or 0 when it was not coalesced */
    @Override
    public int groSegmentSize(int i) {
        check(i);
        return gro[i];
    }

    /** @return true when datagram {@code i} carried packet info */
    @Override
    public boolean hasDestination(int i) {
        check(i);
        return pktinfoFamily[i] != 0;
    }

    /** @return the IPv4 destination from IP_PKTINFO as an int (valid when {@link #hasDestination} and IPv4) */
    public int destinationInet4(int i) {
        check(i);
        return destination4[i];
    }

    /** @return the destination address from packet info (allocates), or {@code null} */
    @Override
    public InetAddress destination(int i) {
        check(i);
        try {
            return switch (pktinfoFamily[i]) {
                case LinuxConstants.AF_INET -> {
                    int a = destination4[i];
                    yield InetAddress.getByAddress(new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a});
                }
                case LinuxConstants.AF_INET6 -> InetAddress.getByAddress(bytes6(destination6Hi[i], destination6Lo[i]));
                default -> null;
            };
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** IPv4 and IPv6 destinations come from the cache: a host has few local addresses. */
    @Override
    public InetAddress destination(int i, SenderCache cache) {
        check(i);
        return switch (pktinfoFamily[i]) {
            case LinuxConstants.AF_INET -> cache.address4(destination4[i]);
            case LinuxConstants.AF_INET6 -> cache.address6(destination6Hi[i], destination6Lo[i]);
            default -> null;
        };
    }

    /** IPv4, IPv4-mapped and IPv6 senders come from the cache; unix-domain ones are decoded. */
    @Override
    public SocketAddress sender(int i, SenderCache cache) {
        check(i);
        long at = (long) i * NAME_SLOT;
        if (nameLengths[i] < 2) {
            return null;
        }
        if (SockAddr.isInet4(names, at)) {
            return cache.v4(SockAddr.inet4(names, at), SockAddr.port(names, at));
        }
        if (SockAddr.family(names, at) == LinuxConstants.AF_INET6 && nameLengths[i] >= Structs.SOCKADDR_IN6_SIZE) {
            long addr = at + Structs.SIN6_ADDR;
            return cache.v6(names.get(U64_BE, addr), names.get(U64_BE, addr + 8), SockAddr.port(names, at),
                    SockAddr.scopeId(names, at));
        }
        return SockAddr.decode(names, at, nameLengths[i]);
    }

    /** @return the interface index packet info reported for datagram {@code i}, or 0 */
    @Override
    public int interfaceIndex(int i) {
        check(i);
        return interfaceIndex[i];
    }

    /** @return the {@code SO_TIMESTAMPNS} receive time of datagram {@code i}, or 0 when none arrived */
    @Override
    public long timestampNanos(int i) {
        check(i);
        return timestamps[i];
    }

    private static byte[] bytes6(long hi, long lo) {
        byte[] b = new byte[16];
        for (int k = 0; k < 8; k++) {
            b[k] = (byte) (hi >>> (56 - 8 * k));
            b[8 + k] = (byte) (lo >>> (56 - 8 * k));
        }
        return b;
    }

    /** @return the payload of datagram {@code i} as a slice, valid until the next receive */
    public MemorySegment payload(int i) {
        return buffers.asSlice(payloadOffset(i), length(i));
    }

    /** @return the read-only buffer over datagram {@code i}'s whole slot, made once per slot (for the read SPI) */
    @Override
    public ByteBuffer payloadBuffer(int i) {
        check(i);
        return views[i];
    }

    @Override
    public ByteBuffer writablePayloadBuffer(int i) {
        check(i);
        return writableViews[i];
    }

    /** @return where datagram {@code i}'s payload starts in {@link #buffers()} (for allocation-free access) */
    public long payloadOffset(int i) {
        check(i);
        return (long) i * stride;
    }

    /** @return the segment holding every message's payload buffer */
    public MemorySegment buffers() {
        return buffers;
    }

    private void check(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("datagram " + i + " of " + count);
        }
    }
}
