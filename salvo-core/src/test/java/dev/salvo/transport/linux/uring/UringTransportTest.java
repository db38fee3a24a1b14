package dev.salvo.transport.linux.uring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.salvo.EventLoopGroup;
import dev.salvo.TransportType;
import dev.salvo.channel.Transports;
import dev.salvo.read.ReadSink;
import dev.salvo.transport.AddressFamily;
import dev.salvo.transport.SocketOps;
import dev.salvo.write.PendingWrite;
import dev.salvo.write.SendOutcome;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The io_uring transport below the channel layer: probe, injected setup failure, the poller's
 * timeout and wake-up, multishot receive past the buffer ring's size, a socket leaving the ring
 * from inside its own read, sends made as ring submissions, and zero-copy sends (the policy,
 * the wait for the notification, the fallback without the opcode). The test thread is the loop
 * thread here (the ring binds to it).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UringTransportTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final ReadSink IGNORE = d -> { };
    private static final int ROUNDS = 12_000;
    /** Sends measured by the allocation test (after as many to warm up). */
    private static final int SENDS = 3_000;

    private UringTransport.Loop loop;

    @BeforeEach
    void open() throws Exception {
        loop = (UringTransport.Loop) UringTransport.INSTANCE.newLoop();
    }

    @AfterEach
    void close() {
        loop.close();
    }

    /** @return a new IPv4 socket on the loopback, registered with the ring as "rx" */
    private UringSocket registeredReceiver() throws Exception {
        UringSocket rx = (UringSocket) loop.openDatagram(AddressFamily.INET);
        rx.bind(LOOPBACK);
        loop.poller.register(rx, "rx");
        return rx;
    }

    /** Sends datagrams 0..count-1, each its number as 4 bytes, from a JDK socket. */
    private static void sendNumbered(int count, SocketOps to) throws Exception {
        try (java.nio.channels.DatagramChannel tx = java.nio.channels.DatagramChannel.open()) {
            for (int i = 0; i < count; i++) {
                tx.send(ByteBuffer.allocate(4).putInt(0, i), to.localAddress());
            }
        }
    }

    @Test
    void probeReportsTheFlagsFeaturesAndOpcodesTheTransportRunsOn() {
        UringSupport s = UringTransport.support();
        assertTrue(s.isAvailable(), () -> "io_uring unavailable: " + s.reason());
        assertTrue(s.featureNames().contains("EXT_ARG"), s.featureNames().toString());
        assertTrue(s.opcodes().containsAll(List.of("RECVMSG", "SENDMSG", "POLL_ADD", "ASYNC_CANCEL")), s.opcodes().toString());
        assertTrue(s.bufferRing());
        assertTrue(s.setupFlagNames().contains("R_DISABLED"), s.setupFlagNames().toString());
        assertEquals(loop.ring.setupFlags, s.setupFlags(), "a loop's ring takes the flags the probe found");
        assertTrue(s.describe().get("io_uring setup flags").contains("R_DISABLED"));
    }

    @Test
    void injectedSetupFailureMakesIoUringFailInOneSentenceWhileAutoStaysOnEpoll() {
        System.setProperty(UringTransport.FAIL_SETUP_PROPERTY, "EPERM");
        try {
            UringSupport s = UringTransport.support();
            assertFalse(s.isAvailable());
            assertTrue(s.reason().startsWith("io_uring_setup failed with EPERM"), s.reason());
            assertTrue(s.reason().contains("kernel.io_uring_disabled"), s.reason());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Transports.resolve(TransportType.IO_URING));
            assertEquals("the io_uring transport is unavailable: " + s.reason(), e.getMessage());
            assertEquals("epoll", Transports.resolve(TransportType.AUTO).name());
            assertThrows(IllegalStateException.class, () -> EventLoopGroup.create(1, TransportType.IO_URING));
            assertThrows(UnsupportedOperationException.class, UringTransport.INSTANCE::newLoop);
        } finally {
            System.clearProperty(UringTransport.FAIL_SETUP_PROPERTY);
        }
        assertTrue(UringTransport.support().isAvailable(), "the injected failure is gone with the property");
        assertEquals("io_uring", Transports.resolve(TransportType.IO_URING).name());
    }

    @Test
    void pollWaitsNoLessThanItsTimeoutWhenNothingHappens() throws Exception {
        long timeout = TimeUnit.MILLISECONDS.toNanos(30);
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            assertEquals(0, loop.poller.poll(timeout, (a, r, w, e) -> { }));
            assertTrue(System.nanoTime() - t0 >= timeout, "poll returned before its timeout");
        }
        assertEquals(0, loop.poller.poll(0, (a, r, w, e) -> { }));
    }

    @Test
    void wakeupFromAnotherThreadEndsAnUnboundedPollAndAnEarlierWakeupTheNextOne() throws Exception {
        loop.poller.poll(0, (a, r, w, e) -> { });
        Thread waker = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException ignored) {
                return;
            }
            loop.poller.wakeup();
        });
        assertEquals(0, loop.poller.poll(-1, (a, r, w, e) -> { }));
        waker.join();
        loop.poller.wakeup();
        long t0 = System.nanoTime();
        loop.poller.poll(TimeUnit.SECONDS.toNanos(20), (a, r, w, e) -> { });
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(20), "the pending wake-up ended the poll");
    }

    @Test
    void aRingHoldsAtMost512KiBOfBuffers() {
        assertEquals(64, UringSocket.buffersFor(2048), "the default datagram size: 64 buffers");
        assertEquals(8, UringSocket.buffersFor(65_535), "GRO's 64 KiB messages: 8");
        assertEquals(32, UringSocket.buffersFor(9000));
        assertEquals(64, UringSocket.buffersFor(1));
    }

    @Test
    void moreDatagramsThanBuffersAllArriveInOrderAfterTheReceiveIsArmedAgain() throws Exception {
        moreDatagramsThanBuffers(false);
    }

    @Test
    void aGroSocketsSmallRingRunsDryAndEveryDatagramStillArrivesInOrder() throws Exception {
        moreDatagramsThanBuffers(true);
    }

    private void moreDatagramsThanBuffers(boolean gro) throws Exception {
        UringSocket rx = (UringSocket) loop.openDatagram(AddressFamily.INET);
        rx.setOption(dev.salvo.ChannelOption.SO_RCVBUF, 1 << 20);
        if (gro) {
            rx.setOption(dev.salvo.ChannelOption.UDP_GRO, true);
        }
        rx.bind(LOOPBACK);
        loop.poller.register(rx, "rx");
        assertEquals(gro ? 8 : UringSocket.BUFFERS, rx.buffers.entries, "buffers in the ring");
        int total = rx.buffers.entries * 3;
        sendNumbered(total, rx);
        // Not reading: the ring runs out of buffers and the kernel ends the multishot receive.
        for (int i = 0; i < 200 && rx.bufferShortages() == 0; i++) {
            loop.poller.poll(TimeUnit.MILLISECONDS.toNanos(5), (a, r, w, e) -> { });
        }
        assertTrue(rx.bufferShortages() > 0, "the buffer ring ran dry");
        List<Integer> got = new ArrayList<>();
        ReadSink sink = d -> got.add(d.payload().getInt(d.payload().position()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (got.size() < total && System.nanoTime() < deadline) {
            loop.poller.poll(TimeUnit.MILLISECONDS.toNanos(10), (a, readable, w, e) -> {
                if (readable) {
                    rx.read(sink, 16);
                }
            });
        }
        assertEquals(total, got.size(), "every datagram arrived");
        for (int i = 0; i < total; i++) {
            assertEquals(i, got.get(i), "in order");
        }
        assertTrue(rx.rearms() > 0, "the receive was armed again");
        rx.close();
    }

    @Test
    void aSocketLeavingTheRingFromInsideItsReadDeliversTheRestOfTheBatchSafely() throws Exception {
        UringSocket rx = registeredReceiver();
        sendNumbered(8, rx);
        for (int i = 0; i < 100 && !rx.hasCompletions(); i++) {
            loop.poller.poll(TimeUnit.MILLISECONDS.toNanos(10), (a, r, w, e) -> { });
        }
        List<Integer> got = new ArrayList<>();
        int n = rx.read(d -> {
            got.add(d.payload().getInt(d.payload().position()));
            if (got.size() == 1) {
                loop.poller.deregister(rx);
            }
        }, 64);
        assertTrue(n >= 1 && got.size() == n, "delivered " + got);
        for (int i = 0; i < got.size(); i++) {
            assertEquals(i, got.get(i));
        }
        assertEquals(0, rx.read(IGNORE, 64), "nothing after leaving the ring");
        assertEquals(0, loop.poller.poll(0, (a, r, w, e) -> { }));
        rx.close();
    }

    /**
     * Sends datagrams 0, 1 and 2 (4 bytes each) as a vector of three, the refused one then as a
     * vector of two, the last one then alone; 1 goes to the broadcast address without
     * SO_BROADCAST, which the kernel refuses (EACCES). Asserts what the writer reports each time.
     */
    private static void sendThreeWithTheMiddleOneRefused(UringSocket tx, UringSocket rx) throws Exception {
        InetSocketAddress refused = new InetSocketAddress(InetAddress.getByName("255.255.255.255"), 9);
        PendingWrite[] w = new PendingWrite[3];
        for (int i = 0; i < 3; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(4).putInt(0, i);
            w[i] = PendingWrite.detached().buffer(b, 0, 4).destination(i == 1 ? refused : rx.localAddress());
        }
        SendOutcome out = new SendOutcome();
        tx.writer().writeVector(i -> w[i], 3, out);
        assertTrue(out.isSent() && out.sentCount() == 1, "the head went, the chain stopped at the refusal: " + out);
        out.reset();
        tx.writer().writeVector(i -> w[i + 1], 2, out);
        assertFalse(out.isSent(), "the refused one fails alone: " + out);
        assertEquals(13, out.errno(), "EACCES");
        out.reset();
        tx.writer().writeScalar(w[2], out);
        assertTrue(out.isSent(), out.toString());
    }

    @Test
    void sendsAreRingSubmissionsAndAFailedOneInTheMiddleFailsAloneWithoutTheRestBeingSentTwice() throws Exception {
        UringSocket rx = registeredReceiver();
        UringSocket tx = (UringSocket) loop.openDatagram(AddressFamily.INET);
        tx.setOption(dev.salvo.ChannelOption.GSO_AUTO, false);
        tx.bind(LOOPBACK);
        loop.poller.register(tx, "tx");
        long before = loop.poller.sendSubmissions();
        sendThreeWithTheMiddleOneRefused(tx, rx);
        assertEquals(6, loop.poller.sendSubmissions() - before, "3 + 2 + 1 SENDMSG requests");
        List<Integer> got = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (got.size() < 2 && System.nanoTime() < deadline) {
            loop.poller.poll(TimeUnit.MILLISECONDS.toNanos(10), (a, readable, wr, e) -> {
                if (readable && a.equals("rx")) {
                    rx.read(d -> got.add(d.payload().getInt(d.payload().position())), 64);
                }
            });
        }
        loop.poller.poll(TimeUnit.MILLISECONDS.toNanos(50), (a, readable, wr, e) -> {
            if (readable && a.equals("rx")) {
                rx.read(d -> got.add(d.payload().getInt(d.payload().position())), 64);
            }
        });
        assertEquals(List.of(0, 2), got, "each sent datagram arrived once");
        SocketOps[] both = {tx, rx};
        for (SocketOps s : both) {
            s.close();
        }
    }

    @Test
    void unixDomainDatagramsArriveWithTheirSenderThroughTheRing() throws Exception {
        long pid = ProcessHandle.current().pid();
        dev.salvo.AbstractUnixAddress rxAddress = dev.salvo.AbstractUnixAddress.of("salvo-uring-rx-" + pid);
        dev.salvo.AbstractUnixAddress txAddress = dev.salvo.AbstractUnixAddress.of("salvo-uring-tx-" + pid);
        UringSocket rx = (UringSocket) loop.openDatagram(AddressFamily.UNIX);
        rx.bind(rxAddress);
        loop.poller.register(rx, "rx");
        UringSocket tx = (UringSocket) loop.openDatagram(AddressFamily.UNIX);
        tx.bind(txAddress);
        SendOutcome out = new SendOutcome();
        ByteBuffer b = ByteBuffer.allocateDirect(5).put(0, "hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        tx.writer().writeScalar(PendingWrite.detached().buffer(b, 0, 5).destination(rxAddress), out);
        assertTrue(out.isSent(), out.toString());
        List<String> got = new ArrayList<>();
        List<java.net.SocketAddress> from = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (got.isEmpty() && System.nanoTime() < deadline) {
            loop.poller.poll(TimeUnit.MILLISECONDS.toNanos(10), (a, readable, w, e) -> {
                if (readable) {
                    rx.read(d -> {
                        byte[] bytes = new byte[d.length()];
                        d.payload().duplicate().get(bytes);
                        got.add(new String(bytes, java.nio.charset.StandardCharsets.US_ASCII));
                        from.add(d.sender());
                    }, 64);
                }
            });
        }
        assertEquals(List.of("hello"), got);
        assertEquals(List.of(txAddress), from);
        tx.close();
        rx.close();
    }

    @Test
    void doctorReportsWhatTheProbeFound() {
        java.util.Map<String, String> findings = dev.salvo.SystemReport.probe().findings();
        assertEquals("available", findings.get("io_uring transport"));
        assertEquals(String.join(" ", UringTransport.support().opcodes()), findings.get("io_uring opcodes"));
        assertTrue(findings.containsKey("io_uring setup flags"), findings.keySet().toString());
    }

    @Test
    void receivingAllocatesNothingPerDatagramOnceWarm() throws Exception {
        // Through reflection: the test classes are compiled into the module, which does not read java.management.
        Object mx = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        java.lang.reflect.Method allocatedBytes = Class.forName("com.sun.management.ThreadMXBean")
                .getMethod("getCurrentThreadAllocatedBytes");
        UringSocket rx = (UringSocket) loop.openDatagram(AddressFamily.INET);
        rx.setOption(dev.salvo.ChannelOption.SO_RCVBUF, 1 << 20);
        rx.bind(LOOPBACK);
        loop.poller.register(rx, "rx");
        long[] count = new long[1];
        ReadSink sink = d -> count[0] += d.length();
        dev.salvo.transport.Poller.ReadyHandler handler = (a, readable, w, e) -> {
            if (readable) {
                while (rx.read(sink, 64) > 0) {
                    count[0]++;
                }
            }
        };
        ByteBuffer payload = ByteBuffer.allocateDirect(64);
        long allocated = 0;
        long datagrams = 0;
        try (java.nio.channels.DatagramChannel tx = java.nio.channels.DatagramChannel.open()) {
            tx.bind(LOOPBACK);
            for (int round = 0; round < ROUNDS; round++) {
                for (int i = 0; i < 32; i++) {
                    payload.clear();
                    tx.send(payload, rx.localAddress());
                }
                long base0 = (long) allocatedBytes.invoke(mx);
                long before = (long) allocatedBytes.invoke(mx);
                for (int p = 0; p < 4; p++) {
                    loop.poller.poll(0, handler);
                }
                long after = (long) allocatedBytes.invoke(mx);
                if (round >= ROUNDS - 2000) {
                    // What one measurement itself allocates (boxing) is taken off.
                    allocated += (after - before) - (before - base0);
                    datagrams += 32;
                }
            }
        }
        System.out.printf("io_uring receive: %d B over %d datagrams%n", allocated, datagrams);
        assertTrue(count[0] > 0);
        assertTrue(allocated < datagrams / 8, allocated + " B allocated over " + datagrams + " datagrams");
        rx.close();
    }

    /** The same policy as the properties give, but for loopback destinations and messages of {@code threshold} bytes up. */
    private static ZeroCopyPolicy zeroCopyOnLoopback(int threshold) {
        ZeroCopyPolicy kernel = ZeroCopyPolicy.fromProperties(UringTransport.support());
        assertTrue(kernel.available(), "this kernel (6.2+) has SENDMSG_ZC with usage reports");
        return new ZeroCopyPolicy(true, threshold, true);
    }

    /** Polls until {@code rx} has received {@code count} datagrams (or 10 s), collecting them. */
    private List<byte[]> receive(UringSocket rx, int count) throws Exception {
        List<byte[]> got = new ArrayList<>();
        ReadSink sink = d -> {
            byte[] bytes = new byte[d.length()];
            d.payload().duplicate().get(bytes);
            got.add(bytes);
        };
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (got.size() < count && System.nanoTime() < deadline) {
            loop.poller.poll(TimeUnit.MILLISECONDS.toNanos(10), (a, readable, w, e) -> {
                if (readable && a.equals("rx")) {
                    rx.read(sink, 64);
                }
            });
        }
        return got;
    }

    private UringSocket sender() throws Exception {
        UringSocket tx = (UringSocket) loop.openDatagram(AddressFamily.INET);
        tx.setOption(dev.salvo.ChannelOption.GSO_AUTO, false);
        tx.bind(LOOPBACK);
        return tx;
    }

    @Test
    void aZeroCopyGsoSendArrivesIntactAndSplitAndReturnsOnlyAfterItsNotificationWasReaped() throws Exception {
        loop.poller.zeroCopy(zeroCopyOnLoopback(16_384));
        UringSocket rx = registeredReceiver();
        rx.setOption(dev.salvo.ChannelOption.SO_RCVBUF, 4 << 20);
        UringSocket tx = sender();
        int segment = 1200;
        int segments = 54; // 54 x 1200 B = 64,800 B, the most that fits one IPv4 UDP datagram
        ByteBuffer payload = ByteBuffer.allocateDirect(segment * segments);
        for (int i = 0; i < payload.capacity(); i++) {
            payload.put(i, (byte) (i / segment * 7 + i));
        }
        ByteBuffer expected = ByteBuffer.allocate(payload.capacity()).put(payload.duplicate()).flip();
        long sends = loop.poller.sendSubmissions();
        long zc = loop.poller.zeroCopySends();
        long notifications = loop.poller.zeroCopyNotifications();
        long copied = loop.poller.zeroCopyCopied();
        SendOutcome out = new SendOutcome();
        tx.writer().writeScalar(PendingWrite.detached().buffer(payload, 0, payload.capacity())
                .destination(rx.localAddress()).segmentSize(segment), out);
        assertTrue(out.isSent(), out.toString());
        assertEquals(1, loop.poller.sendSubmissions() - sends, "one request for the super-datagram");
        assertEquals(1, loop.poller.zeroCopySends() - zc, "sent with SENDMSG_ZC");
        assertEquals(1, loop.poller.zeroCopyNotifications() - notifications,
                "its notification was reaped before the send returned");
        assertEquals(1, loop.poller.zeroCopyCopied() - copied, "to a local socket the kernel copies anyway");
        // Reusing the payload at once must not change what was sent.
        for (int i = 0; i < payload.capacity(); i++) {
            payload.put(i, (byte) 0);
        }
        List<byte[]> got = receive(rx, segments);
        assertEquals(segments, got.size(), "split into its segments (GRO is off on the receiver)");
        for (int i = 0; i < segments; i++) {
            assertEquals(segment, got.get(i).length);
            assertEquals(expected.slice(i * segment, segment), ByteBuffer.wrap(got.get(i)), "segment " + i);
        }
        loop.poller.poll(TimeUnit.MILLISECONDS.toNanos(20), (a, r, w, e) -> { });
        assertEquals(1, loop.poller.zeroCopyNotifications() - notifications, "no notification came later");
        tx.close();
        rx.close();
    }

    @Test
    void aZeroCopyChainStopsAtTheRefusalAsSendmsgDoesAndLeavesNoNotificationBehind() throws Exception {
        loop.poller.zeroCopy(zeroCopyOnLoopback(1));
        UringSocket rx = registeredReceiver();
        UringSocket tx = sender();
        long zc = loop.poller.zeroCopySends();
        sendThreeWithTheMiddleOneRefused(tx, rx);
        assertEquals(6, loop.poller.zeroCopySends() - zc, "3 + 2 + 1 SENDMSG_ZC requests");
        List<byte[]> got = receive(rx, 2);
        long notifications = loop.poller.zeroCopyNotifications();
        loop.poller.poll(TimeUnit.MILLISECONDS.toNanos(50), (a, r, wr, e) -> { });
        assertEquals(notifications, loop.poller.zeroCopyNotifications(),
                "every notification was waited for inside the sends");
        assertEquals(2, got.size());
        assertEquals(0, ByteBuffer.wrap(got.get(0)).getInt());
        assertEquals(2, ByteBuffer.wrap(got.get(1)).getInt());
        tx.close();
        rx.close();
    }

    @Test
    void withoutTheOpcodeLargeSendsFallBackToSendmsgAndArrive() throws Exception {
        UringSupport real = UringTransport.support();
        List<String> withoutZc = new ArrayList<>(real.opcodes());
        withoutZc.remove("SENDMSG_ZC");
        UringSupport probedAbsent = new UringSupport(real.setupErrno(), real.setupFlags(), real.features(), withoutZc,
                real.bufferRing(), real.reason());
        System.setProperty(UringTransport.ZEROCOPY_LOOPBACK_PROPERTY, "true");
        System.setProperty(UringTransport.ZEROCOPY_THRESHOLD_PROPERTY, "1");
        ZeroCopyPolicy policy;
        try {
            assertTrue(ZeroCopyPolicy.fromProperties(real).available(), "with the opcode it would be on");
            policy = ZeroCopyPolicy.fromProperties(probedAbsent);
            assertEquals("off", probedAbsent.describe().get("io_uring zero-copy sends"));
        } finally {
            System.clearProperty(UringTransport.ZEROCOPY_LOOPBACK_PROPERTY);
            System.clearProperty(UringTransport.ZEROCOPY_THRESHOLD_PROPERTY);
        }
        assertFalse(policy.available(), "no SENDMSG_ZC probed: no zero copy");
        loop.poller.zeroCopy(policy);
        UringSocket rx = registeredReceiver();
        UringSocket tx = sender();
        ByteBuffer payload = ByteBuffer.allocateDirect(32 * 1000);
        long zc = loop.poller.zeroCopySends();
        long sends = loop.poller.sendSubmissions();
        SendOutcome out = new SendOutcome();
        tx.writer().writeScalar(PendingWrite.detached().buffer(payload, 0, payload.capacity())
                .destination(rx.localAddress()).segmentSize(1000), out);
        assertTrue(out.isSent(), out.toString());
        assertEquals(1, loop.poller.sendSubmissions() - sends);
        assertEquals(0, loop.poller.zeroCopySends() - zc, "sent with SENDMSG");
        assertEquals(32, receive(rx, 32).size());
        tx.close();
        rx.close();
    }

    @Test
    void smallSendsLoopbackDestinationsByDefaultAndUnixSocketsStayOnSendmsg() throws Exception {
        UringSocket rx = registeredReceiver();
        rx.setOption(dev.salvo.ChannelOption.SO_RCVBUF, 4 << 20);
        UringSocket tx = sender();
        ByteBuffer large = ByteBuffer.allocateDirect(40 * 1000);
        PendingWrite gso = PendingWrite.detached().buffer(large, 0, large.capacity())
                .destination(rx.localAddress()).segmentSize(1000);
        SendOutcome out = new SendOutcome();
        long zc = loop.poller.zeroCopySends();
        loop.poller.zeroCopy(ZeroCopyPolicy.fromProperties(UringTransport.support()));
        assertTrue(loop.poller.zeroCopy().available() && !loop.poller.zeroCopy().loopback(), "the default");
        tx.writer().writeScalar(gso, out);
        assertTrue(out.isSent(), out.toString());
        assertEquals(0, loop.poller.zeroCopySends() - zc, "a loopback destination: SENDMSG by default");
        loop.poller.zeroCopy(zeroCopyOnLoopback(40 * 1000 + 1));
        out.reset();
        tx.writer().writeScalar(gso, out);
        assertTrue(out.isSent(), out.toString());
        assertEquals(0, loop.poller.zeroCopySends() - zc, "one byte under the threshold: SENDMSG");
        assertEquals(80, receive(rx, 80).size());

        loop.poller.zeroCopy(zeroCopyOnLoopback(1));
        long pid = ProcessHandle.current().pid();
        dev.salvo.AbstractUnixAddress rxAddress = dev.salvo.AbstractUnixAddress.of("salvo-zc-rx-" + pid);
        UringSocket unixRx = (UringSocket) loop.openDatagram(AddressFamily.UNIX);
        unixRx.bind(rxAddress);
        UringSocket unixTx = (UringSocket) loop.openDatagram(AddressFamily.UNIX);
        out.reset();
        unixTx.writer().writeScalar(PendingWrite.detached().buffer(ByteBuffer.allocateDirect(100), 0, 100)
                .destination(rxAddress), out);
        assertTrue(out.isSent(), out.toString());
        assertEquals(0, loop.poller.zeroCopySends() - zc, "unix-domain sockets have no zero copy");
        SocketOps[] all = {unixTx, unixRx, tx, rx};
        for (SocketOps s : all) {
            s.close();
        }
    }

    @Test
    void theZeroCopyDecisionReadsPayloadLengthAndDestinationFromTheEncodedMessage() throws Exception {
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            java.lang.foreign.MemorySegment hdr = arena.allocate(dev.salvo.transport.linux.Structs.MSGHDR);
            java.lang.foreign.MemorySegment iov = arena.allocate(dev.salvo.transport.linux.Structs.IOVEC_SIZE * 2, 8);
            java.lang.foreign.MemorySegment name = arena.allocate(dev.salvo.transport.linux.Structs.SOCKADDR_STORAGE);
            iov.set(java.lang.foreign.ValueLayout.JAVA_LONG, dev.salvo.transport.linux.Structs.IOV_LEN, 3000);
            iov.set(java.lang.foreign.ValueLayout.JAVA_LONG,
                    dev.salvo.transport.linux.Structs.IOVEC_SIZE + dev.salvo.transport.linux.Structs.IOV_LEN, 2000);
            hdr.set(java.lang.foreign.ValueLayout.ADDRESS, dev.salvo.transport.linux.Structs.MSG_IOV, iov);
            hdr.set(java.lang.foreign.ValueLayout.JAVA_LONG, dev.salvo.transport.linux.Structs.MSG_IOVLEN, 2);
            assertEquals(5000, ZeroCopyPolicy.payloadBytes(hdr.address()));
            ZeroCopyPolicy remoteOnly = new ZeroCopyPolicy(true, 5000, false);
            assertTrue(remoteOnly.zeroCopy(hdr.address(), false), "no name, not connected to loopback");
            assertFalse(remoteOnly.zeroCopy(hdr.address(), true), "no name, connected to loopback");
            assertFalse(new ZeroCopyPolicy(true, 5001, false).zeroCopy(hdr.address(), false), "under the threshold");
            assertFalse(new ZeroCopyPolicy(false, 1, true).zeroCopy(hdr.address(), false), "unavailable");
            hdr.set(java.lang.foreign.ValueLayout.ADDRESS, dev.salvo.transport.linux.Structs.MSG_NAME, name);
            String[][] cases = {
                {"127.0.0.1", "2", "true"}, {"127.200.1.9", "2", "true"}, {"192.0.2.1", "2", "false"},
                {"::1", "10", "true"}, {"127.0.0.1", "10", "true"}, {"2001:db8::1", "10", "false"},
                {"::2", "10", "false"}, {"198.51.100.7", "10", "false"},
            };
            for (String[] c : cases) {
                name.fill((byte) 0);
                dev.salvo.transport.linux.SockAddr.encode(new InetSocketAddress(InetAddress.getByName(c[0]), 9),
                        Integer.parseInt(c[1]), name, 0);
                boolean loopback = Boolean.parseBoolean(c[2]);
                assertEquals(loopback, ZeroCopyPolicy.isLoopback(name.address()), c[0] + " in family " + c[1]);
                assertEquals(!loopback, remoteOnly.zeroCopy(hdr.address(), false), c[0]);
            }
        }
    }

    @Test
    void zeroCopyPropertiesAreCheckedAndDoctorSaysWhatTheyChose() {
        try {
            System.setProperty(UringTransport.ZEROCOPY_THRESHOLD_PROPERTY, "lots");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ZeroCopyPolicy.fromProperties(UringTransport.support()));
            assertEquals("salvo.io_uring.zerocopyThreshold must be a byte count of at least 1, or off; got lots",
                    e.getMessage());
            System.setProperty(UringTransport.ZEROCOPY_THRESHOLD_PROPERTY, "off");
            assertFalse(ZeroCopyPolicy.fromProperties(UringTransport.support()).available());
            System.setProperty(UringTransport.ZEROCOPY_THRESHOLD_PROPERTY, "30000");
            System.setProperty(UringTransport.ZEROCOPY_LOOPBACK_PROPERTY, "yes");
            assertThrows(IllegalArgumentException.class, () -> ZeroCopyPolicy.fromProperties(UringTransport.support()));
            System.setProperty(UringTransport.ZEROCOPY_LOOPBACK_PROPERTY, "true");
            assertEquals("SENDMSG_ZC for messages of 30000 B and more, loopback destinations included",
                    dev.salvo.SystemReport.probe().findings().get("io_uring zero-copy sends"));
        } finally {
            System.clearProperty(UringTransport.ZEROCOPY_THRESHOLD_PROPERTY);
            System.clearProperty(UringTransport.ZEROCOPY_LOOPBACK_PROPERTY);
        }
        assertEquals("SENDMSG_ZC for messages of " + ZeroCopyPolicy.DEFAULT_THRESHOLD
                + " B and more, not to loopback destinations", UringTransport.support().describe()
                .get("io_uring zero-copy sends"));
    }

    @Test
    void zeroCopyAddsNoAllocationToASend() throws Exception {
        UringSocket tx = sender();
        // Nobody reads: the receiver's queue overflows and the kernel drops, which costs the sender nothing more.
        try (java.nio.channels.DatagramChannel sink = java.nio.channels.DatagramChannel.open().bind(LOOPBACK)) {
            ByteBuffer payload = ByteBuffer.allocateDirect(20 * 1200);
            PendingWrite w = PendingWrite.detached().buffer(payload, 0, payload.capacity())
                    .destination(sink.getLocalAddress()).segmentSize(1200);
            long zc = loop.poller.zeroCopySends();
            long copying = allocatedPerSends(tx, w, ZeroCopyPolicy.OFF);
            assertEquals(zc, loop.poller.zeroCopySends());
            long zeroCopy = allocatedPerSends(tx, w, zeroCopyOnLoopback(16_384));
            assertEquals(2 * SENDS, loop.poller.zeroCopySends() - zc, "warm-up and measured sends went zero-copy");
            System.out.printf("io_uring send, %d measured: %d B with SENDMSG, %d B with SENDMSG_ZC%n", SENDS,
                    copying, zeroCopy);
            assertTrue(zeroCopy <= copying + SENDS / 8, zeroCopy + " B with zero copy, " + copying + " B without");
        }
        tx.close();
    }

    /** @return bytes the thread allocated over {@link #SENDS} sends, after as many to warm up */
    private long allocatedPerSends(UringSocket tx, PendingWrite w, ZeroCopyPolicy policy) throws Exception {
        Object mx = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        java.lang.reflect.Method allocatedBytes = Class.forName("com.sun.management.ThreadMXBean")
                .getMethod("getCurrentThreadAllocatedBytes");
        loop.poller.zeroCopy(policy);
        SendOutcome out = new SendOutcome();
        long allocated = 0;
        for (int round = 0; round < 2 * SENDS; round++) {
            long base0 = (long) allocatedBytes.invoke(mx);
            long before = (long) allocatedBytes.invoke(mx);
            out.reset();
            tx.writer().writeScalar(w, out);
            long after = (long) allocatedBytes.invoke(mx);
            if (!out.isSent()) {
                throw new AssertionError(out.toString());
            }
            if (round >= SENDS) {
                allocated += (after - before) - (before - base0);
            }
        }
        return allocated;
    }
}
