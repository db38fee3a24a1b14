package dev.salvo.read;

import dev.salvo.Ecn;
import dev.salvo.InboundDatagram;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * The reusable {@link InboundDatagram} that {@link DatagramReader} points at each datagram it
 * delivers, so that receiving allocates nothing. Valid until the next {@link #set} call.
 */
public final class DatagramView implements InboundDatagram {
    private ByteBuffer payload;
    private ByteBuffer writable;
    private SocketAddress sender;
    private InetAddress destination;
    private Ecn ecn;
    private int segmentSize;
    private boolean truncated;
    private int interfaceIndex;
    private long timestampNanos = NO_TIMESTAMP;

    /**
     * Points the view at the next datagram.
     *
     * @param payload a read-only buffer whose position..limit is the datagram
     * @param sender who sent it
     * @param destination the pktinfo destination, or {@code null}
     * @param ecn the received codepoint, or {@code null}
     * @param segmentSize the GRO segment size it was split from, or 0
     * @return this view
     */
    public DatagramView set(ByteBuffer payload, SocketAddress sender, InetAddress destination, Ecn ecn,
                            int segmentSize) {
        this.payload = payload;
        this.writable = null;
        this.sender = sender;
        this.destination = destination;
        this.ecn = ecn;
        this.segmentSize = segmentSize;
        this.truncated = false;
        this.interfaceIndex = 0;
        this.timestampNanos = NO_TIMESTAMP;
        return this;
    }

    /**
     * Gives the view the writable twin of its payload buffer (same storage); its position and limit
     * are made the payload's only when a handler asks for it, so a handler that does not pays
     * nothing. {@link #set} clears it.
     *
     * @param buffer the writable buffer, or {@code null} when the transport has none
     * @return this view
     */
    public DatagramView writable(ByteBuffer buffer) {
        this.writable = buffer;
        return this;
    }

    /**
     * Marks the datagram the view points at as cut by the kernel (see {@link InboundDatagram#truncated()}).
     *
     * @param cut whether it was larger than its buffer
     * @return this view
     */
    public DatagramView truncated(boolean cut) {
        this.truncated = cut;
        return this;
    }

    /**
     * Sets where and when the datagram arrived (packet info's interface, the kernel's timestamp);
     * {@link #set} clears both.
     *
     * @param ifindex the arrival interface, or 0
     * @param timestamp the kernel's receive timestamp, or {@link #NO_TIMESTAMP}
     * @return this view
     */
    public DatagramView arrival(int ifindex, long timestamp) {
        this.interfaceIndex = ifindex;
        this.timestampNanos = timestamp;
        return this;
    }

    @Override
    public int interfaceIndex() {
        return interfaceIndex;
    }

    @Override
    public long timestampNanos() {
        return timestampNanos;
    }

    @Override
    public boolean truncated() {
        return truncated;
    }

    @Override
    public ByteBuffer payload() {
        return payload;
    }

    @Override
    public ByteBuffer writablePayload() {
        if (writable == null) {
            return InboundDatagram.super.writablePayload();
        }
        // Limit first: it may be below the twin's old position, which the limit then pulls down.
        return writable.limit(payload.limit()).position(payload.position());
    }

    @Override
    public int length() {
        return payload.remaining();
    }

    @Override
    public SocketAddress sender() {
        return sender;
    }

    @Override
    public InetAddress destination() {
        return destination;
    }

    @Override
    public Ecn ecn() {
        return ecn;
    }

    @Override
    public int segmentSize() {
        return segmentSize;
    }

    @Override
    public String toString() {
        return "InboundDatagram[" + length() + " bytes from " + sender + (truncated ? ", truncated" : "") + "]";
    }
}
