package dev.salvo.examples.quic;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The baseline I/O layer: the JDK's {@code DatagramChannel} and a {@code Selector} on one thread, one
 * datagram per system call, no offloads, no packet info (replies leave from the socket's bound address).
 * The loop and its timer list exist only to give the same {@link QuicEndpoint} a fair home.
 */
public final class JdkPacketIo implements PacketIo, QuicRuntime {
    private static final int READ_BUDGET = 64;

    private final DatagramChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final QuicEndpoint endpoint;
    private final ByteBuffer out = ByteBuffer.allocateDirect(Quiche.MAX_PAYLOAD + 64);
    private final MemorySegment outSegment = MemorySegment.ofBuffer(out);
    private final ByteBuffer in = ByteBuffer.allocateDirect(65_536);
    private final MemorySegment inSegment = MemorySegment.ofBuffer(in);
    private final List<Timer> timers = new ArrayList<>();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final InetSocketAddress local;
    private final Thread thread;
    private InetSocketAddress pendingTo;
    private volatile boolean open = true;

    /**
     * Binds and starts the loop thread.
     *
     * @param bind the local address
     * @param endpointFactory makes the driver over this I/O layer
     * @throws IOException if the bind fails
     */
    public JdkPacketIo(InetSocketAddress bind, Function<PacketIo, QuicEndpoint> endpointFactory) throws IOException {
        channel = DatagramChannel.open();
        channel.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
        channel.setOption(java.net.StandardSocketOptions.SO_SNDBUF, 4 << 20);
        channel.bind(bind);
        channel.configureBlocking(false);
        selector = Selector.open();
        key = channel.register(selector, SelectionKey.OP_READ);
        local = (InetSocketAddress) channel.getLocalAddress();
        endpoint = endpointFactory.apply(this);
        thread = Thread.ofPlatform().name("jdk-quic-" + local.getPort()).daemon().start(this::run);
    }

    private void run() {
        try {
            while (open) {
                long wait = nextDeadline() - System.nanoTime();
                if (!tasks.isEmpty() || wait <= 0) {
                    selector.selectNow();
                } else {
                    selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
                }
                selector.selectedKeys().clear();
                if (pendingTo != null && trySend(pendingTo)) {
                    pendingTo = null;
                    key.interestOps(SelectionKey.OP_READ);
                    endpoint.resume();
                }
                readSome();
                runTimers();
                for (Runnable task; (task = tasks.poll()) != null; ) {
                    task.run();
                }
                endpoint.turnComplete();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            endpoint.shutdown();
        }
    }

    private void readSome() throws IOException {
        for (int i = 0; i < READ_BUDGET; i++) {
            in.clear();
            SocketAddress sender = channel.receive(in);
            if (sender == null) {
                return;
            }
            endpoint.receive(inSegment, in.position(), (InetSocketAddress) sender, local);
        }
    }

    private long nextDeadline() {
        long min = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        for (Timer t : timers) {
            if (t.armed && t.deadline < min) {
                min = t.deadline;
            }
        }
        return min;
    }

    private void runTimers() {
        long now = System.nanoTime();
        for (int i = 0; i < timers.size(); i++) {
            Timer t = timers.get(i);
            if (t.armed && t.deadline - now <= 0) {
                t.armed = false;
                t.task.run();
            }
        }
    }

    // ---- PacketIo ----

    @Override
    public MemorySegment claim() {
        return pendingTo == null ? outSegment : null;
    }

    @Override
    public void send(MemorySegment buffer, int length, InetSocketAddress to, InetAddress from) {
        out.clear().limit(length);
        try {
            if (!trySend(to)) {
                pendingTo = to;
                key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean trySend(InetSocketAddress to) throws IOException {
        return channel.send(out, to) > 0 || !out.hasRemaining();
    }

    @Override
    public void flush() {
        // every send already went out
    }

    @Override
    public Wakeup newWakeup(Runnable task) {
        Timer t = new Timer(task);
        timers.add(t);
        return t;
    }

    private final class Timer implements Wakeup {
        final Runnable task;
        long deadline;
        boolean armed;

        Timer(Runnable task) {
            this.task = task;
        }

        @Override
        public void after(long delayNanos) {
            deadline = System.nanoTime() + delayNanos;
            armed = true;
        }

        @Override
        public void cancel() {
            armed = false;
        }

        @Override
        public void release() {
            armed = false;
            timers.remove(this);
        }
    }

    // ---- QuicRuntime ----

    @Override
    public QuicEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public String ioName() {
        return "jdk-datagramchannel";
    }

    @Override
    public void close() {
        open = false;
        selector.wakeup();
        try {
            thread.join(5000);
            selector.close();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
