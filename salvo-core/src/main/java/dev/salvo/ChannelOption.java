package dev.salvo;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * A typed channel option. Values are checked when set: an invalid value is rejected with an
 * {@link IllegalArgumentException} that names the option and the allowed range. An option the
 * channel's transport cannot honour is rejected with an {@link UnsupportedOperationException}
 * rather than silently ignored.
 *
 * @param <T> the option's value type
 */
public final class ChannelOption<T> {
    /** Kernel receive buffer size in bytes ({@code SO_RCVBUF}); the kernel may double or cap it. */
    public static final ChannelOption<Integer> SO_RCVBUF = positive("SO_RCVBUF");
    /** Kernel send buffer size in bytes ({@code SO_SNDBUF}); the kernel may double or cap it. */
    public static final ChannelOption<Integer> SO_SNDBUF = positive("SO_SNDBUF");
    /** Allow binding an address in use ({@code SO_REUSEADDR}). */
    public static final ChannelOption<Boolean> SO_REUSEADDR = flag("SO_REUSEADDR");
    /** Let several sockets bind the same address and port, the kernel spreading datagrams ({@code SO_REUSEPORT}). */
    public static final ChannelOption<Boolean> SO_REUSEPORT = flag("SO_REUSEPORT");
    /** Allow sending to broadcast addresses ({@code SO_BROADCAST}). */
    public static final ChannelOption<Boolean> SO_BROADCAST = flag("SO_BROADCAST");
    /** An IPv6 socket that refuses IPv4 ({@code IPV6_V6ONLY}); set before bind. */
    public static final ChannelOption<Boolean> IPV6_ONLY = flag("IPV6_ONLY");
    /** Type of service / traffic class byte for every datagram; per-datagram ECN replaces only its two low bits. */
    public static final ChannelOption<Integer> IP_TOS = new ChannelOption<>("IP_TOS", Integer.class,
            v -> v >= 0 && v <= 255, "0 to 255");
    /** Write-buffer water marks; default {@link WaterMark#DEFAULT}. */
    public static final ChannelOption<WaterMark> WRITE_BUFFER_WATER_MARK = new ChannelOption<>(
            "WRITE_BUFFER_WATER_MARK", WaterMark.class, v -> true, "a WaterMark");
    /** How many extra write calls one flush may make before yielding to the event loop; default 16. */
    public static final ChannelOption<Integer> WRITE_SPIN_COUNT = new ChannelOption<>("WRITE_SPIN_COUNT",
            Integer.class, v -> v >= 0, ">= 0");
    /**
     * Messages read per {@code recvmmsg} call; default 64. A call is also given no more than
     * 512 KiB of receive buffers, so that they stay in cache from one call to the next: with the
     * default 2048-byte {@link #MAX_DATAGRAM_SIZE} that allows up to 256, with {@link #UDP_GRO}
     * (64 KiB a message, each up to 64 datagrams) 8 messages a call. io_uring, which receives into a
     * ring of buffers per socket (64, or 8 with {@link #UDP_GRO}: the same 512 KiB), takes it as the
     * most messages handed over per read.
     */
    public static final ChannelOption<Integer> READ_BATCH_SIZE = new ChannelOption<>("READ_BATCH_SIZE",
            Integer.class, v -> v >= 1 && v <= 1024, "1 to 1024");
    /** Datagrams delivered per wake-up before other channels get their turn; default 1024. */
    public static final ChannelOption<Integer> READ_BUDGET = new ChannelOption<>("READ_BUDGET",
            Integer.class, v -> v >= 1, ">= 1");
    /**
     * Read whenever datagrams arrive; {@code false} opens the channel paused (see
     * {@link DatagramChannel#setAutoRead(boolean)}). Default {@code true}.
     */
    public static final ChannelOption<Boolean> AUTO_READ = flag("AUTO_READ");
    /** Size of each receive buffer, the largest datagram that arrives whole; default 2048. */
    public static final ChannelOption<Integer> MAX_DATAGRAM_SIZE = new ChannelOption<>("MAX_DATAGRAM_SIZE",
            Integer.class, v -> v >= 1 && v <= 65_535, "1 to 65535");
    /** Deliver each datagram's ECN codepoint ({@code IP_RECVTOS} / {@code IPV6_RECVTCLASS}). */
    public static final ChannelOption<Boolean> RECEIVE_ECN = flag("RECEIVE_ECN");
    /** Deliver each datagram's destination address ({@code IP_PKTINFO} / {@code IPV6_RECVPKTINFO}). */
    public static final ChannelOption<Boolean> RECEIVE_PACKET_INFO = flag("RECEIVE_PACKET_INFO");
    /** Let the kernel coalesce received datagrams ({@code UDP_GRO}); Salvo splits them again before delivery. */
    public static final ChannelOption<Boolean> UDP_GRO = flag("UDP_GRO");
    /** Coalesce runs of equal-sized datagrams to one destination into GSO sends; default on where supported. */
    public static final ChannelOption<Boolean> GSO_AUTO = flag("GSO_AUTO");
    /**
     * Set the don't-fragment bit and never fragment locally ({@code IP_MTU_DISCOVER} /
     * {@code IPV6_MTU_DISCOVER} = {@code PMTUDISC_DO}): a datagram over the path MTU fails alone
     * with {@link DatagramTooLargeException}. Off restores the kernel's default ({@code PMTUDISC_WANT}).
     */
    public static final ChannelOption<Boolean> DONT_FRAGMENT = flag("DONT_FRAGMENT");

