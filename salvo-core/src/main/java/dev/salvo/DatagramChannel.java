package dev.salvo;

import dev.salvo.loop.EventLoop;
import dev.salvo.loop.LoopChannel;
import dev.salvo.transport.AddressFamily;
import dev.salvo.transport.linux.Errno;
import dev.salvo.transport.ReadSink;
import dev.salvo.transport.SocketOps;
import dev.salvo.write.PendingDatagramWritesManager;
import dev.salvo.write.PendingWrite;
import dev.salvo.write.WriteResult;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

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
 * without a completion allocate nothing.
 *
 * <pre>{@code
 * DatagramChannel ch = DatagramChannel.builder(group)
 *         .handler((channel, d) -> System.out.println(d.length() + " bytes from " + d.sender()))
 *         .bind(new InetSocketAddress("127.0.0.1", 0));
 * ch.writeAndFlush(OutboundDatagram.of(ByteBuffer.wrap(bytes), peer)).join();
 * }</pre>
 */
public final class DatagramChannel {
    private static final ChannelHandler NO_HANDLER = (channel, datagram) -> { };

    private final EventLoop loop;
    private final String transportName;
    private final SocketOps socket;
    private final PendingDatagramWritesManager writes;
    private final ChannelHandler handler;
    private final Io io = new Io();
    private final ReadSink readSink;
    private final WriteCompletion untracked;
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private final AtomicLong failedUntrackedWrites = new AtomicLong();
    private final AtomicLong datagramsRead = new AtomicLong();

    private int readBatchSize = 64;
    private int readBudget = 1024;
    private boolean writeInterest;
    private boolean writeTaskScheduled;
    private boolean registered;
    /** The last destination that passed {@link #familyMismatch}; loop only. Addresses are immutable. */
    private SocketAddress lastCheckedDestination;
    private volatile boolean open = true;
    private volatile SocketAddress localAddress;
    private volatile SocketAddress remoteAddress;
    private final Runnable writeTask = this::writeTask;

    private DatagramChannel(EventLoop loop, String transportName, SocketOps socket, ChannelHandler handler) {
        this.loop = loop;
        this.transportName = transportName;
        this.socket = socket;
        this.handler = handler;
        this.writes = new PendingDatagramWritesManager(this::writabilityChanged);
        this.readSink = datagram -> {
            // Only the loop thread writes the count: an ordered store, not an atomic add per datagram.
            datagramsRead.lazySet(datagramsRead.getPlain() + 1);
            try {
                handler.onDatagram(this, datagram);
            } catch (Throwable t) {
                reportHandlerFailure(t);
            }
        };
        this.untracked = failure -> {
            if (failure != null) {
                failedUntrackedWrites.incrementAndGet();
                if (!(failure instanceof ChannelClosedException)) {
                    safeOnError(failure);
                }
            }
        };
        // Writes without completion are queued as such (nothing to deliver when they succeed);
        // only their failures come back, to be counted and reported.
        writes.setUntrackedFailureCompletion(untracked);
    }

    /**
     * @param group the group whose next event loop will run the channel
     * @return a builder for a channel
     */
    public static Builder builder(EventLoopGroup group) {
        return new Builder(group);
    }

    // ------------------------------------------------------------------------------------------
    // Addresses and state

    /** @return the bound local address, or {@code null} while the socket is not bound */
    public SocketAddress localAddress() {
        SocketAddress a = localAddress;
        if (a == null && open) {
            // The kernel binds an unbound socket on its first send; ask it.
            try {
                a = call(socket::localAddress);
                localAddress = a;
            } catch (IOException e) {
                return null;
            }
        }
        return a;
    }

    /** @return the connected peer, or {@code null} when not connected */
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    /** @return whether the channel is open */
    public boolean isOpen() {
        return open;
    }

    /** @return whether the channel is connected to a peer */
    public boolean isConnected() {
        return remoteAddress != null;
    }

