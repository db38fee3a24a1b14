package dev.salvo.transport.nio;

import dev.salvo.ChannelOption;
import dev.salvo.read.DatagramReader;
import dev.salvo.read.ReadError;
import dev.salvo.read.ReadSink;
import dev.salvo.transport.AddressFamily;
import dev.salvo.transport.SocketOps;
import dev.salvo.write.DatagramWriter;
import dev.salvo.write.PendingWrite;
import dev.salvo.write.SendError;
import dev.salvo.write.SendOutcome;
import dev.salvo.write.WriteBatch;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;

/** One java.nio datagram socket, non-blocking. */
final class NioSocket implements SocketOps, DatagramWriter {
    /** Largest UDP payload over IPv4 (65,535 - 8 - 20); the kernel would say EMSGSIZE anyway. */
    private static final int MAX_UDP_PAYLOAD_V4 = 65_507;
    /** Largest UDP payload over IPv6 without jumbograms (65,535 - 8). */
    private static final int MAX_UDP_PAYLOAD_V6 = 65_527;

    private final AddressFamily family;
    private final NioTransport.Loop loop;
    private final DatagramChannel channel;
    private final DatagramReader reader;
    private final NioReceiveBatch received = new NioReceiveBatch();
    private ReadError lastReadError;
    private int maxDatagramSize = 2048;
    SelectionKey key;

    NioSocket(AddressFamily family, NioTransport.Loop loop) throws IOException {
        this.family = family;
        this.loop = loop;
        this.reader = new DatagramReader(loop.senders);
        this.channel = switch (family) {
            case INET -> DatagramChannel.open(StandardProtocolFamily.INET);
            case INET6 -> DatagramChannel.open(StandardProtocolFamily.INET6);
            case UNIX -> throw new UnsupportedOperationException(
                    "unix-domain datagram sockets are not supported by the java.nio transport (use the Linux transport)");
        };
        channel.configureBlocking(false);
    }

    DatagramChannel channel() {
        return channel;
    }

    @Override
    public AddressFamily family() {
        return family;
    }

    @Override
    public void bind(SocketAddress local) throws IOException {
        channel.bind(local);
    }

    @Override
    public void connect(SocketAddress remote) throws IOException {
        // The JDK refuses connect() on a connected channel (AlreadyConnectedException) where the
        // kernel would simply re-associate; dissolve the old association first, as epoll does.
        if (channel.isConnected()) {
            channel.disconnect();
        }
        channel.connect(remote);
    }

    @Override
    public void disconnect() throws IOException {
        channel.disconnect();
    }

