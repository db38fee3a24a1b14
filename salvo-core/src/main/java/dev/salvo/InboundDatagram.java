package dev.salvo;

import java.net.InetAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * A received datagram, as a view that is valid only during {@link ChannelHandler#onDatagram}.
 *
 * <p>The view and its payload buffer are reused for the next datagram, so receiving allocates
 * nothing; call {@link #copy()} to keep a datagram beyond the callback.
 */
public interface InboundDatagram {
    /**
     * What {@link #timestampNanos()} returns when the datagram carries no kernel timestamp
     * ({@link ChannelOption#RECEIVE_TIMESTAMP} off): 0, the epoch itself, which no receive
     * timestamp can be.
     */
    long NO_TIMESTAMP = 0L;

    /**
     * Returns the datagram's bytes.
     *
     * @return a read-only buffer whose bytes between position and limit are the datagram; valid
     *     during the callback only
     */
    ByteBuffer payload();

    /**
     * Returns the datagram's bytes as a writable buffer, for a handler that works on them in place
     * (a QUIC stack decrypting a packet, a relay rewriting a header): on epoll, io_uring and
     * java.nio it is the receive buffer itself, so nothing is copied and a change is seen through
     * {@link #payload()} too. Valid during the callback only, like {@code payload()}; the buffer
     * object is reused for the next datagram. Its position and limit are the datagram's; the bytes
     * outside them belong to the receive slot (for a GRO message, the neighbouring segments) and
     * must be left alone.
     *
     * <p>The default implementation, for fakes and copies, returns a writable copy.
     *
     * @return a writable buffer whose bytes between position and limit are the datagram
     */
    default ByteBuffer writablePayload() {
        ByteBuffer copy = ByteBuffer.allocate(length());
        copy.put(payload().duplicate()).flip();
        return copy;
    }

    /**
     * Returns the datagram's length.
     *
     * @return the datagram's length in bytes (0 for an empty datagram)
     */
    int length();

    /**
     * Returns the sender's address.
     *
     * @return who sent it: an {@link java.net.InetSocketAddress}, or for unix-domain sockets a
     *     {@link java.net.UnixDomainSocketAddress} or {@link AbstractUnixAddress}
     */
    SocketAddress sender();

    /**
     * Returns the local address the datagram was sent to.
     *
     * @return the local address the datagram was sent to, when {@link ChannelOption#RECEIVE_PACKET_INFO}
     *     is on; else {@code null}
     */
    InetAddress destination();

    /**
     * Returns the datagram's ECN codepoint.
     *
     * @return the ECN codepoint it arrived with, when {@link ChannelOption#RECEIVE_ECN} is on; else {@code null}
     */
    Ecn ecn();

    /**
     * Returns the GRO segment size.
     *
     * @return the GRO segment size when the kernel coalesced this datagram with others of the same
     *     size and Salvo split them again; 0 when it arrived alone
     */
    int segmentSize();

    /**
     * Tells whether the datagram was larger than the receive buffer and arrived cut. Salvo never
     * passes a cut datagram off as whole: the payload then holds its first
     * {@link ChannelOption#MAX_DATAGRAM_SIZE} bytes and this returns {@code true} (the channel
     * also counts it in {@link ChannelStats#truncatedDatagrams()}). Raise
     * {@code MAX_DATAGRAM_SIZE} to receive such datagrams whole. The java.nio transport cannot
     * tell (the JDK discards the rest silently), so there this is always {@code false}.
     *
     * @return whether the kernel cut the datagram to fit the buffer
     */
    default boolean truncated() {
        return false;
    }

    /**
     * Returns the index of the network interface the datagram arrived on, as
     * {@link java.net.NetworkInterface#getIndex()} numbers it: packet info's {@code ipi_ifindex}
     * ({@code IP_PKTINFO}) or {@code ipi6_ifindex} ({@code IPV6_PKTINFO}). Interface indexes start
     * at 1, so 0 means unknown: {@link ChannelOption#RECEIVE_PACKET_INFO} is off, the kernel
     * reported no packet info, or the transport cannot tell (java.nio, unix-domain sockets).
     *
     * @return the arrival interface's index, or 0 when unknown
     */
    default int interfaceIndex() {
        return 0;
    }

    /**
     * Returns when the kernel received the datagram, by the wall clock ({@code CLOCK_REALTIME},
     * {@code SO_TIMESTAMPNS}), in nanoseconds since the epoch: the moment the packet entered the
     * network stack, before any queueing in the socket, which is what RTT and jitter estimates
     * want. Every datagram split from one GRO message carries that message's timestamp.
     *
     * @return the receive timestamp, or {@link #NO_TIMESTAMP} when
     *     {@link ChannelOption#RECEIVE_TIMESTAMP} is off
     */
    default long timestampNanos() {
        return NO_TIMESTAMP;
    }

    /**
     * Copies the datagram, payload and metadata, so that it can be kept after the callback.
     *
     * @return an immutable copy that outlives the callback
     */
    default ReceivedDatagram copy() {
        ByteBuffer src = payload();
        ByteBuffer dst = ByteBuffer.allocate(src.remaining());
        dst.put(src.duplicate()).flip();
        return new ReceivedDatagram(dst.asReadOnlyBuffer(), sender(), destination(), ecn(), segmentSize(), truncated(),
                interfaceIndex(), timestampNanos());
    }
}