    /**
     * @return whether pending bytes are below the high water mark (after having fallen below the
     *     low one); readable from any thread
     */
    public boolean isWritable() {
        return writes.isWritable();
    }

    /** @return the name of the transport running this channel, {@code "epoll"} or {@code "nio"} */
    public String transportName() {
        return transportName;
    }

    /**
     * @return datagrams the kernel dropped because this socket's receive buffer was full, as
     *     counted by {@code SO_RXQ_OVFL} up to the last read; -1 where the transport cannot tell
     */
    public long kernelDrops() {
        return socket.kernelDrops();
    }

    /** @return datagrams delivered to the handler so far */
    public long datagramsRead() {
        return datagramsRead.get();
    }

    /** @return writes without completion that failed so far (each was also reported to {@link ChannelHandler#onError}, unless it failed because the channel closed) */
    public long failedUntrackedWrites() {
        return failedUntrackedWrites.get();
    }

    /** @return the event loop that runs this channel; tasks given to it run on the channel's thread */
    public java.util.concurrent.Executor eventLoop() {
        return loop;
    }

    /** @return whether the caller is this channel's event-loop thread */
    public boolean inEventLoop() {
        return loop.inEventLoop();
    }

    /**
     * @return the channel's UDP offload state (GSO, automatic GSO, ECN) and how often the kernel
     *     refused an offload and Salvo fell back; see {@link OffloadStats}
     * @throws ChannelClosedException when the channel is closed
     */
    public OffloadStats offloadStats() {
        try {
            return call(() -> {
                ensureOpen();
                return socket.offloadStats();
            });
        } catch (ChannelClosedException e) {
            throw new IllegalStateException("channel closed", e);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Multicast

    /**
     * Joins a multicast group on an interface: datagrams sent to the group (and to this socket's
     * port) are received. The socket is usually bound to the wildcard address and the group's port.
     *
     * @param group an IPv4 or IPv6 multicast address (IPv4 groups also on dual-stack IPv6 sockets)
     * @param iface the interface to join on, or {@code null} to let the kernel choose by route
     * @throws IOException when the kernel refuses (no such interface, already a member...)
     * @throws IllegalArgumentException when {@code group} is not a multicast address or does not suit the socket
     * @throws UnsupportedOperationException on a transport or socket without multicast
     */
    public void joinGroup(InetAddress group, java.net.NetworkInterface iface) throws IOException {
        membership(true, group, iface, null);
    }

    /**
     * Joins a group for one source only (source-specific multicast).
     *
     * @param group the multicast address
     * @param iface the interface, or {@code null}
     * @param source the only sender whose datagrams to the group are received
     * @throws IOException when the kernel refuses
     */
    public void joinGroup(InetAddress group, java.net.NetworkInterface iface, InetAddress source) throws IOException {
        membership(true, group, iface, Objects.requireNonNull(source, "source"));
    }

    /**
     * Leaves a group joined with {@link #joinGroup(InetAddress, java.net.NetworkInterface)}.
     *
     * @param group the multicast address
     * @param iface the interface it was joined on, or {@code null}
     * @throws IOException when the kernel refuses (not a member)
     */
    public void leaveGroup(InetAddress group, java.net.NetworkInterface iface) throws IOException {
        membership(false, group, iface, null);
    }

    /**
     * Leaves a source-specific membership.
     *
     * @param group the multicast address
     * @param iface the interface it was joined on, or {@code null}
     * @param source the source it was joined for
     * @throws IOException when the kernel refuses
     */
    public void leaveGroup(InetAddress group, java.net.NetworkInterface iface, InetAddress source) throws IOException {
        membership(false, group, iface, Objects.requireNonNull(source, "source"));
    }

    private void membership(boolean join, InetAddress group, java.net.NetworkInterface iface, InetAddress source)
            throws IOException {
        Objects.requireNonNull(group, "group");
        call(() -> {
            ensureOpen();
            if (join) {
                socket.joinGroup(group, iface, source);
            } else {
                socket.leaveGroup(group, iface, source);
            }
            return null;
        });
    }

    // ------------------------------------------------------------------------------------------
    // Connect, options

    /**
     * Connects the socket to one peer: only its datagrams are received, and writes may omit the
     * destination. Writes still queued when connecting fail (they were addressed for an
     * unconnected socket).
     *
     * @param remote the peer
     * @throws IOException when the kernel refuses
     */
    public void connect(SocketAddress remote) throws IOException {
        Objects.requireNonNull(remote, "remote");
        call(() -> {
            ensureOpen();
            checkFamily(remote);
            socket.connect(remote);
            writes.setConnectedPeer(remote);
            remoteAddress = socket.remoteAddress() != null ? socket.remoteAddress() : remote;
            localAddress = socket.localAddress();
            return null;
        });
    }

    /**
     * Dissolves the connection made by {@link #connect}.
     *
     * @throws IOException when the kernel refuses
     */
    public void disconnect() throws IOException {
        call(() -> {
            ensureOpen();
            socket.disconnect();
            writes.setConnectedPeer(null);
            remoteAddress = null;
            return null;
        });
    }

    /**
     * Sets an option.
     *
     * @param option the option
     * @param value its value
     * @param <T> the value type
     * @throws IllegalArgumentException for an invalid value
     * @throws UnsupportedOperationException when this channel's transport cannot honour the option
     * @throws IOException when the kernel refuses it
     */
    public <T> void setOption(ChannelOption<T> option, T value) throws IOException {
        T v = option.validate(value);
        call(() -> {
            ensureOpen();
            applyOption(option, v);
            return null;
        });
    }

    /**
     * @param option the option
     * @param <T> the value type
     * @return its current value
     * @throws UnsupportedOperationException when this channel's transport does not have it
     * @throws IOException when the kernel refuses
     */
    public <T> T getOption(ChannelOption<T> option) throws IOException {
        return call(() -> {
            ensureOpen();
            if (option == ChannelOption.READ_BATCH_SIZE) {
                return option.type().cast(readBatchSize);
            } else if (option == ChannelOption.READ_BUDGET) {
                return option.type().cast(readBudget);
            } else if (option == ChannelOption.WRITE_SPIN_COUNT) {
                return option.type().cast(writes.writeSpinCount());
            } else if (option == ChannelOption.WRITE_BUFFER_WATER_MARK) {
                return option.type().cast(new WaterMark(writes.lowWaterMark(), writes.highWaterMark()));
            }
            return socket.getOption(option);
        });
    }

    private <T> void applyOption(ChannelOption<T> option, T value) throws IOException {
        if (option == ChannelOption.READ_BATCH_SIZE) {
            readBatchSize = (Integer) value;
        } else if (option == ChannelOption.READ_BUDGET) {
            readBudget = (Integer) value;
        } else if (option == ChannelOption.WRITE_SPIN_COUNT) {
            writes.setWriteSpinCount((Integer) value);
        } else if (option == ChannelOption.WRITE_BUFFER_WATER_MARK) {
            WaterMark m = (WaterMark) value;
            writes.setWaterMarks(m.low(), m.high());
        } else {
            socket.setOption(option, value);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Writes

    /**
     * Queues a datagram without completion: no allocation on the loop thread. A failure is
     * counted and reported to {@link ChannelHandler#onError}.
     *
     * @param payload the bytes from position to limit (the buffer is not moved; keep its bytes
     *     unchanged until flushed)
     * @param destination where to send, or {@code null} on a connected channel
     */
    public void write(ByteBuffer payload, SocketAddress destination) {
        Objects.requireNonNull(payload, "payload");
        write0(payload, payload.position(), payload.remaining(), destination, PendingWrite.NO_ECN, 0, null, null);
    }

    /**
     * Queues a datagram with a completion, called once on the loop thread.
     *
     * @param payload the bytes from position to limit
     * @param destination where to send, or {@code null} on a connected channel
     * @param completion called with {@code null} when sent, else with the failure
     */
    public void write(ByteBuffer payload, SocketAddress destination, WriteCompletion completion) {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(completion, "completion");
        write0(payload, payload.position(), payload.remaining(), destination, PendingWrite.NO_ECN, 0, null,
                completion);
    }

    /**
     * Queues the bytes of a memory segment; a native segment is sent without a copy and must stay
     * alive (its arena open) until the write completes.
     *
     * @param payload the whole segment is one datagram
     * @param destination where to send, or {@code null} on a connected channel
     * @param completion called once with the result, or {@code null}
     */
    public void write(MemorySegment payload, SocketAddress destination, WriteCompletion completion) {
        Objects.requireNonNull(payload, "payload");
        if (payload.byteSize() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a datagram cannot be " + payload.byteSize() + " bytes");
        }
        write0(payload, 0, (int) payload.byteSize(), destination, PendingWrite.NO_ECN, 0, null, completion);
    }

    /** @param datagram the datagram and its metadata to queue (failure reported to {@link ChannelHandler#onError}) */
    public void write(OutboundDatagram datagram) {
        write(datagram, null);
    }

    /**
     * @param datagram the datagram and its metadata to queue
     * @param completion called once with the result, or {@code null}
     */
    public void write(OutboundDatagram datagram, WriteCompletion completion) {
        Objects.requireNonNull(datagram, "datagram");
        ByteBuffer p = datagram.payload();
        write0(p, p.position(), p.remaining(), datagram.destination(),
                datagram.ecn() == null ? PendingWrite.NO_ECN : datagram.ecn().bits(),
                datagram.segmentSize(), datagram.source(), completion);
    }

    /**
     * Queues a datagram and flushes.
     *
     * @param datagram the datagram
     * @return completes when the datagram was handed to the kernel, or fails with why it was not
     */
    public CompletableFuture<Void> writeAndFlush(OutboundDatagram datagram) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        Objects.requireNonNull(datagram, "datagram");
        ByteBuffer p = datagram.payload();
        write0(p, p.position(), p.remaining(), datagram.destination(),
                datagram.ecn() == null ? PendingWrite.NO_ECN : datagram.ecn().bits(),
                datagram.segmentSize(), datagram.source(),
                failure -> { if (failure == null) f.complete(null); else f.completeExceptionally(failure); });
        flush();
        return f;
    }

    /**
     * Queues a datagram without completion and flushes.
     *
     * @param payload the bytes from position to limit
     * @param destination where to send, or {@code null} on a connected channel
     */
    public void writeAndFlush(ByteBuffer payload, SocketAddress destination) {
        write(payload, destination);
        flush();
    }

    /** Sends everything queued so far (as far as the socket takes it; the rest when it has room). */
    public void flush() {
        if (loop.inEventLoop()) {
            flushOnLoop();
        } else {
            submit(this::flushOnLoop, null);
        }
    }

    private void write0(Object payload, long offset, int length, SocketAddress destination, int ecn,
                        int segmentSize, InetAddress source, WriteCompletion completion) {
        if (loop.inEventLoop()) {
            writeOnLoop(payload, offset, length, destination, ecn, segmentSize, source, completion);
        } else {
            submit(() -> writeOnLoop(payload, offset, length, destination, ecn, segmentSize, source, completion),
                    completion);
        }
    }

    private void writeOnLoop(Object payload, long offset, int length, SocketAddress destination, int ecn,
                             int segmentSize, InetAddress source, WriteCompletion completion) {
        if (!open) {
            fail(completion == null ? untracked : completion, new ChannelClosedException("write after close"));
            return;
        }
        Throwable refused = refuse(destination, length, ecn, segmentSize, source);
        if (refused != null) {
            fail(completion == null ? untracked : completion, refused);
            return;
        }
        PendingWrite w = writes.claim();
        if (payload instanceof MemorySegment m) {
            w.segment(m, offset, length);
        } else {
            w.buffer((ByteBuffer) payload, (int) offset, length);
        }
        w.destination(destination).ecn(ecn).segmentSize(segmentSize).source(source).completion(completion);
        writes.commit();
    }

    /** Checks what the kernel would refuse in a way that would close the channel, so that only this datagram fails. */
    private Throwable refuse(SocketAddress destination, int length, int ecn, int segmentSize, InetAddress source) {
        // Most senders write to the same few address objects over and over: checking the same
        // immutable address again would only repeat the type switch.
        if (destination != null && destination != lastCheckedDestination) {
            String why = familyMismatch(destination);
            if (why != null) {
                return new UnsupportedAddressException(why, destination);
            }
            lastCheckedDestination = destination;
        }
        if (segmentSize > 0 && !socket.supportsSegmentation()) {
            return new UnsupportedOperationException("GSO (segmentSize) is not supported by the "
                    + transportName + " transport");
        }
        if (segmentSize > 0) {
            Throwable limit = socket.checkSegmentation(length, segmentSize, destination);
            if (limit != null) {
                return limit;
            }
        }
        if (ecn != PendingWrite.NO_ECN && !socket.supportsPerDatagramMetadata()) {
            return new UnsupportedOperationException("per-datagram ECN is not supported by the "
                    + transportName + " transport");
        }
        if (source != null && !socket.supportsPerDatagramMetadata()) {
            return new UnsupportedOperationException("choosing the source address is not supported by the "
                    + transportName + " transport");
        }
        return null;
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

    private void flushOnLoop() {
        if (!open) {
            return;
        }
        writes.flush();
        if (!writeInterest && !writeTaskScheduled) {
            doWrite();
        }
    }

    private void writeTask() {
        writeTaskScheduled = false;
        if (open && !writeInterest) {
            doWrite();
        }
    }

    private void doWrite() {
        WriteResult result = writes.write(socket.writer());
        if (!open) {
            return; // a completion closed the channel
        }
        switch (result) {
            case WriteResult.AllWritten done -> setWriteInterest(false);
            case WriteResult.WouldBlock wait -> setWriteInterest(true);
            case WriteResult.SpinExhausted spun -> {
                // Give the other channels of this loop a turn, then go on.
                writeTaskScheduled = true;
                loop.execute(writeTask);
            }
            case WriteResult.AlreadyWriting nested -> { }
            case WriteResult.Fatal fatal -> closeOnLoop(fatal.cause());
        }
    }

    private void setWriteInterest(boolean want) {
        if (want == writeInterest) {
            return;
        }
        writeInterest = want;
        try {
            loop.resources().poller().setWriteInterest(socket, want);
        } catch (IOException e) {
            closeOnLoop(e);
        }
    }

    private void writabilityChanged(boolean writable) {
        try {
            handler.onWritabilityChanged(this, writable);
        } catch (Throwable t) {
            reportHandlerFailure(t);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Reads and readiness

    private void onReady(boolean readable, boolean writable, boolean error) {
        if (error && open) {
            int err = socket.takeSocketError();
            if (err != 0) {
                reportReadError(err, "SO_ERROR");
            }
        }
        if (readable && open) {
            readNow();
        }
        if (writable && open && writeInterest) {
            setWriteInterest(false);
            doWrite();
        }
    }

    private void readNow() {
        int budget = readBudget;
        int delivered = 0;
        while (budget > 0 && open) {
            int n = socket.read(readSink, Math.min(readBatchSize, budget));
            if (n > 0) {
                delivered += n;
                budget -= n;
                continue;
            }
            if (n < 0) {
                reportReadError(-n, "recvmmsg");
            }
            break;
        }
        if (delivered > 0 && open) {
            try {
                handler.onReadComplete(this);
            } catch (Throwable t) {
                reportHandlerFailure(t);
            }
        }
    }

    private void reportReadError(int errno, String operation) {
        switch (errno) {
            case Errno.EAGAIN, Errno.EINTR -> { }
            case Errno.ECONNREFUSED -> safeOnError(new ConnectionRefusedException(remoteAddress, errno));
            case Errno.ENOMEM, Errno.ENOBUFS, Errno.EHOSTUNREACH, Errno.ENETUNREACH, Errno.EMSGSIZE ->
                    safeOnError(new NativeIOException(operation, errno));
            default -> closeOnLoop(new NativeIOException(operation, errno));
        }
    }

    // ------------------------------------------------------------------------------------------
    // Close

    /**
     * Closes the channel: pending writes fail with {@link ChannelClosedException} in queue order,
     * the socket is released. Idempotent.
     *
     * @return completes when the channel is closed (the same future as {@link #closeFuture()})
     */
    public CompletableFuture<Void> close() {
        if (loop.inEventLoop()) {
            closeOnLoop(null);
        } else {
            try {
                loop.execute(() -> closeOnLoop(null));
            } catch (RejectedExecutionException e) {
                closeFuture.complete(null); // the loop closed every channel when it shut down
            }
        }
        return closeFuture;
    }

    /** @return completes when the channel has closed, for whatever reason */
    public CompletableFuture<Void> closeFuture() {
        return closeFuture;
    }

    private void closeOnLoop(Throwable cause) {
        if (!open) {
            return;
        }
        open = false;
        if (cause != null) {
            safeOnError(cause);
        }
        ChannelClosedException closed = cause == null ? new ChannelClosedException()
                : new ChannelClosedException("channel closed by an error", cause);
        writes.failAll(closed, true);
        if (registered) {
            loop.resources().poller().deregister(socket);
            registered = false;
        }
        socket.close();
        loop.removeChannel(io);
        closeFuture.complete(null);
    }

    // ------------------------------------------------------------------------------------------
    // Plumbing

    private void ensureOpen() throws ChannelClosedException {
        if (!open) {
            throw new ChannelClosedException();
        }
    }

    private void checkFamily(SocketAddress remote) {
        String why = familyMismatch(remote);
        if (why != null) {
            throw new IllegalArgumentException(why + ": " + remote);
        }
    }

    private static void fail(WriteCompletion completion, Throwable error) {
        if (completion != null) {
            try {
                completion.onComplete(error);
            } catch (Throwable ignored) {
                // A completion that throws must not break the caller.
            }
        }
    }

    private void submit(Runnable task, WriteCompletion completion) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            fail(completion, new ChannelClosedException("event loop group has been shut down"));
        }
    }

    private void safeOnError(Throwable error) {
        try {
            handler.onError(this, error);
        } catch (Throwable t) {
            reportHandlerFailure(t);
        }
    }

    private void reportHandlerFailure(Throwable t) {
        Thread th = Thread.currentThread();
        th.getUncaughtExceptionHandler().uncaughtException(th, t);
    }

    @FunctionalInterface
    private interface IoCall<T> {
        T run() throws IOException;
    }

    /** Runs on the loop and waits, rethrowing the call's own exception on the caller's thread. */
    private <T> T call(IoCall<T> body) throws IOException {
        return callOn(loop, body);
    }

    private static <T> T callOn(EventLoop loop, IoCall<T> body) throws IOException {
        if (loop.inEventLoop()) {
            return body.run();
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                try {
                    f.complete(body.run());
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            throw new ChannelClosedException("event loop group has been shut down");
        }
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for the event loop");
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            } else if (c instanceof RuntimeException re) {
                throw re;
            } else if (c instanceof Error err) {
                throw err;
            }
            throw new IOException(c);
        }
    }

    /** The loop-facing side, kept off the public API. */
    private final class Io implements LoopChannel {
        @Override
        public void onReady(boolean readable, boolean writable, boolean error) {
            DatagramChannel.this.onReady(readable, writable, error);
        }

        @Override
        public void closeForShutdown() {
            closeOnLoop(null);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Builder

    /**
     * Collects a channel's handler and options, then opens it with {@link #bind}, {@link #connect}
     * or {@link #open}. Options are validated as they are set.
     */
    public static final class Builder {
        private final EventLoopGroup group;
        private final java.util.LinkedHashMap<ChannelOption<?>, Object> options = new java.util.LinkedHashMap<>();
        private ChannelHandler handler = NO_HANDLER;
        private int loopIndex = -1;

        private Builder(EventLoopGroup group) {
            this.group = Objects.requireNonNull(group, "group");
        }

        /**
         * @param handler receives datagrams and events on the loop thread
         * @return this builder
         */
        public Builder handler(ChannelHandler handler) {
            this.handler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * @param option an option
         * @param value its value
         * @param <T> the value type
         * @return this builder
         * @throws IllegalArgumentException for an invalid value
         */
        public <T> Builder option(ChannelOption<T> option, T value) {
            options.put(Objects.requireNonNull(option, "option"), option.validate(value));
            return this;
        }

        /**
         * @param index run the channel on this loop of the group (modulo its size) instead of the next one
         * @return this builder
         */
        public Builder loop(int index) {
            this.loopIndex = index;
            return this;
        }

        /**
         * Opens a socket bound to {@code local}.
         *
         * @param local the local address (port 0 picks a free one); its family is the socket's
         * @return the open channel
         * @throws IOException when the kernel refuses (address in use...)
         */
        public DatagramChannel bind(SocketAddress local) throws IOException {
            Objects.requireNonNull(local, "local");
            return open(AddressFamily.of(local), local, null);
        }

        /**
         * Opens a socket connected to {@code remote} (bound to an ephemeral local address).
         *
         * @param remote the peer; its family is the socket's
         * @return the open, connected channel
         * @throws IOException when the kernel refuses
         */
        public DatagramChannel connect(SocketAddress remote) throws IOException {
            Objects.requireNonNull(remote, "remote");
            return open(AddressFamily.of(remote), null, remote);
        }

        /**
         * Opens an unbound socket; the kernel binds it on the first send.
         *
         * @param family {@link StandardProtocolFamily#INET}, {@code INET6} or {@code UNIX}
         * @return the open channel
         * @throws IOException when the kernel refuses
         */
        public DatagramChannel open(ProtocolFamily family) throws IOException {
            Objects.requireNonNull(family, "family");
            AddressFamily f = switch ((StandardProtocolFamily) family) {
                case INET -> AddressFamily.INET;
                case INET6 -> AddressFamily.INET6;
                case UNIX -> AddressFamily.UNIX;
            };
            return open(f, null, null);
        }

        private DatagramChannel open(AddressFamily family, SocketAddress local, SocketAddress remote)
                throws IOException {
            EventLoop loop = loopIndex < 0 ? group.nextLoop() : group.loop(loopIndex);
            return callOn(loop, () -> {
                SocketOps socket = loop.resources().openDatagram(family);
                DatagramChannel ch = new DatagramChannel(loop, group.transportName(), socket, handler);
                try {
                    for (var e : options.entrySet()) {
                        applyUnchecked(ch, e.getKey(), e.getValue());
                    }
                    if (local != null) {
                        socket.bind(local);
                    }
                    if (remote != null) {
                        socket.connect(remote);
                        ch.writes.setConnectedPeer(remote);
                        ch.remoteAddress = socket.remoteAddress() != null ? socket.remoteAddress() : remote;
                    }
                    ch.localAddress = socket.localAddress();
                    loop.resources().poller().register(socket, ch.io);
                    ch.registered = true;
                    loop.addChannel(ch.io);
                    return ch;
                } catch (IOException | RuntimeException e) {
                    socket.close();
                    throw e;
                }
            });
        }

        @SuppressWarnings("unchecked")
        private static <T> void applyUnchecked(DatagramChannel ch, ChannelOption<T> option, Object value)
                throws IOException {
            ch.applyOption(option, (T) value);
        }
    }
}