    @Override
    public SocketAddress localAddress() {
        try {
            return channel.getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public SocketAddress remoteAddress() {
        try {
            return channel.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public boolean supports(ChannelOption<?> option) {
        return option == ChannelOption.MAX_DATAGRAM_SIZE || standard(option) != null;
    }

    @Override
    public <T> void setOption(ChannelOption<T> option, T value) throws IOException {
        if (option == ChannelOption.MAX_DATAGRAM_SIZE) {
            maxDatagramSize = (Integer) value;
            return;
        }
        if (option == ChannelOption.GSO_AUTO && Boolean.FALSE.equals(value)) {
            return; // nothing to switch off
        }
        channel.setOption(standardOrThrow(option), value);
    }

    @Override
    public <T> T getOption(ChannelOption<T> option) throws IOException {
        if (option == ChannelOption.MAX_DATAGRAM_SIZE) {
            return option.type().cast(maxDatagramSize);
        }
        if (option == ChannelOption.GSO_AUTO) {
            return option.type().cast(Boolean.FALSE);
        }
        return option.type().cast(channel.getOption(standardOrThrow(option)));
    }

    @SuppressWarnings("unchecked")
    private static <T> SocketOption<T> standardOrThrow(ChannelOption<T> option) {
        SocketOption<?> s = standard(option);
        if (s == null) {
            throw new UnsupportedOperationException(option.name() + " is not supported by the java.nio transport");
        }
        return (SocketOption<T>) s;
    }

    private static SocketOption<?> standard(ChannelOption<?> option) {
        if (option == ChannelOption.SO_RCVBUF) {
            return StandardSocketOptions.SO_RCVBUF;
        } else if (option == ChannelOption.SO_SNDBUF) {
            return StandardSocketOptions.SO_SNDBUF;
        } else if (option == ChannelOption.SO_REUSEADDR) {
            return StandardSocketOptions.SO_REUSEADDR;
        } else if (option == ChannelOption.SO_REUSEPORT) {
            return StandardSocketOptions.SO_REUSEPORT;
        } else if (option == ChannelOption.SO_BROADCAST) {
            return StandardSocketOptions.SO_BROADCAST;
        } else if (option == ChannelOption.IP_TOS) {
            return StandardSocketOptions.IP_TOS;
        }
        return null;
    }

    @Override
    public boolean supportsSegmentation() {
        return false;
    }

    @Override
    public boolean supportsPerDatagramMetadata() {
        return false;
    }

    @Override
    public Throwable checkSegmentation(int length, int segmentSize, SocketAddress destination) {
        return new UnsupportedOperationException("GSO (segmentSize) is not supported by the nio transport");
    }

    @Override
    public dev.salvo.OffloadStats offloadStats() {
        return dev.salvo.OffloadStats.NONE;
    }

    @Override
    public void joinGroup(java.net.InetAddress group, java.net.NetworkInterface iface, java.net.InetAddress source) {
        throw new UnsupportedOperationException("multicast groups are not supported by the nio transport");
    }

    @Override
    public void leaveGroup(java.net.InetAddress group, java.net.NetworkInterface iface, java.net.InetAddress source) {
        throw new UnsupportedOperationException("multicast groups are not supported by the nio transport");
    }

    @Override
    public DatagramWriter writer() {
        return this;
    }

    @Override
    public void writeScalar(PendingWrite write, SendOutcome out) {
        if (sendOne(write, out, "sendmsg")) {
            out.sent(1);
        }
    }

    @Override
    public void writeVector(WriteBatch batch, int count, SendOutcome out) {
        for (int i = 0; i < count; i++) {
            if (!sendOne(batch.get(i), out, "sendmmsg")) {
                if (i > 0) {
                    out.sent(i); // the failure is reported again when that datagram is the head
                }
                return;
            }
        }
        out.sent(count);
    }

    /**
     * @param operation the system call the engine asked for, named in a failure as on Linux
     * @return whether the datagram went out; else {@code out} says why not
     */
    private boolean sendOne(PendingWrite write, SendOutcome out, String operation) {
        if (write.length() > (family == AddressFamily.INET ? MAX_UDP_PAYLOAD_V4 : MAX_UDP_PAYLOAD_V6)) {
            out.failed(SendError.TOO_LARGE, NioErrors.EMSGSIZE, operation);
            return false;
        }
        try {
            ByteBuffer bytes = bufferOf(write);
            int n = write.destination() == null ? channel.write(bytes) : channel.send(bytes, write.destination());
            // A non-blocking send that had no room returns 0 without sending; an empty datagram also
            // returns 0 but was sent, which the kernel tells apart and java.nio does not.
            if (n == 0 && write.length() > 0) {
                out.failed(SendError.WOULD_BLOCK, NioErrors.EAGAIN, operation);
                return false;
            }
            return true;
        } catch (IOException e) {
            out.failed(NioErrors.sendError(e), NioErrors.sendErrno(e), operation);
            return false;
        }
    }

    private static ByteBuffer bufferOf(PendingWrite write) {
        ByteBuffer bb = write.buffer();
        if (bb != null) {
            return bb.slice((int) write.offset(), write.length());
        }
        return write.segment().asSlice(write.offset(), write.length()).asByteBuffer();
    }

    @Override
    public int read(ReadSink sink, int maxMessages) {
        int delivered = 0;
        while (delivered < maxMessages) {
            ByteBuffer buf = loop.receiveBuffer(maxDatagramSize);
            SocketAddress sender;
            try {
                // On a connected channel receive() reports an ICMP port-unreachable as
                // PortUnreachableException, which the channel reports and survives.
                sender = channel.receive(buf);
            } catch (IOException e) {
                if (delivered > 0) {
                    return delivered;
                }
                lastReadError = NioReadErrors.of(e);
                return READ_FAILED;
            }
            if (sender == null) {
                break;
            }
            delivered += reader.deliver(received.set(buf, sender), sink);
        }
        return delivered;
    }

    @Override
    public ReadError lastReadError() {
        return lastReadError;
    }

    /** java.nio reports socket errors by throwing from the next call instead. */
    @Override
    public ReadError takeSocketError() {
        return null;
    }

    /** java.nio has no way to ask the kernel for the socket's drop counter. */
    @Override
    public long kernelDrops() {
        return -1;
    }

    @Override
    public long truncatedDatagrams() {
        return reader.truncatedDatagrams();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing twice or after an error: nothing left to release.
        }
    }
}
