package dev.salvo.channel;

import dev.salvo.ChannelClosedException;
import dev.salvo.ChannelHandler;
import dev.salvo.ChannelOption;
import dev.salvo.DatagramChannel;
import dev.salvo.OffloadStats;
import dev.salvo.OutboundDatagram;
import dev.salvo.OutboundSegment;
import dev.salvo.WriteCompletion;
import dev.salvo.loop.DefaultEventLoop;
import dev.salvo.transport.SocketOps;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * Salvo's {@link DatagramChannel}: a thin facade that checks arguments on the caller's thread,
 * then runs each call on the channel's event loop — at once when the caller is that loop,
 * otherwise handed over (writes, flush and close without waiting; configuration calls waiting for
 * the answer, see {@link LoopCalls}). All state lives in the loop-confined {@link ChannelCore}.
 */
final class SalvoDatagramChannel implements DatagramChannel {
    private final DefaultEventLoop loop;
    private final String transportName;
    private final ChannelCore core;

    SalvoDatagramChannel(DefaultEventLoop loop, String transportName, SocketOps socket, ChannelHandler handler) {
        this.loop = loop;
        this.transportName = transportName;
        this.core = new ChannelCore(loop, socket, transportName, new HandlerCalls(handler, this));
    }

    ChannelCore core() {
        return core;
    }

    // ---- state ----

