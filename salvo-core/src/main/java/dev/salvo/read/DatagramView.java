package dev.salvo.read;

import dev.salvo.Ecn;
import dev.salvo.InboundDatagram;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * The reusable {@link InboundDatagram} that {@link DatagramReader} points at each datagram it
 * delivers, so that receiving allocates nothing. Valid until the next {@link #point} call.
 *
 * <p>Pointing it at a datagram stores a few primitives (index, offset, length, stride, flags);
 * everything else is read from the batch
 * only when the handler asks for it: the sender (through the loop's {@link SenderCache}), the
 * ECN codepoint, the packet-info destination and interface, the timestamp, and the payload
 * buffer's position and limit. A handler that counts datagrams or reads only the payload pays for
 * no metadata, however much the socket receives. The payload buffer is placed on the datagram
 * the first time it is asked for and then left alone, so a handler that reads through it sees its
 * own position on the next call.
 */
public final class DatagramView implements InboundDatagram {
    private final SenderCache senders;
    private boolean receiveEcn;
    private boolean receivePacketInfo;

    private ReceivedBatch batch;
    private int message;
    private int offset;
    private int length;
    private int segmentSize;
    private boolean truncated;
    /** Whether {@link #payload()} has placed the message's buffer on this datagram yet. */
    private boolean placed;
    /** Whether {@link #sender} holds this datagram's sender yet. */
    private boolean senderKnown;
    private SocketAddress sender;

    /** @param senders the loop's cache, which senders and packet-info destinations are read through */
    public DatagramView(SenderCache senders) {
        this.senders = senders;
    }

    /** @param on whether the socket asked for ECN: else {@link #ecn()} is {@code null} whatever the batch says */
    void receiveEcn(boolean on) {
        receiveEcn = on;
    }

    /** @param on whether the socket asked for packet info: else no destination nor interface is reported */
    void receivePacketInfo(boolean on) {
        receivePacketInfo = on;
    }

    /** @return whether {@link #ecn()} reports the batch's codepoints */
    boolean receivesEcn() {
        return receiveEcn;
    }

    /** @return whether {@link #destination()} and {@link #interfaceIndex()} report packet info */
    boolean receivesPacketInfo() {
        return receivePacketInfo;
    }

    /**
     * Points the view at one datagram: a whole message, or one segment of a GRO message.
     *
     * @param from the batch holding the message
     * @param i the message's index in the batch
     * @param at where the datagram starts in the message's buffer
     * @param bytes the datagram's length
     * @param stride the GRO segment size the message was split by, or 0
     * @param cut whether the kernel cut the datagram (the message was larger than its buffer)
     * @return this view
     */
    public DatagramView point(ReceivedBatch from, int i, int at, int bytes, int stride, boolean cut) {
        if (batch != from) {
            batch = from; // a reference store (and its GC barrier) only when the batch changes
        }
        message = i;
        offset = at;
        length = bytes;
        segmentSize = stride;
        truncated = cut;
        placed = false;
        senderKnown = false;
        return this;
    }

    /**
     * Moves the view to the next segment of the GRO message it points at: the message's sender,
     * metadata and stride stay, so what the handler asked of the first segment is not read again.
     *
     * @param at where the segment starts in the message's buffer
     * @param bytes its length
     * @param cut whether the kernel cut it (the last segment of a cut message)
     * @return this view
     */
    public DatagramView segment(int at, int bytes, boolean cut) {
        offset = at;
        length = bytes;
        truncated = cut;
        placed = false;
        return this;
    }

    @Override
    public ByteBuffer payload() {
        ByteBuffer buffer = batch.payloadBuffer(message);
        if (!placed) {
            // Limit first: it may be below the buffer's old position, which the limit then pulls down.
            buffer.limit(offset + length).position(offset);
            placed = true;
        }
        return buffer;
    }

    @Override
    public ByteBuffer writablePayload() {
        ByteBuffer writable = batch.writablePayloadBuffer(message);
        if (writable == null) {
            return InboundDatagram.super.writablePayload();
        }
        ByteBuffer read = payload();
        return writable.limit(read.limit()).position(read.position());
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public SocketAddress sender() {
        if (!senderKnown) {
            sender = batch.sender(message, senders);
            senderKnown = true;
        }
        return sender;
    }

    @Override
    public InetAddress destination() {
        return receivePacketInfo && batch.hasDestination(message) ? batch.destination(message, senders) : null;
    }

    @Override
    public int interfaceIndex() {
        return receivePacketInfo && batch.hasDestination(message) ? batch.interfaceIndex(message) : 0;
    }

    @Override
    public Ecn ecn() {
        if (!receiveEcn) {
            return null;
        }
        int bits = batch.ecn(message);
        return bits >= 0 ? Ecn.fromTos(bits) : null;
    }

    @Override
    public long timestampNanos() {
        return batch.timestampNanos(message);
    }

    @Override
    public boolean truncated() {
        return truncated;
    }

    @Override
    public int segmentSize() {
        return segmentSize;
    }

    @Override
    public String toString() {
        return "InboundDatagram[" + length + " bytes from " + sender() + (truncated ? ", truncated" : "") + "]";
    }
}
