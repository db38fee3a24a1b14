package dev.salvo.write;

import dev.salvo.ChannelClosedException;
import dev.salvo.ConnectionRefusedException;
import dev.salvo.DatagramNotPermittedException;
import dev.salvo.DatagramTooLargeException;
import dev.salvo.HostUnreachableException;
import dev.salvo.NativeIOException;
import java.net.SocketAddress;

/**
 * The one place where a failed send becomes a public exception, and the one list of the failures
 * that fail a single datagram while the channel stays open.
 */
final class SendFailures {
    /** Linux {@code EPERM}: a local policy (firewall) refused the send; the write layer knows no errno table. */
    private static final int EPERM = 1;

    private SendFailures() {
    }

    /**
     * @param connected whether the channel is connected: a refused port is then that peer's
     *     answer; unconnected, the kernel has no business reporting it and the socket is suspect
     * @return whether {@code kind} fails only the datagram concerned
     */
    static boolean failsOnlyTheDatagram(SendError kind, boolean connected) {
        return switch (kind) {
            case TOO_LARGE, OFFLOAD_REFUSED, UNREACHABLE, PROHIBITED -> true;
            case REFUSED -> connected;
            case WOULD_BLOCK, INTERRUPTED, FATAL -> false;
        };
    }

    /**
     * @param kind a kind for which {@link #failsOnlyTheDatagram} holds
     * @param to where the datagram was going
     * @return what the datagram's completion receives
     */
    static Throwable datagramFailure(SendError kind, int errno, SocketAddress to) {
        return switch (kind) {
            case TOO_LARGE -> new DatagramTooLargeException(to, errno);
            case OFFLOAD_REFUSED -> new DatagramTooLargeException(
                    "GSO send refused: too many segments or a segment over the MTU", to, errno);
            case UNREACHABLE -> new HostUnreachableException(to, errno);
            case PROHIBITED -> errno == EPERM ? new DatagramNotPermittedException(to, errno)
                    : new HostUnreachableException("destination prohibited", to, errno);
            case REFUSED -> new ConnectionRefusedException(to, errno);
            case WOULD_BLOCK, INTERRUPTED, FATAL -> throw new IllegalArgumentException(kind + " fails the channel, not a datagram");
        };
    }

    /** @return the cause of a fatal send failure, naming the system call and its errno */
    static NativeIOException fatalCause(String operation, int errno) {
        return new NativeIOException(operation, errno);
    }

    /** @return what every queued write receives when {@code cause} closes the channel */
    static ChannelClosedException channelClosed(NativeIOException cause) {
        return new ChannelClosedException("channel closed: " + cause.getMessage(), cause);
    }
}
