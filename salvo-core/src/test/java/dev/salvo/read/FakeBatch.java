package dev.salvo.read;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** A scripted {@link ReceivedBatch}: messages described in Java, no socket, no native memory. */
final class FakeBatch implements ReceivedBatch {
    /** One scripted message. */
    static final class Message {
        final byte[] bytes;
        int gro;
        int ecn = -1;
        InetAddress destination;
        SocketAddress sender = new InetSocketAddress(InetAddress.getLoopbackAddress(), 4433);
        int v4 = -1; // host-order IPv4 address when the sender is given as raw IPv4
        int port;
        boolean truncated;
        final ByteBuffer view;

        Message(byte[] bytes) {
            this.bytes = bytes;
            this.view = ByteBuffer.wrap(bytes).asReadOnlyBuffer();
        }

        Message gro(int segmentSize) {
            gro = segmentSize;
            return this;
        }

        Message ecn(int bits) {
            ecn = bits;
            return this;
        }

        Message destination(InetAddress address) {
            destination = address;
            return this;
        }

        Message v4Sender(int address, int fromPort) {
            v4 = address;
            port = fromPort;
            sender = null;
            return this;
        }

        Message sender(SocketAddress from) {
            sender = from;
            return this;
        }
    }

    final List<Message> messages = new ArrayList<>();
    int objectSenderCalls;
    int v4SenderCalls;
    int ecnCalls;
    int timestampCalls;
    int destinationCalls;

    /** @return a new message of {@code length} bytes numbered 0, 1, 2... (mod 256), appended */
    Message add(int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) i;
        }
        Message m = new Message(b);
        messages.add(m);
        return m;
    }

    @Override
    public int count() {
        return messages.size();
    }

    @Override
    public int length(int i) {
        return messages.get(i).bytes.length;
    }

    @Override
    public boolean isTruncated(int i) {
        return messages.get(i).truncated;
    }

    @Override
    public int groSegmentSize(int i) {
        return messages.get(i).gro;
    }

    @Override
    public int ecn(int i) {
        ecnCalls++;
        return messages.get(i).ecn;
    }

    @Override
    public boolean hasDestination(int i) {
        return messages.get(i).destination != null;
    }

    @Override
    public InetAddress destination(int i) {
        destinationCalls++;
        return messages.get(i).destination;
    }

    @Override
    public boolean senderIsInet4(int i) {
        return messages.get(i).v4 != -1;
    }

    @Override
    public int senderInet4(int i) {
        v4SenderCalls++;
        return messages.get(i).v4;
    }

    @Override
    public int senderPort(int i) {
        return messages.get(i).port;
    }

    @Override
    public SocketAddress sender(int i) {
        objectSenderCalls++;
        return messages.get(i).sender;
    }

    @Override
    public long timestampNanos(int i) {
        timestampCalls++;
        return ReceivedBatch.super.timestampNanos(i);
    }

    @Override
    public ByteBuffer payloadBuffer(int i) {
        return messages.get(i).view;
    }
}
