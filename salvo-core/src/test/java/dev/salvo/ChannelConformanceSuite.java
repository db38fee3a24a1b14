package dev.salvo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One behaviour suite for every transport: each concrete subclass names the transport, and every
 * test here must pass on it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class ChannelConformanceSuite {
    static final InetSocketAddress V4_ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    EventLoopGroup group;

    abstract TransportType transport();

    @BeforeEach
    void startGroup() {
        group = EventLoopGroup.create(1, transport());
    }

    @AfterEach
    void stopGroup() {
        group.close();
    }

    static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    static String text(ReceivedDatagram d) {
        return new String(d.bytes(), StandardCharsets.UTF_8);
    }

    DatagramChannel sender() throws IOException {
        return DatagramChannel.builder(group).bind(V4_ANY_PORT);
    }

    static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    static Throwable failureOf(CompletableFuture<?> f) throws InterruptedException, TimeoutException {
        try {
            f.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected the write to fail, it succeeded");
    }

    @Test
    void roundTripOverIpv4CarriesPayloadAndSender() throws Exception {
        try (Receiver rx = new Receiver(group, V4_ANY_PORT)) {
            DatagramChannel tx = sender();
            await(tx.writeAndFlush(OutboundDatagram.of(text("hello v4"), rx.address())));
            ReceivedDatagram d = rx.take();
            assertEquals("hello v4", text(d));
            assertEquals(tx.localAddress(), d.sender());
        }
    }

    @Test
    void roundTripOverIpv6CarriesPayloadAndSender() throws Exception {
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 0);
        try (Receiver rx = new Receiver(group, v6)) {
            DatagramChannel tx = DatagramChannel.builder(group).bind(v6);
            await(tx.writeAndFlush(OutboundDatagram.of(text("hello v6"), rx.address())));
            ReceivedDatagram d = rx.take();
            assertEquals("hello v6", text(d));
            assertEquals(((InetSocketAddress) tx.localAddress()).getPort(), ((InetSocketAddress) d.sender()).getPort());
        }
    }

    @Test
    void aHandlerCanWorkOnTheReceiveBufferInPlace() throws Exception {
        // What the handler saw: the writable view's state, and the bytes payload() showed after the change.
        CompletableFuture<String> seen = new CompletableFuture<>();
        DatagramChannel rx = DatagramChannel.builder(group).handler((ch, d) -> {
            ByteBuffer w = d.writablePayload();
            String before = StandardCharsets.UTF_8.decode(w.duplicate()).toString();
            for (int i = w.position(); i < w.limit(); i++) {
                w.put(i, (byte) Character.toUpperCase(w.get(i)));
            }
            seen.complete(w.isReadOnly() + " " + (w.limit() - w.position()) + " " + before + " -> "
                    + StandardCharsets.UTF_8.decode(d.payload().duplicate()) + " copy " + text(d.copy()));
        }).bind(V4_ANY_PORT);
        try {
            DatagramChannel tx = sender();
            await(tx.writeAndFlush(OutboundDatagram.of(text("in place"), rx.localAddress())));
            // Writable, exactly the datagram, and the same bytes as payload(): no copy in between.
            assertEquals("false 8 in place -> IN PLACE copy IN PLACE", seen.get(20, TimeUnit.SECONDS));
        } finally {
            rx.close().join();
        }
    }

    @Test
    void emptyDatagramIsDeliveredAsEmpty() throws Exception {
        try (Receiver rx = new Receiver(group, V4_ANY_PORT)) {
            DatagramChannel tx = sender();
            await(tx.writeAndFlush(OutboundDatagram.of(ByteBuffer.allocate(0), rx.address())));
            await(tx.writeAndFlush(OutboundDatagram.of(text("after"), rx.address())));
            assertEquals(0, rx.take().payload().remaining());
            assertEquals("after", text(rx.take()));
        }
    }

    @Test
    void tenThousandDatagramsArriveIntactAndInOrder() throws Exception {
        int n = 10_000;
        try (Receiver rx = new Receiver(group, V4_ANY_PORT)) {
            DatagramChannel tx = sender();
            SocketAddress to = rx.address();
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                CompletableFuture<Void> f = new CompletableFuture<>();
                tx.write(payloadFor(i), to, failure -> complete(f, failure));
                done.add(f);
                if (i % 64 == 63) {
                    tx.flush();
                    // UDP has no flow control: pace on what the receiver has taken in, so that a
                    // busy machine cannot overflow its socket buffer and the test checks Salvo, not load.
                    awaitBacklogBelow(rx, i + 1, 512);
                }
            }
            tx.flush();
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
            List<ReceivedDatagram> got = rx.take(n);
            for (int i = 0; i < n; i++) {
                assertArrayEquals(payloadFor(i).array(), got.get(i).bytes(), "datagram " + i);
            }
        }
    }

    static void awaitBacklogBelow(Receiver rx, int sent, int backlog) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (sent - rx.received.size() > backlog && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }

    static ByteBuffer payloadFor(int i) {
        ByteBuffer b = ByteBuffer.allocate(16 + i % 200);
        b.putInt(i);
        while (b.hasRemaining()) {
            b.put((byte) (i * 31 + b.position()));
        }
        return b.flip();
    }

    static void complete(CompletableFuture<Void> f, Throwable failure) {
        if (failure == null) {
            f.complete(null);
        } else {
            f.completeExceptionally(failure);
        }
    }

    @Test
    void tenMebibyteDatagramFailsAloneWhileNeighboursArrive() throws Exception {
        try (Receiver rx = new Receiver(group, V4_ANY_PORT)) {
            DatagramChannel tx = sender();
            CompletableFuture<Void> before = new CompletableFuture<>();
            CompletableFuture<Void> huge = new CompletableFuture<>();
            CompletableFuture<Void> after = new CompletableFuture<>();
            tx.write(text("before"), rx.address(), f -> complete(before, f));
            tx.write(ByteBuffer.allocate(10 << 20), rx.address(), f -> complete(huge, f));
            tx.write(text("after"), rx.address(), f -> complete(after, f));
            tx.flush();
            await(before);
            assertInstanceOf(DatagramTooLargeException.class, failureOf(huge));
            await(after);
            assertEquals("before", text(rx.take()));
            assertEquals("after", text(rx.take()));
            assertTrue(tx.isOpen());
        }
    }

    @Test
    void waterMarksFlipWritabilityOnceEachWay() throws Exception {
        List<Boolean> events = new CopyOnWriteArrayList<>();
        try (Receiver rx = new Receiver(group, V4_ANY_PORT)) {
            DatagramChannel tx = DatagramChannel.builder(group)
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WaterMark(1, 1024))
                    .handler(new ChannelHandler() {
                        @Override
                        public void onDatagram(DatagramChannel channel, InboundDatagram datagram) {
                        }

                        @Override
                        public void onWritabilityChanged(DatagramChannel channel, boolean writable) {
                            events.add(writable);
                        }
                    })
                    .bind(V4_ANY_PORT);
            List<Boolean> writableAfterEach = onLoop(tx, () -> {
                List<Boolean> w = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    tx.write(ByteBuffer.allocate(256), rx.address());
                    w.add(tx.isWritable());
                }
                return w;
            });
            assertEquals(List.of(true, true, true, true, false), writableAfterEach);
            assertEquals(List.of(false), events);
            onLoop(tx, () -> {
                tx.flush();
                return null;
            });
            rx.take(5);
            assertTrue(tx.isWritable());
            assertEquals(List.of(false, true), events);
        }
    }

    @Test
    void flushFromInsideWritabilityListenerSendsEverything() throws Exception {
        try (Receiver rx = new Receiver(group, V4_ANY_PORT)) {
            AtomicInteger flushesFromListener = new AtomicInteger();
            DatagramChannel tx = DatagramChannel.builder(group)
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WaterMark(1, 1024))
                    .handler(new ChannelHandler() {
                        @Override
                        public void onDatagram(DatagramChannel channel, InboundDatagram datagram) {
                        }

                        @Override
                        public void onWritabilityChanged(DatagramChannel channel, boolean writable) {
                            if (!writable) {
                                flushesFromListener.incrementAndGet();
                                channel.flush();
                            }
                        }
                    })
                    .bind(V4_ANY_PORT);
            onLoop(tx, () -> {
                for (int i = 0; i < 5; i++) {
                    tx.write(ByteBuffer.allocate(256), rx.address());
                }
                return null;
            });
            assertEquals(5, rx.take(5).size());
            assertEquals(1, flushesFromListener.get());
            assertTrue(tx.isWritable());
        }
    }

    @Test
    void oneFlushOf1025WritesCompletesThemAll() throws Exception {
        try (Receiver rx = new Receiver(group, V4_ANY_PORT)) {
            DatagramChannel tx = sender();
            List<CompletableFuture<Void>> done = new ArrayList<>();
            onLoop(tx, () -> {
                for (int i = 0; i < 1025; i++) {
                    CompletableFuture<Void> f = new CompletableFuture<>();
                    tx.write(payloadFor(i), rx.address(), failure -> complete(f, failure));
                    done.add(f);
                }
                tx.flush();
                return null;
            });
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
            assertEquals(1025, rx.take(1025).size());
        }
    }

    @Test
    void closeFailsPendingWritesInQueueOrder() throws Exception {
        DatagramChannel tx = sender();
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        SocketAddress nowhere = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);
        onLoop(tx, () -> {
            for (int i = 0; i < 10; i++) {
                int id = i;
                tx.write(text("x"), nowhere, failure -> {
                    order.add(id);
                    failures.add(failure);
                });
            }
            return null;
        });
        await(tx.close());
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), order);
        failures.forEach(f -> assertInstanceOf(ChannelClosedException.class, f));
        assertFalse(tx.isOpen());
    }

    @Test
    void writeAfterCloseFailsAtOnce() throws Exception {
        DatagramChannel tx = sender();
        await(tx.close());
        Throwable t = failureOf(tx.writeAndFlush(OutboundDatagram.of(text("late"), V4_ANY_PORT)));
        assertInstanceOf(ChannelClosedException.class, t);
        await(tx.close()); // double close is harmless
    }

    @Test
    void writeWithoutDestinationOnUnconnectedChannelFails() throws Exception {
        DatagramChannel tx = sender();
        Throwable t = failureOf(tx.writeAndFlush(OutboundDatagram.of(text("where?"))));
        assertInstanceOf(NotConnectedException.class, t);
        assertTrue(tx.isOpen());
    }

    @Test
    void connectedChannelSendsWithoutDestinationAndRefusesOtherDestinations() throws Exception {
        try (Receiver rx = new Receiver(group, V4_ANY_PORT); Receiver other = new Receiver(group, V4_ANY_PORT)) {
            DatagramChannel tx = DatagramChannel.builder(group).connect(rx.address());
            assertEquals(rx.address(), tx.remoteAddress());
            await(tx.writeAndFlush(OutboundDatagram.of(text("to peer"))));
            await(tx.writeAndFlush(OutboundDatagram.of(text("explicit"), rx.address())));
            Throwable t = failureOf(tx.writeAndFlush(OutboundDatagram.of(text("elsewhere"), other.address())));
            assertInstanceOf(AddressMismatchException.class, t);
            assertEquals("to peer", text(rx.take()));
            assertEquals("explicit", text(rx.take()));
            assertTrue(tx.isOpen());
        }
    }

    @Test
    void ipv6DestinationOnIpv4SocketFailsThatWriteOnly() throws Exception {
        try (Receiver rx = new Receiver(group, V4_ANY_PORT)) {
            DatagramChannel tx = sender();
            Throwable t = failureOf(tx.writeAndFlush(
                    OutboundDatagram.of(text("v6"), new InetSocketAddress(InetAddress.getByName("::1"), 9))));
            assertInstanceOf(UnsupportedAddressException.class, t);
            await(tx.writeAndFlush(OutboundDatagram.of(text("still fine"), rx.address())));
            assertEquals("still fine", text(rx.take()));
        }
    }

    @Test
    void refusedPeerIsReportedAndChannelStaysOpen() throws Exception {
        Receiver peer = new Receiver(group, V4_ANY_PORT);
        SocketAddress peerAddress = peer.address();
        peer.close();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        DatagramChannel tx = DatagramChannel.builder(group)
                .handler(new ChannelHandler() {
                    @Override
                    public void onDatagram(DatagramChannel channel, InboundDatagram datagram) {
                    }

                    @Override
                    public void onError(DatagramChannel channel, Throwable error) {
                        errors.add(error);
                    }
                })
                .connect(peerAddress);
        List<Throwable> writeFailures = new CopyOnWriteArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (errors.isEmpty() && writeFailures.isEmpty() && System.nanoTime() < deadline) {
            try {
                await(tx.writeAndFlush(OutboundDatagram.of(text("anyone?"))));
            } catch (ExecutionException e) {
                writeFailures.add(e.getCause());
            }
            Thread.sleep(20);
        }
        List<Throwable> all = new ArrayList<>(errors);
        all.addAll(writeFailures);
        assertFalse(all.isEmpty(), "the refusal was reported");
        assertInstanceOf(ConnectionRefusedException.class, all.get(0));
        assertTrue(tx.isOpen());
    }

    @Test
    void fourThreadsWritingFromOutsideTheLoopKeepPerThreadOrderAndCompleteOnce() throws Exception {
        int threads = 4;
        int perThread = 50_000;
        DatagramChannel tx = sender();
        // A sink that is never read: the kernel drops what does not fit, the sends still succeed.
        DatagramChannel sink = DatagramChannel.builder(group).bind(V4_ANY_PORT);
        SocketAddress to = sink.localAddress();
        AtomicIntegerArray completions = new AtomicIntegerArray(threads * perThread);
        int[] lastSeen = new int[threads];
        java.util.Arrays.fill(lastSeen, -1);
        AtomicInteger orderViolations = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        CountDownLatch allDone = new CountDownLatch(threads * perThread);
        ByteBuffer payload = ByteBuffer.allocateDirect(32);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            workers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perThread; i++) {
                    int seq = i;
                    tx.write(payload.duplicate(), to, failure -> {
                        // Completions run on the loop thread, so lastSeen needs no locking.
                        if (completions.incrementAndGet(thread * perThread + seq) != 1) {
                            orderViolations.incrementAndGet();
                        }
                        if (lastSeen[thread] != seq - 1) {
                            orderViolations.incrementAndGet();
                        }
                        lastSeen[thread] = seq;
                        if (failure != null) {
                            failures.incrementAndGet();
                        }
                        allDone.countDown();
                    });
                    if (i % 32 == 31) {
                        tx.flush();
                    }
                }
                tx.flush();
            }));
        }
        for (Thread w : workers) {
            w.join();
        }
        assertTrue(allDone.await(60, TimeUnit.SECONDS), "every completion fired");
        assertEquals(0, orderViolations.get());
        assertEquals(0, failures.get());
        for (int i = 0; i < completions.length(); i++) {
            assertEquals(1, completions.get(i));
        }
    }

    @Test
    void invalidOptionValuesAreRejectedWithTheirName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DatagramChannel.builder(group).option(ChannelOption.READ_BATCH_SIZE, 0));
        assertTrue(e.getMessage().contains("READ_BATCH_SIZE"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new WaterMark(10, 5));
    }

    @Test
    void groupShutdownClosesChannelsAndFailsTheirPendingWrites() throws Exception {
        DatagramChannel tx = sender();
        CompletableFuture<Void> pending = new CompletableFuture<>();
        onLoop(tx, () -> {
            tx.write(text("never flushed"), V4_ANY_PORT, f -> complete(pending, f));
            return null;
        });
        group.shutdownGracefully().get(20, TimeUnit.SECONDS);
        assertInstanceOf(ChannelClosedException.class, failureOf(pending));
        assertTrue(tx.closeFuture().isDone());
        Throwable late = failureOf(tx.writeAndFlush(OutboundDatagram.of(text("late"), V4_ANY_PORT)));
        assertInstanceOf(ChannelClosedException.class, late);
        assertThrows(IllegalStateException.class, this::sender);
    }

    @Test
    void getOptionReturnsWhatWasSet() throws Exception {
        DatagramChannel tx = DatagramChannel.builder(group)
                .option(ChannelOption.READ_BATCH_SIZE, 32)
                .option(ChannelOption.WRITE_SPIN_COUNT, 3)
                .bind(V4_ANY_PORT);
        assertEquals(32, tx.getOption(ChannelOption.READ_BATCH_SIZE));
        assertEquals(3, tx.getOption(ChannelOption.WRITE_SPIN_COUNT));
        tx.setOption(ChannelOption.SO_RCVBUF, 1 << 20);
        assertTrue(tx.getOption(ChannelOption.SO_RCVBUF) >= 1 << 20);
        assertNull(tx.remoteAddress());
    }

    /** Runs {@code body} on the channel's loop and returns its result. */
    static <T> T onLoop(DatagramChannel ch, java.util.concurrent.Callable<T> body) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        ch.eventLoop().execute(() -> {
            try {
                f.complete(body.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        try {
            return f.get(20, TimeUnit.SECONDS);
        } catch (CompletionException | ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }
}
