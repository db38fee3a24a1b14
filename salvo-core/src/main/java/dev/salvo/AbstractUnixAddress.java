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

    /** The name's bytes, without the leading NUL; never longer than {@link #MAX_NAME_BYTES}. */
    private final byte[] name;

    private AbstractUnixAddress(byte[] name) {
        if (name.length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("abstract unix name of " + name.length
                    + " bytes is longer than the 107-byte limit of sun_path");
        }
        this.name = name;
    }

    /**
     * Makes the address of an abstract name given as text.
     *
     * @param name the name, without the leading NUL (encoded as UTF-8)
     * @return the address
     * @throws IllegalArgumentException when the name is longer than 107 bytes in UTF-8
     * @throws NullPointerException when {@code name} is {@code null}
     */
    public static AbstractUnixAddress of(String name) {
        return new AbstractUnixAddress(name.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Makes the address of an abstract name given as bytes, which need not be valid UTF-8.
     *
     * @param name the name's bytes, without the leading NUL (copied)
     * @return the address
     * @throws IllegalArgumentException when the name is longer than 107 bytes
     * @throws NullPointerException when {@code name} is {@code null}
     */
    public static AbstractUnixAddress ofBytes(byte[] name) {
        return new AbstractUnixAddress(name.clone());
    }

    /**
     * Returns the name as text.
     *
     * @return the name decoded as UTF-8 (bytes that are not UTF-8 become U+FFFD)
     */
    public String name() {
        return new String(name, StandardCharsets.UTF_8);
    }

    /**
     * Returns the name's bytes.
     *
     * @return a copy of the name's bytes, without the leading NUL
     */
    public byte[] nameBytes() {
        return name.clone();
    }

    /**
     * Returns the name's length.
     *
     * @return the name's length in bytes, 0 to {@link #MAX_NAME_BYTES}
     */
    public int length() {
        return name.length;
    }

    /**
     * Returns one byte of the name, so that encoders need not copy it.
     *
     * @param index 0 ≤ index &lt; {@link #length()}
     * @return the byte at {@code index}
     * @throws ArrayIndexOutOfBoundsException when {@code index} is out of range
     */
    public byte byteAt(int index) {
        return name[index];
    }

    /**
     * Two abstract addresses are equal when their names have the same bytes.
     *
     * @param o the object to compare with
     * @return whether {@code o} is an {@code AbstractUnixAddress} with the same name bytes
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof AbstractUnixAddress other && Arrays.equals(name, other.name);
    }

    /**
     * Returns a hash of the name's bytes, consistent with {@link #equals(Object)}.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Arrays.hashCode(name);
    }

    /**
     * Returns the name as {@code ss} shows it.
     *
     * @return {@code "@"} followed by the name decoded as UTF-8
     */
    @Override
    public String toString() {
        return "@" + name();
    }
}
