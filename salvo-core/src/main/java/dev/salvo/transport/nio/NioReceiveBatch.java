package dev.salvo.transport.nio;

import dev.salvo.read.ReceivedBatch;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * The java.nio side of the read SPI: the one datagram a {@code DatagramChannel.receive} returned.
 * java.nio reports only the sender and the bytes, so there is no ECN, packet info, GRO, drop
 * counter or truncation flag, and the sender is the address object java.nio already made.
 */
final class NioReceiveBatch implements ReceivedBatch {
    private ByteBuffer storage;
    private ByteBuffer view;
    private ByteBuffer writableView;
    private SocketAddress sender;
    private int length;
    private int count;

    /**
     * Holds one received datagram.
     *
     * @param buffer the receive buffer, its position just past the datagram
     * @param from who sent it
     * @return this
     */
    NioReceiveBatch set(ByteBuffer buffer, SocketAddress from) {
        if (buffer != storage) {
            // The loop's buffer changes only when a socket wants a larger one: one view per buffer.
            storage = buffer;
            view = buffer.asReadOnlyBuffer();
            writableView = buffer.duplicate();
        }
        length = buffer.position();
        sender = from;
        count = 1;
        return this;
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public int length(int i) {
        check(i);
        return length;
    }

    /** java.nio cuts an oversized datagram silently: truncation cannot be told. */
    @Override
    public boolean isTruncated(int i) {
        check(i);
        return false;
    }

    @Override
    public int groSegmentSize(int i) {
        check(i);
        return 0;
    }

    @Override
    public int ecn(int i) {
        check(i);
        return -1;
    }

    @Override
    public boolean hasDestination(int i) {
        check(i);
        return false;
    }

    @Override
    public InetAddress destination(int i) {
        check(i);
        return null;
    }

    @Override
    public boolean senderIsInet4(int i) {
        check(i);
        return false;
    }

    @Override
    public int senderInet4(int i) {
        throw new UnsupportedOperationException("java.nio reports senders as objects only");
    }

    @Override
    public int senderPort(int i) {
        throw new UnsupportedOperationException("java.nio reports senders as objects only");
    }

    @Override
    public SocketAddress sender(int i) {
        check(i);
        return sender;
    }

    @Override
    public ByteBuffer payloadBuffer(int i) {
        check(i);
        return view;
    }

    @Override
    public ByteBuffer writablePayloadBuffer(int i) {
        check(i);
        return writableView;
    }

    private void check(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("datagram " + i + " of " + count);
        }
    }
}
