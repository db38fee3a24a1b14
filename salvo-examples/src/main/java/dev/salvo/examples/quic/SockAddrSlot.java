package dev.salvo.examples.quic;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;

/**
 * One native {@code struct sockaddr} that quiche reads, re-encoded only when the address changes (a peer
 * sends many packets in a row, so most calls are one {@code equals}).
 */
final class SockAddrSlot {
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final ValueLayout.OfShort PORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final MemorySegment storage;
    private InetSocketAddress current;
    private int length;

    SockAddrSlot(Arena arena) {
        this.storage = arena.allocate(128, 8);
    }

    /** The encoded {@code sockaddr}. */
    MemorySegment segment() {
        return storage;
    }

    /** The encoded length ({@code socklen_t}). */
    int length() {
        return length;
    }

    /** Encodes {@code address} with {@code port}, unless it is already the one encoded. */
    SockAddrSlot set(InetAddress address, int port) {
        InetSocketAddress cur = current;
        if (cur != null && cur.getPort() == port && cur.getAddress().equals(address)) {
            return this;
        }
        return set(new InetSocketAddress(address, port));
    }

    /** Encodes {@code address}, unless it is already the one encoded. */
    SockAddrSlot set(InetSocketAddress address) {
        if (address.equals(current)) {
            return this;
        }
        storage.fill((byte) 0);
        InetAddress ip = address.getAddress();
        storage.set(PORT, 2, (short) address.getPort());
        byte[] raw = ip.getAddress();
        if (ip instanceof Inet4Address) {
            storage.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET);
            MemorySegment.copy(raw, 0, storage, ValueLayout.JAVA_BYTE, 4, 4);
            length = 16;
        } else {
            storage.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET6);
            MemorySegment.copy(raw, 0, storage, ValueLayout.JAVA_BYTE, 8, 16);
            storage.set(ValueLayout.JAVA_INT, 24, ((Inet6Address) ip).getScopeId());
            length = 28;
        }
        current = address;
        return this;
    }
}
