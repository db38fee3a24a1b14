package dev.salvo.transport.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * One event loop's native memory for sending: {@code mmsghdr[1024]}, {@code iovec[1024]}, a
 * {@code sockaddr_storage}-sized address slot and a control slot per message, and an off-heap slab
 * that heap payloads are copied into (an {@code iovec} cannot point into the Java heap).
 *
 * <p>Allocated once from the loop's arena and reused for every batch; shared by every
 * {@link LinuxDatagramWriter} of that loop; used by the loop's thread only (not thread-safe).
 * It also caches the encodings of recently used IPv6 and unix destinations by identity, so that
 * repeated sends to the same address object allocate nothing.
 */
public final class SendScratch {
    /** Messages per batch: the kernel's {@code UIO_MAXIOV}. */
    public static final int MAX_MESSAGES = LinuxConstants.UIO_MAXIOV;
    /** Default size of the heap-payload copy slab. */
    public static final int DEFAULT_SLAB_BYTES = 4 << 20;
    /** Bytes per address slot. */
    static final int NAME_SLOT = Structs.SOCKADDR_STORAGE_SIZE;
    /** Bytes per control slot. */
    static final int CONTROL_SLOT = Cmsg.SEND_SPACE;

    private static final int CACHE_SIZE = 16;

    final MemorySegment callState;
    final MemorySegment mmsg;
    final MemorySegment iov;
    final MemorySegment names;
    final MemorySegment control;
    final MemorySegment slab;
    final ByteBuffer slabBuffer;
    final long iovAddress;
    final long namesAddress;
    final long controlAddress;
    final long slabAddress;
    /** Bytes of the slab used by the batch being built. */
    int slabUsed;
    /**
     * For each message of the batch being built, the index after the last original datagram it
     * carries: a GSO-coalesced message carries several, so message {@code m} holds datagrams
     * {@code [msgEnd[m-1], msgEnd[m])}.
     */
    final int[] msgEnd = new int[MAX_MESSAGES];

    private final SocketAddress[] cacheKeys = new SocketAddress[CACHE_SIZE];
    private final int[] cacheLengths = new int[CACHE_SIZE];
    private final int[] cacheFamilies = new int[CACHE_SIZE];
    private final MemorySegment cache;

    private static final int BUFFER_CACHE_SIZE = 32;
    private final ByteBuffer[] bufferKeys = new ByteBuffer[BUFFER_CACHE_SIZE];
    private final long[] bufferBases = new long[BUFFER_CACHE_SIZE];

    private InetAddress lastSource;
    final MemorySegment sourceBytes;

    /**
     * @param arena the event loop's arena; the scratch lives as long as it does
     */
    public SendScratch(Arena arena) {
        this(arena, DEFAULT_SLAB_BYTES);
    }

    /**
     * @param arena the event loop's arena
     * @param slabBytes size of the heap-payload copy slab (at least 64 KiB)
     */
    public SendScratch(Arena arena, int slabBytes) {
        if (slabBytes < 65_536) {
            throw new IllegalArgumentException("slab of " + slabBytes + " bytes; at least 65536 needed");
        }
        callState = Libc.newCallState(arena);
        mmsg = arena.allocate(Structs.MMSGHDR, MAX_MESSAGES);
        iov = arena.allocate(Structs.IOVEC, MAX_MESSAGES);
        names = arena.allocate((long) NAME_SLOT * MAX_MESSAGES, 16);
        control = arena.allocate((long) CONTROL_SLOT * MAX_MESSAGES, 16);
        slab = arena.allocate(slabBytes, 64);
        slabBuffer = slab.asByteBuffer();
        cache = arena.allocate((long) NAME_SLOT * CACHE_SIZE, 16);
        sourceBytes = arena.allocate(16, 8);
        iovAddress = iov.address();
        namesAddress = names.address();
        controlAddress = control.address();
        slabAddress = slab.address();
    }

    /**
     * Writes the destination into address slot {@code index}.
     *
     * @return the address length, or {@code -errno} when it does not suit the socket family
     */
    int encodeDestination(SocketAddress destination, int socketFamily, int index) {
        long slot = (long) index * NAME_SLOT;
        if (destination instanceof InetSocketAddress inet && inet.getAddress() instanceof Inet4Address v4) {
            // IPv4 encodes from primitives, with no allocation, so it is never cached.
            return SockAddr.encode(inet, socketFamily, names, slot);
        }
        int h = System.identityHashCode(destination) & (CACHE_SIZE - 1);
        long cached = (long) h * NAME_SLOT;
        if (cacheKeys[h] != destination || cacheFamilies[h] != socketFamily) {
            int len = SockAddr.encode(destination, socketFamily, cache, cached);
            if (len < 0) {
                return len;
            }
            cacheKeys[h] = destination;
            cacheFamilies[h] = socketFamily;
            cacheLengths[h] = len;
        }
        int len = cacheLengths[h];
        MemorySegment.copy(cache, cached, names, slot, len);
        return len;
    }

    /**
     * The native address of index 0 of a direct buffer. {@code MemorySegment.ofBuffer} creates a
     * segment object per call, which escape analysis removes only sometimes; a direct buffer's
     * address never changes, so it is cached by identity (which keeps at most 32 buffers reachable
     * while they stay in the cache). The cache trusts the buffer to stay valid: a buffer over a
     * segment whose arena has since been closed would hand the kernel a stale address, which it
     * reports as {@code EFAULT} (or sends stale bytes) rather than crashing the JVM.
     */
    long directBase(ByteBuffer buffer) {
        int h = System.identityHashCode(buffer) & (BUFFER_CACHE_SIZE - 1);
        if (bufferKeys[h] == buffer) {
            return bufferBases[h];
        }
        // A buffer segment starts at the buffer's position; offsets are from index 0.
        long base = MemorySegment.ofBuffer(buffer).address() - buffer.position();
        bufferKeys[h] = buffer;
        bufferBases[h] = base;
        return base;
    }

    /**
     * Puts the 16 bytes of an IPv6 (or IPv4-mapped) source address, or of {@code ::} for
     * {@code null}, into {@link #sourceBytes},
     * remembering the last address object so that a repeated source costs no allocation.
     */
    void loadSource6(InetAddress source) {
        if (source == lastSource) {
            return;
        }
        if (source == null) {
            // The unspecified address (::): a chosen interface without a chosen source.
            sourceBytes.fill((byte) 0);
        } else if (source instanceof Inet6Address v6) {
            MemorySegment.copy(v6.getAddress(), 0, sourceBytes, JAVA_BYTE, 0, 16);
        } else {
            sourceBytes.set(java.lang.foreign.ValueLayout.JAVA_LONG, 0, 0L);
            sourceBytes.set(Structs.U32_BE, 8, 0xFFFF);
            sourceBytes.set(Structs.U32_BE, 12, source4(source));
        }
        lastSource = source;
    }

    /**
     * The IPv4 source address as an int, most significant byte first ({@link SockAddr#ipv4Bits}).
     */
    int source4(InetAddress source) {
        return SockAddr.ipv4Bits(source);
    }
}
