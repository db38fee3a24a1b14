// Over 450 lines on purpose: this is the whole public contract of a channel and its Builder,
// nearly all of it Javadoc; the implementation lives in dev.salvo.channel.
package dev.salvo;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A UDP (or unix-domain datagram) socket driven by an event loop.
 *
 * <p>Writes are queued and sent on {@link #flush()}: a flush sends everything queued so far, in as
 * few system calls as possible ({@code sendmmsg} batches of up to 1024 datagrams on Linux). Each
 * write completes exactly once, in queue order. A datagram the kernel refuses ({@code EMSGSIZE},
 * unreachable host...) fails alone and the channel stays open; any other kernel error closes the
 * channel and fails what was queued.
 *
 * <p>Threading: every method may be called from any thread. Calls made on the channel's event
 * loop (for example from a {@link ChannelHandler}) run at once; calls from other threads are
 * handed to the loop and keep their order per calling thread. Writes made on the loop thread
 * without a completion allocate nothing. The configuration calls that return a value or throw
 * the kernel's answer ({@link #connect}, {@link #disconnect}, {@link #setOption},
 * {@link #getOption}, {@link #joinGroup}, {@link #leaveGroup}, {@link #offloadStats}) wait for
 * the loop when called from a thread that is no event loop; called from <em>another</em> event
 * loop's thread they would make one loop wait for another, which can deadlock, so they fail at
 * once with an {@link IllegalStateException} saying so (run them on the channel's own loop with
 * {@code channel.eventLoop().execute(...)} instead). Writes, {@link #flush()} and
 * {@link #close()} never wait and may be called from any thread.
 *
 * <p>This is an interface so that code using channels can be tested with a fake; Salvo's own
 * implementation is made by {@link #builder(EventLoopGroup)}.
 *
 * <pre>{@code
 * DatagramChannel ch = DatagramChannel.builder(group)
 *         .handler((channel, d) -> System.out.println(d.length() + " bytes from " + d.sender()))
 *         .bind(new InetSocketAddress("127.0.0.1", 0));
 * ch.writeAndFlush(OutboundDatagram.of(ByteBuffer.wrap(bytes), peer)).join();
 * }</pre>
 */
public interface DatagramChannel {

    /**
     * Starts building a channel; nothing is opened until the builder's {@code bind}, {@code connect}
     * or {@code open}.
     *
     * @param group the group whose next event loop will run the channel
     * @return a builder for a channel
     * @throws NullPointerException when {@code group} is null
     */
    static Builder builder(EventLoopGroup group) {
        return new Builder(group);
    }

    // ---- addresses and state ----

    /**
     * Returns the address the socket is bound to.
     *
     * @return the bound local address, or {@code null} while the socket is not bound (called from
     *     another event loop's thread, the last address this channel learned)
     */
    SocketAddress localAddress();

    /**
     * Returns the peer the socket is connected to.
     *
     * @return the connected peer, or {@code null} when not connected
     */
    SocketAddress remoteAddress();

    /**
     * Tells whether the channel is open: false from the moment it starts closing.
     *
     * @return whether the channel is open
     */
    boolean isOpen();

    /**
     * Tells whether the channel is connected; the same as {@code remoteAddress() != null}.
     *
     * @return whether the channel is connected to a peer
     */
    default boolean isConnected() {
        return remoteAddress() != null;
    }

    /**
     * Tells whether writing more is welcome: the back-pressure signal of
     * {@link ChannelOption#WRITE_BUFFER_WATER_MARK}; {@link ChannelHandler#onWritabilityChanged} is
     * called when it changes.
     *
     * @return whether pending bytes are below the high water mark (after having fallen below the
     *     low one); readable from any thread
     */
    boolean isWritable();

    /**
     * Counts the payload bytes of the writes not completed yet: queued (flushed or not) or made on
     * another thread and still on their way to the loop. A write counts from the moment the
     * {@code write} call is made, on whichever thread, until its completion is decided, so this,
     * {@link #pendingDatagrams()} and {@link #isWritable()} are exact for a producer thread: the
     * water marks and {@link ChannelOption#MAX_PENDING_BYTES} judge every write when it is made.
     *
     * @return the pending bytes; readable from any thread without waiting
     */
    long pendingBytes();

    /**
     * Counts the writes not completed yet, like {@link #pendingBytes()}.
     *
     * @return the pending datagrams; readable from any thread without waiting
     */
    int pendingDatagrams();

    /**
     * Names the transport running this channel.
     *
     * @return the name of the transport running this channel, {@code "epoll"} or {@code "nio"}
     */
    String transportName();

    /**
     * Returns the kernel's drop count for this socket.
     *
     * @return datagrams the kernel dropped for this socket (its receive buffer was full), from the
     *     socket's own counter ({@code SO_MEMINFO}) at the moment of the call, so it is right even
     *     after a burst that left no datagram behind it; -1 where the transport cannot tell
     *     (java.nio, unix-domain sockets, kernels without {@code SO_MEMINFO}, before 4.6)
     */
    long kernelDrops();

    /**
     * Returns how many datagrams were delivered.
     *
     * @return datagrams delivered to the handler so far
     */
    long datagramsRead();

    /**
     * Returns how many fire-and-forget writes failed.
     *
     * @return writes without completion that failed so far (each was also reported to
     *     {@link ChannelHandler#onError}, unless it failed because the channel closed)
     */
    long failedUntrackedWrites();

    /**
     * Takes a snapshot of the channel's traffic counters: datagrams and bytes in and out, kernel
     * drops, truncations, write failures by kind and automatic GSO coalescing. Readable from any
     * thread, event loops included; it never waits for the channel's loop (the counters are
     * published by the loop per batch, see {@link ChannelStats}), and works on a closed channel too.
     *
     * <p>The default implementation, for fakes, reports {@link #datagramsRead()},
     * {@link #kernelDrops()} and {@link #failedUntrackedWrites()} (as other failures) and 0 for the rest.
     *
     * @return the counters as last published by the channel's event loop
     */
    default ChannelStats stats() {
        return new ChannelStats(datagramsRead(), 0, kernelDrops(), 0, 0, 0, 0, 0, 0, 0, 0, failedUntrackedWrites(), 0, 0);
    }

    /**
     * Returns the channel's event loop, for running code on the channel's thread.
     *
     * @return the event loop that runs this channel; tasks and timers given to it run on the
     *     channel's thread (after the group has shut down, {@code execute} throws
     *     {@link java.util.concurrent.RejectedExecutionException})
     */
    EventLoop eventLoop();

    /**
     * Tells whether the calling thread is this channel's event loop.
     *
     * @return whether the caller is this channel's event-loop thread
     */
    boolean inEventLoop();

    /**
     * Returns the channel's offload state and fallback counters, read on the loop.
     *
     * @return the channel's UDP offload state (GSO, automatic GSO, ECN) and how often the kernel
     *     refused an offload and Salvo fell back; see {@link OffloadStats}
     * @throws IllegalStateException when the channel is closed, or when called from another
     *     event loop's thread
     */
    OffloadStats offloadStats();

    // ---- multicast ----

    /**
     * Joins a multicast group on an interface: datagrams sent to the group (and to this socket's
     * port) are received. The socket is usually bound to the wildcard address and the group's port.
     *
     * @param group an IPv4 or IPv6 multicast address (IPv4 groups also on dual-stack IPv6 sockets)
     * @param iface the interface to join on, or {@code null} to let the kernel choose by route
     * @throws IOException when the kernel refuses (no such interface, already a member...), or
     *     {@link ChannelClosedException} when the channel is closed
     * @throws IllegalArgumentException when {@code group} is not a multicast address or does not suit the socket
     * @throws UnsupportedOperationException on a transport or socket without multicast
     * @throws IllegalStateException when called from another event loop's thread
     * @throws NullPointerException when {@code group} is null
     */
    void joinGroup(InetAddress group, NetworkInterface iface) throws IOException;

    /**
     * Joins a group for one source only (source-specific multicast).
     *
     * @param group the multicast address
     * @param iface the interface, or {@code null}
     * @param source the only sender whose datagrams to the group are received
     * @throws IOException when the kernel refuses, or {@link ChannelClosedException} when the
     *     channel is closed
     * @throws IllegalArgumentException when {@code group} is not a multicast address or does not suit the socket
     * @throws UnsupportedOperationException on a transport or socket without multicast
     * @throws IllegalStateException when called from another event loop's thread
     * @throws NullPointerException when {@code group} or {@code source} is null
     */
    void joinGroup(InetAddress group, NetworkInterface iface, InetAddress source) throws IOException;

    /**
     * Leaves a group joined with {@link #joinGroup(InetAddress, NetworkInterface)}.
     *
     * @param group the multicast address
     * @param iface the interface it was joined on, or {@code null}
     * @throws IOException when the kernel refuses (not a member), or {@link ChannelClosedException}
     *     when the channel is closed
     * @throws IllegalArgumentException when {@code group} is not a multicast address or does not suit the socket
     * @throws UnsupportedOperationException on a transport or socket without multicast
     * @throws IllegalStateException when called from another event loop's thread
     * @throws NullPointerException when {@code group} is null
     */
    void leaveGroup(InetAddress group, NetworkInterface iface) throws IOException;

    /**
     * Leaves a source-specific membership.
     *
     * @param group the multicast address
     * @param iface the interface it was joined on, or {@code null}
     * @param source the source it was joined for
     * @throws IOException when the kernel refuses, or {@link ChannelClosedException} when the
     *     channel is closed
     * @throws IllegalArgumentException when {@code group} is not a multicast address or does not suit the socket
     * @throws UnsupportedOperationException on a transport or socket without multicast
     * @throws IllegalStateException when called from another event loop's thread
     * @throws NullPointerException when {@code group} or {@code source} is null
     */
    void leaveGroup(InetAddress group, NetworkInterface iface, InetAddress source) throws IOException;

    // ---- connect, options ----

    /**
     * Connects the socket to one peer: only its datagrams are received, and writes may omit the
     * destination. Writes still queued when connecting fail (they were addressed for an
     * unconnected socket).
     *
     * @param remote the peer
     * @throws IOException when the kernel refuses, or {@link ChannelClosedException} when the
     *     channel is closed
     * @throws IllegalStateException when called from another event loop's thread
     * @throws NullPointerException when {@code remote} is null
     */
    void connect(SocketAddress remote) throws IOException;

    /**
     * Dissolves the connection made by {@link #connect}.
     *
     * @throws IOException when the kernel refuses, or {@link ChannelClosedException} when the
     *     channel is closed
     * @throws IllegalStateException when called from another event loop's thread
     */
    void disconnect() throws IOException;

    /**
     * Sets an option.
     *
     * @param option the option
     * @param value its value
     * @param <T> the value type
     * @throws IllegalArgumentException for an invalid value (null, wrong type, out of range)
     * @throws UnsupportedOperationException when this channel's transport cannot honour the option
     * @throws IOException when the kernel refuses it, or {@link ChannelClosedException} when the
     *     channel is closed
     * @throws IllegalStateException when called from another event loop's thread
     * @throws NullPointerException when {@code option} is null
     */
    <T> void setOption(ChannelOption<T> option, T value) throws IOException;

    /**
     * Reads an option's current value (from the kernel for socket options).
     *
     * @param option the option
     * @param <T> the value type
     * @return its current value
     * @throws UnsupportedOperationException when this channel's transport does not have it
     * @throws IOException when the kernel refuses, or {@link ChannelClosedException} when the
     *     channel is closed
     * @throws IllegalStateException when called from another event loop's thread
     * @throws NullPointerException when {@code option} is null
     */
    <T> T getOption(ChannelOption<T> option) throws IOException;

    // ---- read pause ----

    /**
     * Pauses or resumes reading. While paused the channel stops asking its poller for
     * readability: datagrams queue in the kernel's receive buffer, and once it is full the kernel
     * drops and counts them ({@link #kernelDrops()}). Resuming delivers everything queued. The
     * same as setting {@link ChannelOption#AUTO_READ}. Any thread, never waits: the change is
     * handed to the loop in call order, and the loop stops delivering as soon as it sees it.
     *
     * @param autoRead {@code true} (the default) to read whenever datagrams arrive, {@code false} to pause
     */
    void setAutoRead(boolean autoRead);

    /**
     * Tells whether the channel reads whenever datagrams arrive.
     *
     * @return {@code false} while paused by {@link #setAutoRead(boolean)} or {@link ChannelOption#AUTO_READ}
     */
    boolean isAutoRead();

    /**
     * While paused, reads one batch: up to {@link ChannelOption#READ_BATCH_SIZE} datagrams (at
     * most {@link ChannelOption#READ_BUDGET}), delivered at once when the kernel has some, else
     * as soon as they arrive; then the channel is paused again. Several calls before the batch
     * came ask for one batch. Does nothing while reading automatically. Any thread, never waits.
     */
    void read();

    // ---- writes ----

    /**
     * Queues a datagram without completion: no allocation on the loop thread. A failure is
     * counted and reported to {@link ChannelHandler#onError}.
     *
     * @param payload the bytes from position to limit (the buffer is not moved; keep its bytes
     *     unchanged until flushed)
     * @param destination where to send, or {@code null} on a connected channel
     * @throws NullPointerException when {@code payload} is null (every other failure, a closed
     *     channel included, fails the datagram, not the call)
     */
    void write(ByteBuffer payload, SocketAddress destination);

    /**
     * Queues a datagram with a completion, called once on the loop thread.
     *
     * @param payload the bytes from position to limit
     * @param destination where to send, or {@code null} on a connected channel
     * @param completion called with {@code null} when sent, else with the failure (a
     *     {@link DatagramWriteException} subclass for this datagram alone, or
     *     {@link ChannelClosedException})
     * @throws NullPointerException when {@code payload} or {@code completion} is null
     */
    void write(ByteBuffer payload, SocketAddress destination, WriteCompletion completion);

    /**
     * Queues the bytes of a memory segment; a native segment is sent without a copy and must stay
     * alive (its arena open) until the write completes.
     *
     * @param payload the whole segment is one datagram
     * @param destination where to send, or {@code null} on a connected channel
     * @param completion called once with the result, or {@code null}
     * @throws NullPointerException when {@code payload} is null
     * @throws IllegalArgumentException when the segment is larger than 2 GiB
     */
    void write(MemorySegment payload, SocketAddress destination, WriteCompletion completion);

    /**
     * Queues a datagram and its metadata (failure reported to {@link ChannelHandler#onError}).
     *
     * @param datagram the datagram and its metadata to queue
     * @throws NullPointerException when {@code datagram} is null
     */
    default void write(OutboundDatagram datagram) {
        write(datagram, null);
    }

    /**
     * Queues a datagram and its metadata.
     *
     * @param datagram the datagram and its metadata to queue
     * @param completion called once with the result, or {@code null} (a failure is then
     *     reported to {@link ChannelHandler#onError})
     * @throws NullPointerException when {@code datagram} is null
     */
    void write(OutboundDatagram datagram, WriteCompletion completion);

    /**
     * Queues a datagram held in a memory segment, with its metadata (ECN, GSO segment size,
     * source address), like {@link #write(OutboundDatagram, WriteCompletion)}.
     *
     * @param datagram the datagram and its metadata to queue
     * @param completion called once with the result, or {@code null} (a failure is then
     *     reported to {@link ChannelHandler#onError})
     * @throws NullPointerException when {@code datagram} is null
     */
    void write(OutboundSegment datagram, WriteCompletion completion);

    /**
     * Queues a datagram and flushes.
     *
     * @param datagram the datagram
     * @return completes when the datagram was handed to the kernel, or fails with why it was not
     *     (a {@link DatagramWriteException} subclass, or {@link ChannelClosedException})
     * @throws NullPointerException when {@code datagram} is null
     */
    CompletableFuture<Void> writeAndFlush(OutboundDatagram datagram);

    /**
     * Queues a datagram without completion and flushes.
     *
     * @param payload the bytes from position to limit
     * @param destination where to send, or {@code null} on a connected channel
     * @throws NullPointerException when {@code payload} is null
     */
    default void writeAndFlush(ByteBuffer payload, SocketAddress destination) {
        write(payload, destination);
        flush();
    }

    /**
     * Sends everything queued so far (as far as the socket takes it; the rest when it has room).
     * Never blocks and never throws: a failure is reported through the writes it concerns.
     */
    void flush();

    // ---- close ----

    /**
     * Closes the channel: pending writes fail with {@link ChannelClosedException} in queue order,
     * the socket is released. Idempotent.
     *
     * @return completes when the channel is closed (the same future as {@link #closeFuture()})
     */
    CompletableFuture<Void> close();

    /**
     * Returns the future that completes when the channel closes, whoever closed it.
     *
     * @return completes when the channel has closed, for whatever reason (it never fails)
     */
    CompletableFuture<Void> closeFuture();

    // ---- builder ----

    /**
     * Collects a channel's handler and options, then opens it with {@link #bind}, {@link #connect}
     * or {@link #open} (or their asynchronous forms). Options are validated as they are set.
     */
    final class Builder {
        private static final ChannelHandler NO_HANDLER = (channel, datagram) -> { };

        private final EventLoopGroup group;
        private final Map<ChannelOption<?>, Object> options = new LinkedHashMap<>();
        private ChannelHandler handler = NO_HANDLER;
        private int loopIndex = -1;

        private Builder(EventLoopGroup group) {
            this.group = Objects.requireNonNull(group, "group");
        }

        /**
         * Sets the handler; without one, received datagrams are dropped.
         *
         * @param handler receives datagrams and events on the loop thread
         * @return this builder
         * @throws NullPointerException when {@code handler} is null
         */
        public Builder handler(ChannelHandler handler) {
            this.handler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * Sets an option to apply when the channel opens (before bind or connect).
         *
         * @param option an option
         * @param value its value
         * @param <T> the value type
         * @return this builder
         * @throws IllegalArgumentException for an invalid value (null, wrong type, out of range)
         * @throws NullPointerException when {@code option} is null
         */
        public <T> Builder option(ChannelOption<T> option, T value) {
            options.put(Objects.requireNonNull(option, "option"), option.validate(value));
            return this;
        }

        /**
         * Pins the channel to one loop of the group.
         *
         * @param index run the channel on this loop of the group (modulo its size) instead of the next one
         * @return this builder
         */
        public Builder loop(int index) {
            this.loopIndex = index;
            return this;
        }

        /**
         * Opens a socket bound to {@code local}, waiting for the loop that will run it.
         *
         * @param local the local address (port 0 picks a free one); its family is the socket's
         * @return the open channel
         * @throws IOException when the kernel refuses (address in use...), or
         *     {@link ChannelClosedException} when the group has shut down
         * @throws IllegalStateException when called from another event loop's thread (use
         *     {@link #bindAsync})
         * @throws UnsupportedOperationException when an option set on this builder is not
         *     supported by the group's transport
         * @throws IllegalArgumentException when the group was not made by {@link EventLoopGroup#create}
         * @throws NullPointerException when {@code local} is null
         */
        public DatagramChannel bind(SocketAddress local) throws IOException {
            Objects.requireNonNull(local, "local");
            return provider().open(spec(null, local, null));
        }

        /**
         * Opens one channel per loop of the group, all bound to {@code local} with
         * {@link ChannelOption#SO_REUSEPORT}, so that every core serves the port: the first binds
         * (resolving port 0), the others bind the address it got. Each channel has this builder's
         * handler and options; channel {@code i} runs on loop {@code i}. Works on both transports
         * (the java.nio fallback sets {@code SO_REUSEPORT} through the JDK).
         *
         * @param local the address (port 0 picks a free one, shared by all)
         * @return the group of channels
         * @throws IOException when the kernel refuses (the address is taken by a socket without
         *     {@code SO_REUSEPORT}...); the channels already opened are closed
         * @throws IllegalStateException when called from an event loop's thread
         * @throws UnsupportedOperationException when the family or an option is not supported by
         *     the group's transport (unix-domain addresses have no ports to share)
         * @throws NullPointerException when {@code local} is null
         */
        public ReusePortGroup bindReusePort(SocketAddress local) throws IOException {
            Objects.requireNonNull(local, "local");
            if (!(local instanceof java.net.InetSocketAddress)) {
                throw new UnsupportedOperationException("SO_REUSEPORT groups need an IP address, got " + local);
            }
            int savedLoop = loopIndex;
            Object savedReuse = options.get(ChannelOption.SO_REUSEPORT);
            java.util.List<DatagramChannel> opened = new java.util.ArrayList<>(group.size());
            try {
                option(ChannelOption.SO_REUSEPORT, true);
                SocketAddress address = local;
                for (int i = 0; i < group.size(); i++) {
                    loopIndex = i;
                    DatagramChannel ch = bind(address);
                    opened.add(ch);
                    if (i == 0) {
                        address = ch.localAddress();
                    }
                }
                return new ReusePortGroup(opened, address);
            } catch (IOException | RuntimeException e) {
                for (DatagramChannel ch : opened) {
                    ch.close().join();
                }
                throw e;
            } finally {
                loopIndex = savedLoop;
                if (savedReuse == null) {
                    options.remove(ChannelOption.SO_REUSEPORT);
                } else {
                    options.put(ChannelOption.SO_REUSEPORT, savedReuse);
                }
            }
        }

        /**
         * Opens a socket bound to {@code local} without waiting: usable from any thread, event
         * loops included.
         *
         * @param local the local address
         * @return completes with the open channel, or fails with why it could not be opened
         * @throws NullPointerException when {@code local} is null
         */
        public CompletableFuture<DatagramChannel> bindAsync(SocketAddress local) {
            Objects.requireNonNull(local, "local");
            return provider().openAsync(spec(null, local, null));
        }

        /**
         * Opens a socket connected to {@code remote} (bound to an ephemeral local address).
         *
         * @param remote the peer; its family is the socket's
         * @return the open, connected channel
         * @throws IOException when the kernel refuses, or {@link ChannelClosedException} when the
         *     group has shut down
         * @throws IllegalStateException when called from another event loop's thread (use
         *     {@link #connectAsync})
         * @throws UnsupportedOperationException when an option set on this builder is not
         *     supported by the group's transport
         * @throws IllegalArgumentException when the group was not made by {@link EventLoopGroup#create}
         * @throws NullPointerException when {@code remote} is null
         */
        public DatagramChannel connect(SocketAddress remote) throws IOException {
            Objects.requireNonNull(remote, "remote");
            return provider().open(spec(null, null, remote));
        }

        /**
         * Opens a connected socket without waiting: usable from any thread, event loops included.
         *
         * @param remote the peer
         * @return completes with the open, connected channel, or fails with why it could not be opened
         * @throws NullPointerException when {@code remote} is null
         */
        public CompletableFuture<DatagramChannel> connectAsync(SocketAddress remote) {
            Objects.requireNonNull(remote, "remote");
            return provider().openAsync(spec(null, null, remote));
        }

        /**
         * Opens an unbound socket; the kernel binds it on the first send.
         *
         * @param family {@link java.net.StandardProtocolFamily#INET}, {@code INET6} or {@code UNIX}
         * @return the open channel
         * @throws IOException when the kernel refuses, or {@link ChannelClosedException} when the
         *     group has shut down
         * @throws IllegalStateException when called from another event loop's thread
         * @throws UnsupportedOperationException when an option set on this builder is not
         *     supported by the group's transport
         * @throws IllegalArgumentException when the group was not made by {@link EventLoopGroup#create}
         * @throws UnsupportedOperationException for another protocol family
         * @throws NullPointerException when {@code family} is null
         */
        public DatagramChannel open(ProtocolFamily family) throws IOException {
            Objects.requireNonNull(family, "family");
            return provider().open(spec(family, null, null));
        }

        private SalvoProvider.ChannelSpec spec(ProtocolFamily family, SocketAddress local, SocketAddress remote) {
            return new SalvoProvider.ChannelSpec(group, handler, Collections.unmodifiableMap(new LinkedHashMap<>(options)), loopIndex, family, local,
                    remote);
        }

        private static SalvoProvider provider() {
            return SalvoProvider.installed();
        }
    }
}