    @Override
    public SocketAddress localAddress() {
        if (loop.inEventLoop()) {
            return core.localAddressNow();
        }
        SocketAddress known = core.cachedLocalAddress();
        if (known != null || !core.isOpen() || DefaultEventLoop.current() != null) {
            return known;
        }
        try {
            return LoopCalls.call(loop, "localAddress", core::localAddressNow);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public SocketAddress remoteAddress() {
        return core.remoteAddress();
    }

    @Override
    public boolean isOpen() {
        return core.isOpen();
    }

    @Override
    public boolean isWritable() {
        return core.isWritable();
    }

    @Override
    public long pendingBytes() {
        return core.pendingBytes();
    }

    @Override
    public int pendingDatagrams() {
        return core.pendingDatagrams();
    }

    @Override
    public String transportName() {
        return transportName;
    }

    @Override
    public long kernelDrops() {
        return core.kernelDrops();
    }

    @Override
    public long datagramsRead() {
        return core.datagramsRead();
    }

    @Override
    public long failedUntrackedWrites() {
        return core.failedUntrackedWrites();
    }

    @Override
    public dev.salvo.ChannelStats stats() {
        return core.stats();
    }

    @Override
    public dev.salvo.EventLoop eventLoop() {
        return loop;
    }

    @Override
    public boolean inEventLoop() {
        return loop.inEventLoop();
    }

    @Override
    public OffloadStats offloadStats() {
        try {
            return LoopCalls.call(loop, "offloadStats", core::offloadStats);
        } catch (ChannelClosedException e) {
            throw new IllegalStateException("channel closed", e);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- multicast, connect, options ----

    @Override
    public void joinGroup(InetAddress group, NetworkInterface iface) throws IOException {
        membership(true, group, iface, null);
    }

    @Override
    public void joinGroup(InetAddress group, NetworkInterface iface, InetAddress source) throws IOException {
        membership(true, group, iface, Objects.requireNonNull(source, "source"));
    }

    @Override
    public void leaveGroup(InetAddress group, NetworkInterface iface) throws IOException {
        membership(false, group, iface, null);
    }

    @Override
    public void leaveGroup(InetAddress group, NetworkInterface iface, InetAddress source) throws IOException {
        membership(false, group, iface, Objects.requireNonNull(source, "source"));
    }

    private void membership(boolean join, InetAddress group, NetworkInterface iface, InetAddress source)
            throws IOException {
        Objects.requireNonNull(group, "group");
        LoopCalls.call(loop, join ? "joinGroup" : "leaveGroup", () -> {
            core.membership(join, group, iface, source);
            return null;
        });
    }

    @Override
    public void connect(SocketAddress remote) throws IOException {
        Objects.requireNonNull(remote, "remote");
        LoopCalls.call(loop, "connect", () -> {
            core.connect(remote);
            return null;
        });
    }

    @Override
    public void disconnect() throws IOException {
        LoopCalls.call(loop, "disconnect", () -> {
            core.disconnect();
            return null;
        });
    }

    @Override
    public <T> void setOption(ChannelOption<T> option, T value) throws IOException {
        T v = option.validate(value);
        LoopCalls.call(loop, "setOption", () -> {
            core.setOption(option, v);
            return null;
        });
    }

    @Override
    public <T> T getOption(ChannelOption<T> option) throws IOException {
        Objects.requireNonNull(option, "option");
        return LoopCalls.call(loop, "getOption", () -> core.getOption(option));
    }

    // ---- read pause ----

    @Override
    public void setAutoRead(boolean autoRead) {
        core.reads().setAutoRead(autoRead); // seen by the loop's next read at once
        if (loop.inEventLoop()) {
            core.reads().applyAutoRead();
        } else {
            onLoop(core.reads()::applyAutoRead);
        }
    }

    @Override
    public boolean isAutoRead() {
        return core.reads().isAutoRead();
    }

    @Override
    public void read() {
        if (loop.inEventLoop()) {
            core.reads().requestRead();
        } else {
            onLoop(core.reads()::requestRead);
        }
    }

    /** Hands a read-pause change to the loop; after shutdown there is nothing left to read. */
    private void onLoop(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            // The loop closed every channel when it shut down.
        }
    }

    // ---- writes ----
    // A write from another thread is counted at once (ChannelCore#reserve), so isWritable() and
    // the pending counts are exact for the producer; the loop queues it later without counting again.

    @Override
    public void write(ByteBuffer payload, SocketAddress destination) {
        Objects.requireNonNull(payload, "payload");
        if (loop.inEventLoop()) {
            core.write(payload, destination, null, ChannelCore.NOT_RESERVED);
        } else {
            int length = payload.remaining();
            if (core.reserve(length, destination, null)) {
                submit(() -> core.write(payload, destination, null, length), null, length);
            }
        }
    }

    @Override
    public void write(ByteBuffer payload, SocketAddress destination, WriteCompletion completion) {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(completion, "completion");
        if (loop.inEventLoop()) {
            core.write(payload, destination, completion, ChannelCore.NOT_RESERVED);
        } else {
            int length = payload.remaining();
            if (core.reserve(length, destination, completion)) {
                submit(() -> core.write(payload, destination, completion, length), completion, length);
            }
        }
    }

    @Override
    public void write(MemorySegment payload, SocketAddress destination, WriteCompletion completion) {
        Objects.requireNonNull(payload, "payload");
        if (payload.byteSize() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a datagram cannot be " + payload.byteSize() + " bytes");
        }
        if (loop.inEventLoop()) {
            core.write(payload, destination, completion, ChannelCore.NOT_RESERVED);
        } else {
            int length = (int) payload.byteSize();
            if (core.reserve(length, destination, completion)) {
                submit(() -> core.write(payload, destination, completion, length), completion, length);
            }
        }
    }

    @Override
    public void write(OutboundDatagram datagram, WriteCompletion completion) {
        Objects.requireNonNull(datagram, "datagram");
        if (loop.inEventLoop()) {
            core.write(datagram, completion, ChannelCore.NOT_RESERVED);
        } else {
            int length = datagram.payload().remaining();
            if (core.reserve(length, datagram.destination(), completion)) {
                submit(() -> core.write(datagram, completion, length), completion, length);
            }
        }
    }

    @Override
    public void write(OutboundSegment datagram, WriteCompletion completion) {
        Objects.requireNonNull(datagram, "datagram");
        if (loop.inEventLoop()) {
            core.write(datagram, completion, ChannelCore.NOT_RESERVED);
        } else {
            int length = (int) datagram.payload().byteSize();
            if (core.reserve(length, datagram.destination(), completion)) {
                submit(() -> core.write(datagram, completion, length), completion, length);
            }
        }
    }

    @Override
    public CompletableFuture<Void> writeAndFlush(OutboundDatagram datagram) {
        Objects.requireNonNull(datagram, "datagram");
        Completions.WriteFuture f = new Completions.WriteFuture();
        write(datagram, f);
        flush();
        return f;
    }

    @Override
    public void flush() {
        if (loop.inEventLoop()) {
            core.flush();
        } else {
            submit(core::flush, null, ChannelCore.NOT_RESERVED);
        }
    }

    private void submit(Runnable task, WriteCompletion completion, int reserved) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            core.failUnsubmitted(completion, new ChannelClosedException("event loop group has been shut down"), reserved);
        }
    }

    // ---- close ----

    @Override
    public CompletableFuture<Void> close() {
        if (loop.inEventLoop()) {
            core.closeOnLoop(null);
        } else {
            try {
                loop.execute(() -> core.closeOnLoop(null));
            } catch (RejectedExecutionException e) {
                core.closeFuture().complete(null); // the loop closed every channel when it shut down
            }
        }
        return core.closeFuture();
    }

    @Override
    public CompletableFuture<Void> closeFuture() {
        return core.closeFuture();
    }

    @Override
    public String toString() {
        return "DatagramChannel[" + transportName + ", local=" + core.cachedLocalAddress() + ", remote="
                + core.remoteAddress() + (core.isOpen() ? "" : ", closed") + "]";
    }
}