    /** Whether this host receives its own multicast datagrams ({@code IP_MULTICAST_LOOP} / {@code IPV6_MULTICAST_LOOP}). */
    public static final ChannelOption<Boolean> IP_MULTICAST_LOOP = flag("IP_MULTICAST_LOOP");
    /**
     * Time to live of outgoing multicast datagrams ({@code IP_MULTICAST_TTL}), hop limit on IPv6
     * ({@code IPV6_MULTICAST_HOPS}); default 1: the local network only.
     */
    public static final ChannelOption<Integer> IP_MULTICAST_TTL = new ChannelOption<>("IP_MULTICAST_TTL",
            Integer.class, v -> v >= 0 && v <= 255, "0 to 255");
    /** The interface outgoing multicast datagrams leave by ({@code IP_MULTICAST_IF} / {@code IPV6_MULTICAST_IF}). */
    public static final ChannelOption<java.net.NetworkInterface> IP_MULTICAST_IF = new ChannelOption<>(
            "IP_MULTICAST_IF", java.net.NetworkInterface.class, v -> v.getIndex() > 0, "an interface with an index");
    /**
     * Stamp each received datagram with the kernel's receive time ({@code SO_TIMESTAMPNS}), read
     * through {@link InboundDatagram#timestampNanos()}. Epoll transport only: the java.nio
     * transport refuses it with {@link UnsupportedOperationException}.
     */
    public static final ChannelOption<Boolean> RECEIVE_TIMESTAMP = flag("RECEIVE_TIMESTAMP");

    /**
     * Hard bound on the channel's pending bytes ({@link DatagramChannel#pendingBytes()}): a write
     * that would take them past it fails at once with a {@link PendingWritesFullException}
     * instead of being queued, so a producer that ignores {@link DatagramChannel#isWritable()}
     * cannot grow memory without limit. Default {@link Long#MAX_VALUE}: no bound beyond what the
     * engine can count (64 GiB, 16,777,215 datagrams). Writes already pending stay when it is lowered.
     */
    public static final ChannelOption<Long> MAX_PENDING_BYTES = new ChannelOption<>("MAX_PENDING_BYTES",
            Long.class, v -> v >= 1, ">= 1");
    /**
     * The channel's GSO segment size (SwiftNIO's {@code datagramSegmentSize}): every datagram
     * longer than this is sent as segments of this size ({@code UDP_SEGMENT}), unless it carries
     * its own segment size, which wins; a datagram no longer than one segment goes out whole.
     * Default 0: off. The per-datagram limits apply ({@code OutboundDatagram#withSegmentSize}).
     * The java.nio transport and unix-domain sockets refuse a non-zero value with
     * {@link UnsupportedOperationException}.
     */
    public static final ChannelOption<Integer> GSO_SEGMENT_SIZE = new ChannelOption<>("GSO_SEGMENT_SIZE",
            Integer.class, v -> v >= 0 && v <= 65_535, "0 (off) to 65535");

    /** Marks an option that is not raw. */
    private static final int NOT_RAW = -1;

    private final String name;
    private final Class<T> type;
    private final Predicate<T> valid;
    private final String allowed;
    private final int rawLevel;
    private final int rawName;
    private final int rawMaxLength;

    private ChannelOption(String name, Class<T> type, Predicate<T> valid, String allowed) {
        this(name, type, valid, allowed, NOT_RAW, NOT_RAW, NOT_RAW);
    }

    private ChannelOption(String name, Class<T> type, Predicate<T> valid, String allowed,
                          int rawLevel, int rawName, int rawMaxLength) {
        this.name = name;
        this.type = type;
        this.valid = valid;
        this.allowed = allowed;
        this.rawLevel = rawLevel;
        this.rawName = rawName;
        this.rawMaxLength = rawMaxLength;
    }

