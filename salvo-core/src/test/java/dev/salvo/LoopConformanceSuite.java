package dev.salvo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The event loop as a runtime, on every transport: timers (order, never early, cancel, re-arm,
 * fixed rate, calls from other threads, shutdown). Each concrete subclass names the transport.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class LoopConformanceSuite {
    EventLoopGroup group;
    EventLoop loop;

    abstract TransportType transport();

    @BeforeEach
    void startGroup() {
        group = EventLoopGroup.create(1, transport());
        loop = group.next();
    }

    @AfterEach
    void stopGroup() {
        group.close();
    }

    /** Runs {@code body} on the loop thread and returns its result. */
    <T> T onLoop(Supplier<T> body) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                f.complete(body.get());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f.get(20, TimeUnit.SECONDS);
    }

    @Test
    void timerFiresOnceOnTheLoopThreadAndNeverEarly() throws Exception {
        CountDownLatch fired = new CountDownLatch(1);
        AtomicLong firedAt = new AtomicLong();
        AtomicInteger runs = new AtomicInteger();
        List<Boolean> onLoop = new CopyOnWriteArrayList<>();
        long armedAt = System.nanoTime();
        LoopTimer t = loop.schedule(() -> {
            firedAt.set(System.nanoTime());
            onLoop.add(loop.inEventLoop());
            runs.incrementAndGet();
            fired.countDown();
        }, 30, TimeUnit.MILLISECONDS);
        assertTrue(fired.await(20, TimeUnit.SECONDS));
        assertTrue(firedAt.get() - armedAt >= TimeUnit.MILLISECONDS.toNanos(30),
                "fired " + (firedAt.get() - armedAt) + " ns after arming a 30 ms timer");
        assertEquals(List.of(true), onLoop);
        assertFalse(onLoop(t::isScheduled), "a fired one-shot timer is no longer scheduled");
        assertEquals(Long.MIN_VALUE, (long) onLoop(t::deadlineNanos));
        Thread.sleep(50);
        assertEquals(1, runs.get(), "a one-shot timer fires once");
        assertEquals(loop, t.eventLoop());
    }

    @Test
    void timersFireInDeadlineOrderWithTiesInArmingOrder() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(5);
        onLoop(() -> {
            long base = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(40);
            for (String name : List.of("late", "tie1", "tie2", "first", "tie3")) {
                long deadline = switch (name) {
                    case "late" -> base + TimeUnit.MILLISECONDS.toNanos(30);
                    case "first" -> base - TimeUnit.MILLISECONDS.toNanos(20);
                    default -> base;
                };
                loop.newTimer(() -> {
                    order.add(name);
                    all.countDown();
                }).scheduleAt(deadline);
            }
            return null;
        });
        assertTrue(all.await(20, TimeUnit.SECONDS));
        assertEquals(List.of("first", "tie1", "tie2", "tie3", "late"), order);
    }

    @Test
    void cancelledTimerNeverFiresAndReportsWhetherItWasArmed() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        LoopTimer t = loop.newTimer(runs::incrementAndGet);
        assertFalse(onLoop(t::cancel), "an unarmed timer was not armed");
        assertTrue(onLoop(() -> {
            t.schedule(20, TimeUnit.MILLISECONDS);
            return t.isScheduled() && t.cancel() && !t.isScheduled() && !t.cancel();
        }));
        Thread.sleep(80);
        assertEquals(0, runs.get());
    }

    @Test
    void reArmingReplacesTheDeadlineAndAFiredTimerCanBeArmedAgain() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch second = new CountDownLatch(2);
        LoopTimer t = loop.newTimer(() -> {
            runs.incrementAndGet();
            first.countDown();
            second.countDown();
        });
        long armedAt = System.nanoTime();
        onLoop(() -> {
            t.schedule(1, TimeUnit.HOURS);
            t.schedule(20, TimeUnit.MILLISECONDS); // pulled in
            return null;
        });
        assertTrue(first.await(20, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - armedAt >= TimeUnit.MILLISECONDS.toNanos(20));
        onLoop(() -> {
            t.schedule(10, TimeUnit.MILLISECONDS);
            t.schedule(1, TimeUnit.HOURS);         // pushed back
            t.schedule(30, TimeUnit.MILLISECONDS); // and in again
            return null;
        });
        assertTrue(second.await(20, TimeUnit.SECONDS));
        Thread.sleep(60);
        assertEquals(2, runs.get(), "each arming fires once, whatever re-arms came between");
    }

    @Test
    void fixedRateRunsEveryPeriodAfterTheFirstDeadlineUntilCancelled() throws Exception {
        long period = TimeUnit.MILLISECONDS.toNanos(15);
        long start = System.nanoTime();
        List<Long> runTimes = new CopyOnWriteArrayList<>();
        CountDownLatch five = new CountDownLatch(5);
        LoopTimer[] self = new LoopTimer[1];
        self[0] = loop.scheduleAtFixedRate(() -> {
            runTimes.add(System.nanoTime());
            five.countDown();
            if (runTimes.size() == 5) {
                self[0].cancel();
            }
        }, 10, 15, TimeUnit.MILLISECONDS);
        assertTrue(five.await(20, TimeUnit.SECONDS));
        Thread.sleep(80);
        assertEquals(5, runTimes.size(), "cancel from the task stops the repetition");
        long firstDeadline = self[0].eventLoop() == loop ? start + TimeUnit.MILLISECONDS.toNanos(10) : 0;
        for (int k = 0; k < 5; k++) {
            assertTrue(runTimes.get(k) >= firstDeadline + k * period, "run " + k + " was early");
        }
        assertThrows(IllegalArgumentException.class, () -> loop.scheduleAtFixedRate(() -> { }, 0, 0, TimeUnit.SECONDS));
    }

    @Test
    void reArmingAFixedRateTimerMakesItFireOnce() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        LoopTimer t = loop.scheduleAtFixedRate(runs::incrementAndGet, 1, 1, TimeUnit.HOURS);
        t.schedule(5, TimeUnit.MILLISECONDS); // from this thread: handed over
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (runs.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        Thread.sleep(60);
        assertEquals(1, runs.get());
        assertFalse(onLoop(t::isScheduled), "no repetition after the re-arm");
    }

    @Test
    void aThrowingTaskDoesNotStopTheLoopOrItsFixedRate() throws Exception {
        CountDownLatch three = new CountDownLatch(3);
        LoopTimer t = loop.scheduleAtFixedRate(() -> {
            three.countDown();
            throw new IllegalStateException("expected by the test");
        }, 0, 5, TimeUnit.MILLISECONDS);
        assertTrue(three.await(20, TimeUnit.SECONDS));
        assertTrue(onLoop(t::cancel));
        assertEquals("alive", onLoop(() -> "alive"));
    }

    @Test
    void aTimerThatReArmsWithNoDelayDoesNotStarveTasks() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        LoopTimer[] self = new LoopTimer[1];
        self[0] = loop.newTimer(() -> {
            runs.incrementAndGet();
            self[0].schedule(0, TimeUnit.NANOSECONDS);
        });
        onLoop(() -> {
            self[0].schedule(0, TimeUnit.NANOSECONDS);
            return null;
        });
        Thread.sleep(20);
        assertEquals("tasks still run", onLoop(() -> "tasks still run"));
        assertTrue(onLoop(self[0]::cancel));
        assertTrue(runs.get() > 1);
    }

    @Test
    void callsFromAnotherThreadTakeEffectInCallOrder() throws Exception {
        // Same deadline, armed from this thread one after the other: ties go in call order.
        List<Integer> order = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(20);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(30);
        for (int i = 0; i < 20; i++) {
            int id = i;
            loop.newTimer(() -> {
                order.add(id);
                all.countDown();
            }).scheduleAt(deadline);
        }
        // Arm, cancel, re-arm, cancel: the last call wins; and cancel reports this thread's view.
        AtomicInteger cancelledRuns = new AtomicInteger();
        LoopTimer cancelled = loop.newTimer(cancelledRuns::incrementAndGet);
        cancelled.schedule(1, TimeUnit.HOURS);
        assertTrue(cancelled.isScheduled());
        assertTrue(cancelled.cancel());
        cancelled.schedule(5, TimeUnit.MILLISECONDS);
        assertTrue(cancelled.cancel());
        assertFalse(cancelled.isScheduled());
        assertFalse(cancelled.cancel());
        assertTrue(all.await(20, TimeUnit.SECONDS));
        assertEquals(java.util.stream.IntStream.range(0, 20).boxed().toList(), order);
        Thread.sleep(40);
        assertEquals(0, cancelledRuns.get());
        // A deadline set from here is what this thread reads back, and the loop agrees once it applied it.
        LoopTimer later = loop.newTimer(() -> { });
        long far = System.nanoTime() + TimeUnit.HOURS.toNanos(1);
        later.scheduleAt(far);
        assertEquals(far, later.deadlineNanos());
        assertEquals(far, (long) onLoop(later::deadlineNanos));
        assertEquals(far, later.deadlineNanos());
        assertTrue(later.cancel());
    }

    @Test
    void cancelFromAnotherThreadAnswersRightWhileTheLoopAppliesEarlierCalls() {
        // The loop applies each hand-over while this thread keeps calling: every answer must follow
        // from this thread's own calls, whichever point of the hand-over the loop is at (bounded).
        LoopTimer timer = loop.newTimer(() -> { });
        for (int i = 0; i < 20_000; i++) {
            timer.schedule(1, TimeUnit.HOURS);
            assertTrue(timer.isScheduled(), "armed, iteration " + i);
            assertTrue(timer.cancel(), "cancel after an arm, iteration " + i);
            assertFalse(timer.cancel(), "second cancel, iteration " + i);
            assertFalse(timer.isScheduled(), "cancelled, iteration " + i);
        }
    }

    @Test
    void armingOnTheLoopAllocatesNothing() throws Exception {
        long[] result = onLoop(() -> {
            LoopTimer[] timers = new LoopTimer[64];
            for (int i = 0; i < timers.length; i++) {
                timers[i] = loop.newTimer(() -> { });
            }
            long[] r = new long[2];
            for (int round = 0; round < 4; round++) { // the last rounds run compiled code
                long before = allocatedBytes();
                long baseline = allocatedBytes() - before; // what measuring itself costs
                before = allocatedBytes();
                for (int i = 0; i < 50_000; i++) {
                    LoopTimer t = timers[i & 63];
                    t.schedule(1 + (i % 1000), TimeUnit.SECONDS);
                    if ((i & 3) == 0) {
                        t.cancel();
                    }
                }
                r[0] = allocatedBytes() - before;
                r[1] = baseline;
            }
            for (LoopTimer t : timers) {
                t.cancel();
            }
            return r;
        });
        assertTrue(result[0] - result[1] < 1024, "50,000 re-arms and 12,500 cancels on the loop thread allocated "
                + result[0] + " bytes (measuring alone: " + result[1] + ")");
    }

    /** Through reflection: the test classes are compiled into the module, which does not read java.management. */
    static long allocatedBytes() {
        try {
            Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            return (long) Class.forName("com.sun.management.ThreadMXBean")
                    .getMethod("getCurrentThreadAllocatedBytes").invoke(bean);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void timersAreRefusedAfterShutdownAndPendingOnesAreDropped() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        LoopTimer pending = loop.schedule(runs::incrementAndGet, 200, TimeUnit.MILLISECONDS);
        LoopTimer fromLoop = onLoop(() -> loop.schedule(runs::incrementAndGet, 200, TimeUnit.MILLISECONDS));
        group.shutdownGracefully().get(20, TimeUnit.SECONDS);
        assertThrows(RejectedExecutionException.class, () -> pending.schedule(1, TimeUnit.MILLISECONDS));
        assertThrows(RejectedExecutionException.class, () -> loop.schedule(() -> { }, 1, TimeUnit.MILLISECONDS));
        assertThrows(RejectedExecutionException.class,
                () -> loop.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.MILLISECONDS));
        assertFalse(pending.isScheduled(), "dropped at shutdown");
        assertFalse(fromLoop.isScheduled(), "dropped at shutdown");
        Thread.sleep(300);
        assertEquals(0, runs.get(), "a timer pending at shutdown never fires");
    }

    // ---- busy sockets ----

    /** Binds a channel that logs "tag:payload" to {@code log}, reading at most {@code budget} datagrams per turn. */
    DatagramChannel logging(String tag, List<String> log, int budget) throws java.io.IOException {
        return DatagramChannel.builder(group)
                .option(ChannelOption.READ_BATCH_SIZE, 8)
                .option(ChannelOption.READ_BUDGET, budget)
                .option(ChannelOption.SO_RCVBUF, 4 << 20)
                .handler((ch, d) -> log.add(tag + ":" + new String(d.copy().bytes(), java.nio.charset.StandardCharsets.UTF_8)))
                .bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
    }

    @Test
    void aBusyChannelIsReadToTheEndInOrderWhileItsLoopServesTheOthersAndItsTimers() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        DatagramChannel busy = logging("b", log, 16);
        DatagramChannel quiet = logging("q", log, 16);
        AtomicInteger busyAtTimer = new AtomicInteger(-1);
        try (java.net.DatagramSocket tx = new java.net.DatagramSocket(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0))) {
            // Hold the loop so that everything below is queued in the kernel when it next polls.
            CountDownLatch release = dev.salvo.reliability.Await.holdLoop(loop);
            int burst = 1_000;
            for (int i = 0; i < burst; i++) {
                byte[] b = Integer.toString(i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                tx.send(new java.net.DatagramPacket(b, b.length, busy.localAddress()));
            }
            for (int i = 0; i < 3; i++) {
                byte[] b = Integer.toString(i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                tx.send(new java.net.DatagramPacket(b, b.length, quiet.localAddress()));
            }
            loop.schedule(() -> busyAtTimer.set((int) log.stream().filter(s -> s.startsWith("b:")).count()),
                    0, TimeUnit.MILLISECONDS);
            release.countDown();

            long drops = Math.max(0, busy.kernelDrops());
            awaitCount(log, (int) (burst - drops) + 3);
            List<String> fromBusy = log.stream().filter(s -> s.startsWith("b:")).toList();
            List<Integer> order = fromBusy.stream().map(s -> Integer.parseInt(s.substring(2))).toList();
            assertEquals(order.stream().sorted().toList(), order, "in order");
            assertEquals(burst - drops, order.size(), "each datagram once, none lost but the kernel's drops");
            int lastBusy = log.lastIndexOf(fromBusy.getLast());
            assertTrue(log.indexOf("q:2") < lastBusy,
                    "the other channel is read while the busy one still has datagrams, not after: " + log.indexOf("q:2"));
            assertTrue(busyAtTimer.get() >= 0 && busyAtTimer.get() < fromBusy.size(),
                    "a due timer fires between the busy channel's turns: after " + busyAtTimer.get());

            // Drained, the busy socket is watched again: a datagram after a quiet spell still arrives.
            Thread.sleep(50);
            byte[] late = "late".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            tx.send(new java.net.DatagramPacket(late, late.length, busy.localAddress()));
            awaitCount(log, (int) (burst - drops) + 4);
            assertEquals("b:late", log.getLast());
        } finally {
            busy.close().join();
            quiet.close().join();
        }
    }

    // ---- read pause ----

    /** A channel that counts and copies what it receives, opened paused or not. */
    static final class Counting implements AutoCloseable {
        final DatagramChannel channel;
        final List<String> received = new CopyOnWriteArrayList<>();
        final AtomicInteger readCompletes = new AtomicInteger();

        Counting(EventLoopGroup group, boolean autoRead, int batchSize) throws java.io.IOException {
            channel = DatagramChannel.builder(group)
                    .option(ChannelOption.AUTO_READ, autoRead)
                    .option(ChannelOption.READ_BATCH_SIZE, batchSize)
                    .option(ChannelOption.SO_RCVBUF, 1 << 20)
                    .handler(new ChannelHandler() {
                        @Override
                        public void onDatagram(DatagramChannel ch, InboundDatagram d) {
                            received.add(new String(d.copy().bytes(), java.nio.charset.StandardCharsets.UTF_8));
                        }

                        @Override
                        public void onReadComplete(DatagramChannel ch) {
                            readCompletes.incrementAndGet();
                        }
                    })
                    .bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
        }

        @Override
        public void close() {
            channel.close().join();
        }
    }

    /** Sends {@code n} numbered datagrams and waits until the kernel took them (on loopback: queued at the receiver). */
    void send(java.net.SocketAddress to, int from, int n) throws Exception {
        DatagramChannel tx = DatagramChannel.builder(group)
                .bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
        try {
            CompletableFuture<Void> last = null;
            for (int i = from; i < from + n; i++) {
                last = tx.writeAndFlush(OutboundDatagram.of(
                        java.nio.ByteBuffer.wrap(Integer.toString(i).getBytes(java.nio.charset.StandardCharsets.UTF_8)), to));
            }
            last.get(20, TimeUnit.SECONDS);
        } finally {
            tx.close().join();
        }
    }

    static List<String> numbers(int from, int n) {
        return java.util.stream.IntStream.range(from, from + n).mapToObj(Integer::toString).toList();
    }

    static void awaitCount(List<?> list, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (list.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertEquals(n, list.size(), "datagrams delivered");
    }

    @Test
    void pausedChannelDeliversNothingAndResumeDeliversEverythingQueued() throws Exception {
        try (Counting rx = new Counting(group, true, 64)) {
            send(rx.channel.localAddress(), 0, 3);
            awaitCount(rx.received, 3);
            rx.channel.setAutoRead(false);
            assertFalse(rx.channel.isAutoRead());
            assertFalse(rx.channel.getOption(ChannelOption.AUTO_READ));
            send(rx.channel.localAddress(), 3, 200);
            Thread.sleep(100);
            assertEquals(3, rx.received.size(), "nothing is delivered while paused");
            assertEquals(3, rx.channel.datagramsRead());
            rx.channel.setAutoRead(true);
            assertTrue(rx.channel.isAutoRead());
            awaitCount(rx.received, 203);
            assertEquals(numbers(0, 203), rx.received, "everything queued arrives on resume, in order");
        }
    }

    @Test
    void channelOpenedWithAutoReadOffStartsPaused() throws Exception {
        try (Counting rx = new Counting(group, false, 64)) {
            assertFalse(rx.channel.isAutoRead());
            send(rx.channel.localAddress(), 0, 10);
            Thread.sleep(100);
            assertEquals(List.of(), rx.received);
            rx.channel.setOption(ChannelOption.AUTO_READ, true);
            awaitCount(rx.received, 10);
            assertEquals(numbers(0, 10), rx.received);
        }
    }

    @Test
    void readWhilePausedDeliversOneBatch() throws Exception {
        try (Counting rx = new Counting(group, false, 8)) {
            send(rx.channel.localAddress(), 0, 20);
            rx.channel.read();
            awaitCount(rx.received, 8);
            Thread.sleep(100);
            assertEquals(numbers(0, 8), rx.received, "one read() is one batch of READ_BATCH_SIZE");
            assertEquals(1, rx.readCompletes.get());
            rx.channel.read();
            awaitCount(rx.received, 16);
            Thread.sleep(50);
            assertEquals(16, rx.received.size());
            onLoop(() -> {
                rx.channel.read(); // on the loop thread too
                return null;
            });
            awaitCount(rx.received, 20);
            assertEquals(numbers(0, 20), rx.received);
            assertFalse(rx.channel.isAutoRead(), "read() does not resume");
        }
    }

    @Test
    void readWithNothingQueuedDeliversTheNextBatchWhenItArrives() throws Exception {
        try (Counting rx = new Counting(group, false, 4)) {
            rx.channel.read();
            Thread.sleep(50);
            send(rx.channel.localAddress(), 0, 10);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (rx.received.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            Thread.sleep(100);
            // One batch: what the first read after arrival found, 1 to 4 datagrams; then paused again.
            int n = rx.received.size();
            assertTrue(n >= 1 && n <= 4, n + " datagrams delivered");
            assertEquals(numbers(0, n), rx.received);
            assertEquals(1, rx.readCompletes.get());
        }
    }

    // ---- close releases the socket ----

    @Test
    void closeReleasesThePortBeforeItsFutureCompletes() throws Exception {
        java.net.InetSocketAddress any = new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0);
        DatagramChannel first = DatagramChannel.builder(group).bind(any);
        java.net.SocketAddress port = first.localAddress();
        first.close().get(20, TimeUnit.SECONDS);
        for (int i = 0; i < 50; i++) {
            DatagramChannel again = DatagramChannel.builder(group).bind(port); // "address in use" if not released
            assertEquals(port, again.localAddress());
            if (i % 2 == 0) {
                again.close().get(20, TimeUnit.SECONDS);
            } else {
                CompletableFuture<Void> closed = onLoop(again::close); // closed from the loop thread
                assertTrue(closed.isDone());
            }
        }
        // And the port works for whoever binds it next: a datagram sent to it arrives.
        List<String> got = new CopyOnWriteArrayList<>();
        DatagramChannel last = DatagramChannel.builder(group)
                .handler((ch, d) -> got.add("x")).bind(port);
        try {
            send(port, 0, 1);
            awaitCount(got, 1);
        } finally {
            last.close().join();
        }
    }

    // ---- one port, every loop ----

    @Test
    void reusePortGroupSpreadsManySendersOverItsLoopsAndCloseReleasesThePort() throws Exception {
        int senders = 40;
        int each = 5;
        try (EventLoopGroup two = EventLoopGroup.create(2, transport())) {
            List<String> all = new CopyOnWriteArrayList<>();
            ReusePortGroup server = DatagramChannel.builder(two)
                    .handler((ch, d) -> {
                        String s = new String(d.copy().bytes(), java.nio.charset.StandardCharsets.UTF_8);
                        all.add(s);
                    })
                    .bindReusePort(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
            java.net.InetSocketAddress address = (java.net.InetSocketAddress) server.localAddress();
            assertTrue(address.getPort() > 0, "port 0 resolved once");
            assertEquals(2, server.channels().size());
            for (DatagramChannel ch : server.channels()) {
                assertEquals(address, ch.localAddress(), "every channel on the one address");
                assertTrue(ch.getOption(ChannelOption.SO_REUSEPORT));
            }
            assertTrue(server.channels().get(0).eventLoop() != server.channels().get(1).eventLoop(), "one per loop");
            for (int s = 0; s < senders; s++) {
                try (java.net.DatagramSocket tx = new java.net.DatagramSocket(
                        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0))) {
                    for (int k = 0; k < each; k++) {
                        byte[] b = (s + "." + k).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                        tx.send(new java.net.DatagramPacket(b, b.length, address));
                    }
                }
            }
            awaitCount(all, senders * each);
            long first = server.channels().get(0).stats().datagramsRead();
            long second = server.channels().get(1).stats().datagramsRead();
            assertEquals(senders * each, first + second);
            assertEquals(senders * each, server.stats().datagramsRead(), "summed stats");
            assertTrue(first > 0 && second > 0, "spread over both channels: " + first + " and " + second);
            server.close().get(20, TimeUnit.SECONDS);
            assertTrue(server.channels().stream().noneMatch(DatagramChannel::isOpen));
            try (java.net.DatagramSocket plain = new java.net.DatagramSocket(address)) { // no SO_REUSEPORT
                assertEquals(address.getPort(), plain.getLocalPort(), "close released the port");
            }
        }
    }
}
