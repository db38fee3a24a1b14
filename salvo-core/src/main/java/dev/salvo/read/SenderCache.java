package dev.salvo.read;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Turns a sender's raw address into an {@link InetSocketAddress} without allocating for senders
 * seen recently: a small direct-mapped cache keyed by address and port. Most receivers hear from
 * a few peers over and over, so the cache turns the per-datagram allocation of an address object
 * into a lookup. It keeps the local addresses packet info reports as destinations the same way
 * (a smaller table: a host has few). One per event loop; not thread-safe.
 */
public final class SenderCache {
    private static final int SLOTS = 1024; // power of two

    private final int[] v4Keys = new int[SLOTS];
    private final int[] v4Ports = new int[SLOTS];
    private final InetSocketAddress[] v4Values = new InetSocketAddress[SLOTS];

    private final long[] v6Hi = new long[SLOTS];
    private final long[] v6Lo = new long[SLOTS];
    private final int[] v6PortScope = new int[SLOTS];
    private final int[] v6Scope = new int[SLOTS];
    private final InetSocketAddress[] v6Values = new InetSocketAddress[SLOTS];

    /** Local (destination) addresses are few: a smaller table of bare addresses. */
    private static final int LOCAL_SLOTS = 64; // power of two

    private final int[] local4Keys = new int[LOCAL_SLOTS];
    private final InetAddress[] local4Values = new InetAddress[LOCAL_SLOTS];
    private final long[] local6Hi = new long[LOCAL_SLOTS];
    private final long[] local6Lo = new long[LOCAL_SLOTS];
    private final InetAddress[] local6Values = new InetAddress[LOCAL_SLOTS];

    /**
     * @param address the IPv4 address in host order (a.b.c.d = a&lt;&lt;24 | ...)
     * @param port the port
     * @return the matching socket address, cached
     */
    public InetSocketAddress v4(int address, int port) {
        int slot = mix(address * 31 + port) & (SLOTS - 1);
        InetSocketAddress cached = v4Values[slot];
        if (cached != null && v4Keys[slot] == address && v4Ports[slot] == port) {
            return cached;
        }
        InetSocketAddress fresh = new InetSocketAddress(inet4(address), port);
        v4Keys[slot] = address;
        v4Ports[slot] = port;
        v4Values[slot] = fresh;
        return fresh;
    }

    /**
     * @param hi the first 8 bytes of the IPv6 address, big-endian
     * @param lo the last 8 bytes, big-endian
     * @param port the port
     * @param scopeId the scope id (0 for none)
     * @return the matching socket address, cached
     */
    public InetSocketAddress v6(long hi, long lo, int port, int scopeId) {
        int slot = mix(Long.hashCode(hi) * 31 + Long.hashCode(lo) * 17 + port + scopeId * 7) & (SLOTS - 1);
        InetSocketAddress cached = v6Values[slot];
        if (cached != null && v6Hi[slot] == hi && v6Lo[slot] == lo && v6PortScope[slot] == port
                && v6Scope[slot] == scopeId) {
            return cached;
        }
        InetSocketAddress fresh = new InetSocketAddress(inet6(hi, lo, scopeId), port);
        v6Hi[slot] = hi;
        v6Lo[slot] = lo;
        v6PortScope[slot] = port;
        v6Scope[slot] = scopeId;
        v6Values[slot] = fresh;
        return fresh;
    }

    /**
     * @param address an IPv4 address in host order (a local one: a packet-info destination)
     * @return the matching address object, cached
     */
    public InetAddress address4(int address) {
        int slot = mix(address) & (LOCAL_SLOTS - 1);
        InetAddress cached = local4Values[slot];
        if (cached != null && local4Keys[slot] == address) {
            return cached;
        }
        InetAddress fresh = inet4(address);
        local4Keys[slot] = address;
        local4Values[slot] = fresh;
        return fresh;
    }

    /**
     * @param hi the first 8 bytes of an IPv6 (or IPv4-mapped) address, big-endian
     * @param lo the last 8 bytes, big-endian
     * @return the matching address object, cached; an {@link java.net.Inet4Address} for an
     *     IPv4-mapped address
     */
    public InetAddress address6(long hi, long lo) {
        int slot = mix(Long.hashCode(hi) * 31 + Long.hashCode(lo)) & (LOCAL_SLOTS - 1);
        InetAddress cached = local6Values[slot];
        if (cached != null && local6Hi[slot] == hi && local6Lo[slot] == lo) {
            return cached;
        }
        InetAddress fresh = inet6(hi, lo, 0);
        local6Hi[slot] = hi;
        local6Lo[slot] = lo;
        local6Values[slot] = fresh;
        return fresh;
    }

    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x7feb352d;
        h ^= h >>> 15;
        return h;
    }

    private static InetAddress inet4(int a) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a});
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // four bytes are always a valid address
        }
    }

    private static InetAddress inet6(long hi, long lo, int scopeId) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (hi >>> (56 - 8 * i));
            b[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        try {
            // Without a scope, getByAddress turns a v4-mapped address into an Inet4Address, which is
            // what a dual-stack user expects to see as the sender of an IPv4 datagram.
            return scopeId != 0 ? Inet6Address.getByAddress(null, b, scopeId) : InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // sixteen bytes are always a valid address
        }
    }
}
