package dev.salvo.transport.linux;

import static dev.salvo.transport.linux.LinuxConstants.AF_INET;
import static dev.salvo.transport.linux.LinuxConstants.AF_INET6;
import static dev.salvo.transport.linux.LinuxConstants.AF_UNIX;
import static dev.salvo.transport.linux.Structs.SIN6_ADDR;
import static dev.salvo.transport.linux.Structs.SIN6_FLOWINFO;
import static dev.salvo.transport.linux.Structs.SIN6_SCOPE_ID;
import static dev.salvo.transport.linux.Structs.SIN_ADDR;
import static dev.salvo.transport.linux.Structs.SIN_PORT;
import static dev.salvo.transport.linux.Structs.SUN_PATH;
import static dev.salvo.transport.linux.Structs.U16_BE;
import static dev.salvo.transport.linux.Structs.U32_BE;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.salvo.AbstractUnixAddress;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Encodes Java socket addresses into C {@code sockaddr}s and decodes them back.
 *
 * <p>{@link InetSocketAddress} maps to {@code sockaddr_in} or {@code sockaddr_in6} (with scope
 * id; an IPv4 destination on an {@code AF_INET6} socket becomes an IPv4-mapped IPv6 address),
 * {@link UnixDomainSocketAddress} to a path name and {@link AbstractUnixAddress} to an abstract
 * name. Encoding IPv4 allocates nothing ({@link #ipv4Bits}); IPv6 and unix names allocate, which is why the writer caches
 * their encodings. Java has no IPv6 flow label field, so encoding writes 0 and
 * {@link #flowInfo(MemorySegment, long)} reads it as a primitive.
 */
public final class SockAddr {
    private SockAddr() {
    }

    /** Bytes of {@code sun_path}; a name may use at most one fewer (NUL terminator or abstract marker). */
    public static final int SUN_PATH_SIZE = 108;
    /** Longest path name or abstract name in bytes. */
    public static final int MAX_UNIX_NAME = SUN_PATH_SIZE - 1;

    private static final Charset PATH_CHARSET = pathCharset();

    /**
     * Encodes an address for a socket of the given family.
     *
     * @param address the address (resolved {@link InetSocketAddress}, {@link UnixDomainSocketAddress}
     *     or {@link AbstractUnixAddress})
     * @param socketFamily the socket's family: {@code AF_INET6} turns IPv4 addresses into IPv4-mapped ones
     * @param dst where to write; needs {@link Structs#SOCKADDR_STORAGE_SIZE} bytes from {@code offset}
     * @param offset the offset in {@code dst}
     * @return the address length, or {@code -EAFNOSUPPORT} when the address does not suit the socket
     * @throws IllegalArgumentException for an unresolved address, a unix name over 107 bytes or an
     *     unknown address type
     */
    public static int encode(SocketAddress address, int socketFamily, MemorySegment dst, long offset) {
        return switch (address) {
            case InetSocketAddress inet -> encodeInet(inet, socketFamily, dst, offset);
            case UnixDomainSocketAddress unix -> socketFamily != AF_UNIX ? -Errno.EAFNOSUPPORT
                    : encodePath(unixPathBytes(unix), dst, offset);
            case AbstractUnixAddress abs -> socketFamily != AF_UNIX ? -Errno.EAFNOSUPPORT
                    : encodeAbstract(abs, dst, offset);
            case null -> throw new IllegalArgumentException("address is null");
            default -> throw new IllegalArgumentException("unsupported address type " + address.getClass().getName());
        };
    }

    /**
     * Whether {@link Inet4Address#hashCode()} is the address's 32 bits on this JDK. OpenJDK has
     * always made it so, but the specification does not promise it, so it is checked once here
     * against the address bytes; where it does not hold, {@link #ipv4Bits} reads the bytes.
     */
    private static final boolean HASH_IS_ADDRESS = hashIsAddress();

    private static boolean hashIsAddress() {
        int[] probes = {0, 0x7F000001, 0xC0000201, 0xC63364FF, 0xFFFFFFFF, 0x80000000};
        try {
            for (int bits : probes) {
                byte[] b = {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits};
                if (InetAddress.getByAddress(b).hashCode() != bits) {
                    return false;
                }
            }
            return true;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /**
     * @param ip an IPv4 address
     * @return its 32 bits, most significant byte first. Without allocation where
     *     {@code hashCode()} was checked to be those bits ({@link #HASH_IS_ADDRESS}), so that
     *     encoding IPv4 destinations stays free of garbage for any number of peers.
     */
    static int ipv4Bits(InetAddress ip) {
        if (HASH_IS_ADDRESS) {
            return ip.hashCode();
        }
        byte[] a = ip.getAddress();
        return (a[0] & 0xFF) << 24 | (a[1] & 0xFF) << 16 | (a[2] & 0xFF) << 8 | (a[3] & 0xFF);
    }

    private static int encodeInet(InetSocketAddress inet, int socketFamily, MemorySegment dst, long offset) {
        InetAddress ip = inet.getAddress();
        if (ip == null) {
            throw new IllegalArgumentException("unresolved address " + inet);
        }
        int port = inet.getPort();
        if (ip instanceof Inet4Address) {
            return switch (socketFamily) {
                case AF_INET -> encodeInet4(dst, offset, ipv4Bits(ip), port);
                case AF_INET6 -> encodeInet4Mapped(dst, offset, ipv4Bits(ip), port);
                default -> -Errno.EAFNOSUPPORT;
            };
        }
        if (socketFamily != AF_INET6) {
            return -Errno.EAFNOSUPPORT;
        }
        Inet6Address v6 = (Inet6Address) ip;
        return encodeInet6(dst, offset, v6.getAddress(), port, 0, v6.getScopeId());
    }

    /**
     * @param addr the IPv4 address as an int, most significant byte first (see {@link #ipv4Bits})
     * @return {@link Structs#SOCKADDR_IN_SIZE}
     */
    public static int encodeInet4(MemorySegment dst, long offset, int addr, int port) {
        checkPort(port);
        dst.set(JAVA_SHORT, offset, (short) AF_INET);
        dst.set(U16_BE, offset + SIN_PORT, (short) port);
        dst.set(U32_BE, offset + SIN_ADDR, addr);
        dst.set(JAVA_INT, offset + 8, 0);
        dst.set(JAVA_INT, offset + 12, 0);
        return Structs.SOCKADDR_IN_SIZE;
    }

    /** Encodes an IPv4 address as {@code ::ffff:a.b.c.d} for a dual-stack IPv6 socket. */
    public static int encodeInet4Mapped(MemorySegment dst, long offset, int addr, int port) {
        checkPort(port);
        dst.set(JAVA_SHORT, offset, (short) AF_INET6);
        dst.set(U16_BE, offset + SIN_PORT, (short) port);
        dst.set(JAVA_INT, offset + SIN6_FLOWINFO, 0);
        dst.set(JAVA_INT, offset + SIN6_ADDR, 0);
        dst.set(JAVA_INT, offset + SIN6_ADDR + 4, 0);
        dst.set(U32_BE, offset + SIN6_ADDR + 8, 0xFFFF);
        dst.set(U32_BE, offset + SIN6_ADDR + 12, addr);
        dst.set(JAVA_INT, offset + SIN6_SCOPE_ID, 0);
        return Structs.SOCKADDR_IN6_SIZE;
    }

    /** @return {@link Structs#SOCKADDR_IN6_SIZE} */
    public static int encodeInet6(MemorySegment dst, long offset, byte[] addr16, int port, int flowInfo, int scopeId) {
        checkPort(port);
        if (addr16.length != 16) {
            throw new IllegalArgumentException("IPv6 address of " + addr16.length + " bytes");
        }
        dst.set(JAVA_SHORT, offset, (short) AF_INET6);
        dst.set(U16_BE, offset + SIN_PORT, (short) port);
        dst.set(U32_BE, offset + SIN6_FLOWINFO, flowInfo);
        MemorySegment.copy(addr16, 0, dst, JAVA_BYTE, offset + SIN6_ADDR, 16);
        dst.set(JAVA_INT, offset + SIN6_SCOPE_ID, scopeId);
        return Structs.SOCKADDR_IN6_SIZE;
    }

    /** Encodes a path name; returns {@code offsetof(sun_path) + length + 1}. */
    public static int encodePath(byte[] path, MemorySegment dst, long offset) {
        if (path.length > MAX_UNIX_NAME) {
            throw new IllegalArgumentException("unix socket path of " + path.length
                    + " bytes is longer than the 107-byte limit of sun_path");
        }
        if (path.length == 0) {
            throw new IllegalArgumentException("empty unix socket path");
        }
        dst.set(JAVA_SHORT, offset, (short) AF_UNIX);
        MemorySegment.copy(path, 0, dst, JAVA_BYTE, offset + SUN_PATH, path.length);
        dst.set(JAVA_BYTE, offset + SUN_PATH + path.length, (byte) 0);
        return (int) SUN_PATH + path.length + 1;
    }

    /** Encodes an abstract name: a NUL byte then the name; returns {@code offsetof(sun_path) + 1 + length}. */
    public static int encodeAbstract(AbstractUnixAddress address, MemorySegment dst, long offset) {
        int n = address.length();
        dst.set(JAVA_SHORT, offset, (short) AF_UNIX);
        dst.set(JAVA_BYTE, offset + SUN_PATH, (byte) 0);
        for (int i = 0; i < n; i++) {
            dst.set(JAVA_BYTE, offset + SUN_PATH + 1 + i, address.byteAt(i));
        }
        return (int) SUN_PATH + 1 + n;
    }

    /**
     * @return the bytes of a path name as the kernel will see them
     * @throws IllegalArgumentException when longer than 107 bytes
     */
    public static byte[] unixPathBytes(UnixDomainSocketAddress address) {
        byte[] bytes = address.getPath().toString().getBytes(PATH_CHARSET);
        if (bytes.length > MAX_UNIX_NAME) {
            throw new IllegalArgumentException("unix socket path of " + bytes.length
                    + " bytes is longer than the 107-byte limit of sun_path: " + address.getPath());
        }
        return bytes;
    }

    /**
     * Decodes a {@code sockaddr} the kernel wrote.
     *
     * @param src the memory
     * @param offset where the sockaddr starts
     * @param length the address length the kernel reported
     * @return the address; for {@code AF_UNIX}, an unnamed socket decodes to an empty
     *     {@link UnixDomainSocketAddress}; {@code null} when the length is 0 (no address)
     * @throws IllegalArgumentException for an unknown family or a length that does not fit it
     */
    public static SocketAddress decode(MemorySegment src, long offset, int length) {
        if (length == 0) {
            return null;
        }
        if (length < 2) {
            throw new IllegalArgumentException("sockaddr of " + length + " bytes");
        }
        int family = family(src, offset);
        switch (family) {
            case AF_INET -> {
                requireLength(family, length, Structs.SOCKADDR_IN_SIZE);
                return new InetSocketAddress(inet4Address(src, offset, inet4(src, offset)), port(src, offset));
            }
            case AF_INET6 -> {
                requireLength(family, length, Structs.SOCKADDR_IN6_SIZE);
                byte[] bytes = src.asSlice(offset + SIN6_ADDR, 16).toArray(JAVA_BYTE);
                int scope = scopeId(src, offset);
                InetAddress ip;
                try {
                    // IPv4-mapped addresses come back as Inet4Address, which is what a user expects
                    // from a dual-stack socket.
                    InetAddress plain = InetAddress.getByAddress(bytes);
                    ip = plain instanceof Inet6Address && scope != 0
                            ? Inet6Address.getByAddress(null, bytes, scope) : plain;
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
                return new InetSocketAddress(ip, port(src, offset));
            }
            case AF_UNIX -> {
                int nameLen = length - (int) SUN_PATH;
                if (nameLen <= 0) {
                    return UnixDomainSocketAddress.of("");
                }
                if (src.get(JAVA_BYTE, offset + SUN_PATH) == 0) {
                    byte[] name = src.asSlice(offset + SUN_PATH + 1, nameLen - 1).toArray(JAVA_BYTE);
                    return AbstractUnixAddress.ofBytes(name);
                }
                int n = 0;
                while (n < nameLen && src.get(JAVA_BYTE, offset + SUN_PATH + n) != 0) {
                    n++;
                }
                byte[] path = src.asSlice(offset + SUN_PATH, n).toArray(JAVA_BYTE);
                return UnixDomainSocketAddress.of(new String(path, PATH_CHARSET));
            }
            default -> throw new IllegalArgumentException("unknown address family " + family);
        }
    }

    private static InetAddress inet4Address(MemorySegment src, long offset, int addr) {
        byte[] b = {(byte) (addr >>> 24), (byte) (addr >>> 16), (byte) (addr >>> 8), (byte) addr};
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void requireLength(int family, int length, int need) {
        if (length < need) {
            throw new IllegalArgumentException("sockaddr of family " + family + " has " + length
                    + " bytes, expected " + need);
        }
    }

    /** @return the {@code sa_family} field */
    public static int family(MemorySegment src, long offset) {
        return src.get(JAVA_SHORT, offset) & 0xFFFF;
    }

    /** @return the port of a {@code sockaddr_in} or {@code sockaddr_in6} */
    public static int port(MemorySegment src, long offset) {
        return src.get(U16_BE, offset + SIN_PORT) & 0xFFFF;
    }

    /**
     * @return the IPv4 address of a {@code sockaddr_in} (or of an IPv4-mapped {@code sockaddr_in6})
     *     as an int, most significant byte first
     */
    public static int inet4(MemorySegment src, long offset) {
        return family(src, offset) == AF_INET6
                ? src.get(U32_BE, offset + SIN6_ADDR + 12)
                : src.get(U32_BE, offset + SIN_ADDR);
    }

    /** @return true for a {@code sockaddr_in}, or a {@code sockaddr_in6} holding an IPv4-mapped address */
    public static boolean isInet4(MemorySegment src, long offset) {
        int family = family(src, offset);
        if (family == AF_INET) {
            return true;
        }
        return family == AF_INET6
                && src.get(JAVA_INT, offset + SIN6_ADDR) == 0
                && src.get(JAVA_INT, offset + SIN6_ADDR + 4) == 0
                && src.get(U32_BE, offset + SIN6_ADDR + 8) == 0xFFFF;
    }

    /** @return the flow information of a {@code sockaddr_in6} (host order) */
    public static int flowInfo(MemorySegment src, long offset) {
        return src.get(U32_BE, offset + SIN6_FLOWINFO);
    }

    /** @return the scope id of a {@code sockaddr_in6} */
    public static int scopeId(MemorySegment src, long offset) {
        return src.get(JAVA_INT, offset + SIN6_SCOPE_ID);
    }

    private static void checkPort(int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    private static Charset pathCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }
}
