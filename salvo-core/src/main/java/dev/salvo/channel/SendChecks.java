package dev.salvo.channel;

import dev.salvo.AbstractUnixAddress;
import dev.salvo.UnsupportedAddressException;
import dev.salvo.transport.AddressFamily;
import dev.salvo.transport.SocketOps;
import dev.salvo.write.PendingWrite;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;

/**
 * The checks a datagram passes before it is queued: what the kernel would refuse in a way that
 * closes the channel (a destination of the wrong family) or what the transport cannot do (GSO,
 * ECN, source selection), so that only this datagram fails. Loop-confined.
 */
final class SendChecks {
    private final SocketOps socket;
    private final String transportName;
    /** The last destination that passed; addresses are immutable, so checking it again would only repeat the switch. */
    private SocketAddress lastChecked;

    SendChecks(SocketOps socket, String transportName) {
        this.socket = socket;
        this.transportName = transportName;
    }

    /** @return why this datagram must fail before it is queued, or {@code null} when it may be */
    Throwable refuse(SocketAddress destination, int length, int ecn, int segmentSize, InetAddress source,
                     int interfaceIndex) {
        if (interfaceIndex != 0 && !socket.supportsPerDatagramMetadata()) {
            return unsupported("choosing the outgoing interface");
        }
        if (destination != null && destination != lastChecked) {
            String why = familyMismatch(destination);
            if (why != null) {
                return new UnsupportedAddressException(why, destination);
            }
            lastChecked = destination;
        }
        if (segmentSize > 0) {
            if (!socket.supportsSegmentation()) {
                return unsupported("GSO (segmentSize)");
            }
            Throwable limit = socket.checkSegmentation(length, segmentSize, destination);
            if (limit != null) {
                return limit;
            }
        }
        if (ecn != PendingWrite.NO_ECN && !socket.supportsPerDatagramMetadata()) {
            return unsupported("per-datagram ECN");
        }
        if (source != null && !socket.supportsPerDatagramMetadata()) {
            return unsupported("choosing the source address");
        }
        return null;
    }

    /** @throws IllegalArgumentException when the socket cannot connect to {@code remote} */
    void checkPeer(SocketAddress remote) {
        String why = familyMismatch(remote);
        if (why != null) {
            throw new IllegalArgumentException(why + ": " + remote);
        }
    }

    private UnsupportedOperationException unsupported(String what) {
        return new UnsupportedOperationException(what + " is not supported by the " + transportName + " transport");
    }

    private String familyMismatch(SocketAddress destination) {
        AddressFamily f = socket.family();
        return switch (destination) {
            case InetSocketAddress isa when isa.isUnresolved() -> "unresolved address";
            case InetSocketAddress isa when f == AddressFamily.UNIX -> "IP destination on a unix-domain socket";
            case InetSocketAddress isa when f == AddressFamily.INET && !(isa.getAddress() instanceof Inet4Address) ->
                    "IPv6 destination on an IPv4 socket";
            case InetSocketAddress isa -> null;
            case UnixDomainSocketAddress u when f != AddressFamily.UNIX -> "unix-domain destination on an IP socket";
            case AbstractUnixAddress u when f != AddressFamily.UNIX -> "unix-domain destination on an IP socket";
            case UnixDomainSocketAddress u -> null;
            case AbstractUnixAddress u -> null;
            default -> "unsupported address type " + destination.getClass().getName();
        };
    }
}
