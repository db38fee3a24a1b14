package dev.salvo;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A Linux abstract unix-domain socket name: a name in the kernel's own namespace, not a file, and
 * gone when the last socket bound to it closes.
 *
 * <p>Paths in the file system are {@link java.net.UnixDomainSocketAddress}es; this class covers
 * the names that begin with a NUL byte in C. The name is any sequence of up to 107 bytes; it is
 * shown as {@code "@name"}.
 */
public final class AbstractUnixAddress extends SocketAddress {
    private static final long serialVersionUID = 1L;

    /** The longest name: {@code sun_path} is 108 bytes and the leading NUL takes one. */
    public static final int MAX_NAME_BYTES = 107;

    private final byte[] name;

    private AbstractUnixAddress(byte[] name) {
        if (name.length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("abstract unix name of " + name.length
                    + " bytes is longer than the 107-byte limit of sun_path");
        }
        this.name = name;
    }

    /**
     * @param name the name, without the leading NUL (encoded as UTF-8)
     * @return the address
     * @throws IllegalArgumentException when the name is longer than 107 bytes
     */
    public static AbstractUnixAddress of(String name) {
        return new AbstractUnixAddress(name.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param name the name's bytes, without the leading NUL (copied)
     * @return the address
     * @throws IllegalArgumentException when the name is longer than 107 bytes
     */
    public static AbstractUnixAddress ofBytes(byte[] name) {
        return new AbstractUnixAddress(name.clone());
    }

    /** @return the name decoded as UTF-8 */
    public String name() {
        return new String(name, StandardCharsets.UTF_8);
    }

    /** @return a copy of the name's bytes */
    public byte[] nameBytes() {
        return name.clone();
    }

    /** @return the name's length in bytes */
    public int length() {
        return name.length;
    }

    /**
     * @param index 0 ≤ index &lt; {@link #length()}
     * @return one byte of the name, so that encoders need not copy it
     */
    public byte byteAt(int index) {
        return name[index];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AbstractUnixAddress other && Arrays.equals(name, other.name);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(name);
    }

    @Override
    public String toString() {
        return "@" + name();
    }
}
