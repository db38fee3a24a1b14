package dev.salvo.transport;

import dev.salvo.ChannelOption;
import dev.salvo.write.DatagramWriter;
import dev.salvo.OffloadStats;
import dev.salvo.read.ReadError;
import dev.salvo.read.ReadSink;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;

/**
 * One datagram socket, as the channel layer drives it. Implemented once per transport (Linux FFM,
 * java.nio). Every method is called on the owning event loop's thread.
 */
public interface SocketOps {
    /** @return the socket's address family */
    AddressFamily family();

    /** @param local the address to bind @throws IOException when the kernel refuses */
    void bind(SocketAddress local) throws IOException;

    /** @param remote the peer to connect to @throws IOException when the kernel refuses */
    void connect(SocketAddress remote) throws IOException;

    /** Dissolves the association made by {@link #connect}. @throws IOException when the kernel refuses */
    void disconnect() throws IOException;

    /** @return the bound local address, or {@code null} when not bound */
    SocketAddress localAddress();

    /** @return the connected peer, or {@code null} */
    SocketAddress remoteAddress();

    /**
     * Applies a socket-level option.
     *
     * @param option the option, already validated
     * @param value its value
     * @throws UnsupportedOperationException when this transport cannot honour it
     * @throws IOException when the kernel refuses it
     */
    <T> void setOption(ChannelOption<T> option, T value) throws IOException;

    /**
     * @param option a socket-level option
     * @return its current value as the kernel reports it
     * @throws UnsupportedOperationException when this transport does not have it
     * @throws IOException when the kernel refuses
     */
    <T> T getOption(ChannelOption<T> option) throws IOException;

    /**
     * @param option an option
     * @return whether {@link #setOption} would accept it on this socket
     */
    boolean supports(ChannelOption<?> option);

    /** @return whether a datagram may carry a GSO segment size ({@code UDP_SEGMENT}) on this socket */
    boolean supportsSegmentation();

    /** @return whether a datagram may carry an ECN codepoint and a source address on this socket */
    boolean supportsPerDatagramMetadata();

    /**
     * Checks a datagram with a GSO segment size against this socket's limits before it is queued.
     *
     * @param length its payload length
     * @param segmentSize its segment size, &gt; 0
     * @param destination where it goes, or {@code null} for the connected peer
     * @return {@code null} when it may be sent, else the failure to complete it with (naming the limit)
     */
    Throwable checkSegmentation(int length, int segmentSize, SocketAddress destination);

    /** @return the socket's offload state and counters */
    OffloadStats offloadStats();

    /**
     * Joins a multicast group, any-source ({@code source == null}) or source-specific.
     *
     * @param group the group address
     * @param iface the interface to join on, or {@code null} to let the kernel choose by route
     * @param source the only sender to receive from, or {@code null}
     * @throws IOException when the kernel refuses
     * @throws UnsupportedOperationException when the transport has no multicast
     */
    void joinGroup(InetAddress group, NetworkInterface iface, InetAddress source) throws IOException;

    /**
     * Leaves a group joined with the same arguments.
     *
     * @param group the group address
     * @param iface the interface it was joined on, or {@code null}
     * @param source the source it was joined for, or {@code null}
     * @throws IOException when the kernel refuses (for example, not a member)
     * @throws UnsupportedOperationException when the transport has no multicast
     */
    void leaveGroup(InetAddress group, NetworkInterface iface, InetAddress source) throws IOException;

    /** @return the writer the write engine drives for this socket */
    DatagramWriter writer();

    /** What {@link #read} returns when it failed; {@link #lastReadError()} then says why. */
    int READ_FAILED = -1;

    /**
     * Reads up to {@code maxMessages} datagrams and hands each to {@code sink}. Would-block and an
     * interrupted call are not failures: they read 0.
     *
     * @param sink receives each datagram while its view is valid
     * @param maxMessages the most datagrams to read in this call
     * @return datagrams delivered (&ge; 0; 0 means none were waiting), or {@link #READ_FAILED}
     */
    int read(ReadSink sink, int maxMessages);

    /** @return the error of the last {@link #read} that returned {@link #READ_FAILED} ({@code null} before any) */
    ReadError lastReadError();

    /** @return and clears the socket's pending error ({@code SO_ERROR}), classified; {@code null} when none */
    ReadError takeSocketError();

    /** @return datagrams the kernel dropped for lack of receive buffer space so far, or -1 when unknown */
    long kernelDrops();

    /**
     * Counts truncations; loop thread.
     *
     * @return received messages that were cut because they were larger than their buffer, so far
     */
    default long truncatedDatagrams() {
        return 0;
    }

    /** Index in {@link #offloadCounters}: times GSO was turned off after a refusal. */
    int GSO_FALLBACKS = 0;
    /** Index in {@link #offloadCounters}: times ECN marking was turned off after a refusal. */
    int ECN_FALLBACKS = 1;
    /** Index in {@link #offloadCounters}: coalesced sends refused and sent again uncoalesced. */
    int UNCOALESCED_RETRIES = 2;
    /** Index in {@link #offloadCounters}: sends that carried datagrams coalesced by automatic GSO. */
    int COALESCED_SENDS = 3;
    /** Index in {@link #offloadCounters}: datagrams inside those sends. */
    int COALESCED_DATAGRAMS = 4;
    /** Length of the array {@link #offloadCounters} fills. */
    int OFFLOAD_COUNTERS = 5;

    /**
     * Copies the offload counters of {@link #offloadStats()} into {@code into} without allocating,
     * at the indices {@link #GSO_FALLBACKS}..{@link #COALESCED_DATAGRAMS}; loop thread. A transport
     * without offloads leaves the array as it is (zeros).
     *
     * @param into at least {@link #OFFLOAD_COUNTERS} long
     */
    default void offloadCounters(long[] into) {
    }

    /** Releases the socket. Idempotent. */
    void close();
}
