package dev.salvo.transport;

import dev.salvo.AbstractUnixAddress;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;

/** The address families a datagram socket can have. */
public enum AddressFamily {
    /** IPv4. */
    INET,
    /** IPv6, dual-stack unless {@code IPV6_ONLY} is set. */
    INET6,
    /** Unix-domain datagrams (path or abstract names). */
    UNIX;

    /**
     * @param address an address a socket will bind or connect to
     * @return the family a socket needs for it
     * @throws IllegalArgumentException for an unresolved or unsupported address type
     */
    public static AddressFamily of(SocketAddress address) {
        return switch (address) {
            case InetSocketAddress isa when isa.isUnresolved() ->
                    throw new IllegalArgumentException("unresolved address: " + isa);
            case InetSocketAddress isa -> isa.getAddress() instanceof Inet4Address ? INET : INET6;
            case UnixDomainSocketAddress u -> UNIX;
            case AbstractUnixAddress u -> UNIX;
            case null -> throw new IllegalArgumentException("address must not be null");
            default -> throw new IllegalArgumentException("unsupported address type "
                    + address.getClass().getName() + ": " + address);
        };
    }
}