    /**
     * An {@code int}-valued socket option Salvo does not wrap, set and read with
     * {@code setsockopt}/{@code getsockopt} as they are. A refusal by the kernel is reported as a
     * {@link NativeIOException} with its errno (for example {@code ENOPROTOOPT} for an unknown
     * option, {@code EINVAL} for a bad value); the java.nio transport refuses raw options with
     * {@link UnsupportedOperationException}. Raw options with the same level and name are equal.
     *
     * @param level the protocol level, such as {@code SOL_SOCKET} (1) or {@code IPPROTO_UDP} (17)
     * @param name the option's number at that level, such as {@code SO_RCVBUF} (8)
     * @return the option
     * @throws IllegalArgumentException if {@code level} or {@code name} is negative
     */
    public static ChannelOption<Integer> raw(int level, int name) {
        checkRaw(level, name);
        return new ChannelOption<>("raw(" + level + ", " + name + ")", Integer.class, v -> true, "an int",
                level, name, Integer.BYTES);
    }

    /**
     * A socket option Salvo does not wrap whose value is bytes (a struct, a string): set with
     * {@code setsockopt} from the bytes given, read with {@code getsockopt} into a buffer of
     * {@code maxLength} bytes, returning exactly the bytes the kernel gave. Errors as for
     * {@link #raw(int, int)}.
     *
     * @param level the protocol level, such as {@code SOL_SOCKET} (1)
     * @param name the option's number at that level
     * @param maxLength the most bytes a value may have, set or read (1 to 65536)
     * @return the option; values longer than {@code maxLength} are refused when set
     * @throws IllegalArgumentException if {@code level} or {@code name} is negative, or
     *     {@code maxLength} out of range
     */
    public static ChannelOption<byte[]> rawBytes(int level, int name, int maxLength) {
        checkRaw(level, name);
        if (maxLength < 1 || maxLength > 65_536) {
            throw new IllegalArgumentException("raw option length must be 1 to 65536, got " + maxLength);
        }
        return new ChannelOption<>("rawBytes(" + level + ", " + name + ")", byte[].class,
                v -> v.length <= maxLength, "at most " + maxLength + " bytes", level, name, maxLength);
    }

    private static void checkRaw(int level, int name) {
        if (level < 0 || name < 0) {
            throw new IllegalArgumentException("raw option level and name must be >= 0, got " + level + ", " + name);
        }
    }

    /**
     * Tells whether this is a raw option ({@link #raw(int, int)}, {@link #rawBytes(int, int, int)}).
     *
     * @return whether the option goes to the kernel by level and number as it is
     */
    public boolean isRaw() {
        return rawLevel != NOT_RAW;
    }

    /**
     * Returns a raw option's protocol level.
     *
     * @return the level given to {@code raw}/{@code rawBytes}, or -1 for a named option
     */
    public int rawLevel() {
        return rawLevel;
    }

    /**
     * Returns a raw option's number.
     *
     * @return the name given to {@code raw}/{@code rawBytes}, or -1 for a named option
     */
    public int rawName() {
        return rawName;
    }

    /**
     * Returns the most bytes a raw option's value may have.
     *
     * @return 4 for {@code raw}, the {@code maxLength} of {@code rawBytes}, or -1 for a named option
     */
    public int rawMaxLength() {
        return rawMaxLength;
    }

    private static ChannelOption<Integer> positive(String name) {
        return new ChannelOption<>(name, Integer.class, v -> v > 0, "> 0");
    }

    private static ChannelOption<Boolean> flag(String name) {
        return new ChannelOption<>(name, Boolean.class, v -> true, "true or false");
    }

    /**
     * Returns the option's name.
     *
     * @return the option's name, such as {@code "SO_RCVBUF"}
     */
    public String name() {
        return name;
    }

    /**
     * Returns the type of the option's values.
     *
     * @return the type of the option's values, such as {@code Integer.class}
     */
    public Class<T> type() {
        return type;
    }

    /**
     * Checks a value for this option.
     *
     * @param value the value to check
     * @return the value, when valid
     * @throws IllegalArgumentException when the value is null, of the wrong type or out of range
     */
    public T validate(Object value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (!type.isInstance(value)) {
            throw new IllegalArgumentException(name + " takes a " + type.getSimpleName() + ", got "
                    + value.getClass().getSimpleName());
        }
        T v = type.cast(value);
        if (!valid.test(v)) {
            throw new IllegalArgumentException(name + " must be " + allowed + ", got " + v);
        }
        return v;
    }

    /**
     * Returns the option's name.
     *
     * @return the same as {@link #name()}
     */
    @Override
    public String toString() {
        return name;
    }

    /**
     * Named options are constants: each is equal only to itself. Raw options are equal when their
     * level, number, value type and length agree.
     *
     * @param o the object to compare with
     * @return whether {@code o} is this very option, or the same raw option
     */
    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof ChannelOption<?> r && isRaw() && r.rawLevel == rawLevel
                && r.rawName == rawName && r.rawMaxLength == rawMaxLength && r.type == type;
    }

    /**
     * Returns a hash of the option's name.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Objects.hashCode(name);
    }
}
