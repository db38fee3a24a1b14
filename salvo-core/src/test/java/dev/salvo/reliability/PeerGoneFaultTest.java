package dev.salvo.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.salvo.ChannelHandler;
import dev.salvo.ConnectionRefusedException;
import dev.salvo.DatagramChannel;
import dev.salvo.DatagramWriteException;
import dev.salvo.EventLoopGroup;
import dev.salvo.HostUnreachableException;
import dev.salvo.InboundDatagram;
import dev.salvo.OutboundDatagram;
import dev.salvo.TransportType;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The peer of a connected channel goes away mid-stream: first its socket closes (the kernel answers
 * with ICMP port unreachable, so the sender sees {@code ECONNREFUSED}), then its whole host
 * disappears (the namespace is deleted and the link with it). The sender must see typed errors,
 * complete every write exactly once, not spin while errors are pending, and close cleanly.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PeerGoneFaultTest {
    private static final int AFTER = 200;

    @BeforeAll
    static void needNamespaces() {
        assumeTrue(NetNs.unavailableReason() == null, NetNs.unavailableReason());
    }

    @ParameterizedTest
    @EnumSource(value = TransportType.class, names = {"EPOLL", "IO_URING", "NIO"})
    void connectedChannelSeesTypedErrorsWhenThePeerGoesAwayAndDoesNotSpin(TransportType type) throws Exception {
        try (Lab lab = Lab.create("gone")) {
            EventLoopGroup ga = lab.groupIn(lab.a, type);
            EventLoopGroup gb = lab.groupIn(lab.b, type);
            SeqReceiver rx = new SeqReceiver(gb, Lab.at(Lab.B4, 0), 1 << 20);
            InetSocketAddress peer = (InetSocketAddress) rx.channel.localAddress();
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            DatagramChannel tx = DatagramChannel.builder(ga)
                    .handler(new ChannelHandler() {
                        @Override
                        public void onDatagram(DatagramChannel ch, InboundDatagram d) {
                        }

                        @Override
                        public void onError(DatagramChannel ch, Throwable error) {
                            errors.add(error);
                        }
                    })
                    .bind(Lab.at(Lab.A4, 0));
            tx.connect(peer);
            for (int i = 0; i < 50; i++) {
                assertEquals(null, Await.outcome(tx.writeAndFlush(OutboundDatagram.of(SeqReceiver.payload(i, 64)))));
            }
            assertEquals(50, rx.awaitReceived(50, 5_000));

            // 1. The peer's socket closes.
            rx.channel.close().get(10, TimeUnit.SECONDS);
            AtomicIntegerArray outcome = sendPaced(tx, AFTER);
            int refused = 0;
            for (int i = 0; i < AFTER; i++) {
                int o = outcome.get(i);
                assertTrue(o == 1 || o == 2, "write " + i + " completed once (" + o + ")");
                refused += o == 2 ? 1 : 0;
            }
            long refusedViaOnError = errors.stream().filter(e -> e instanceof ConnectionRefusedException).count();
            assertTrue(refused + refusedViaOnError > 0, "the closed port must be reported as refused");
            for (Throwable e : errors) {
                assertInstanceOf(ConnectionRefusedException.class, e, "only refusals are reported: " + e);
            }
            assertTrue(tx.isOpen(), "a refused datagram must not close the channel");
            assertDoesNotSpin(tx);

            // 2. The peer's host goes: its loop ends, its namespace is deleted, the link goes with it.
            gb.close();
            lab.b.close();
            assertTrue(Await.until(() -> !linkExists(lab), 10_000), "the veth pair disappears with host B");
            errors.clear();
            CompletableFuture<Void> f = tx.writeAndFlush(OutboundDatagram.of(SeqReceiver.payload(999, 64)));
            DatagramWriteException e = assertInstanceOf(HostUnreachableException.class, Await.outcome(f));
            assertEquals(peer, e.destination());
            assertTrue(tx.isOpen());
            assertDoesNotSpin(tx);

            tx.close().get(10, TimeUnit.SECONDS);
            assertFalse(tx.isOpen());
            assertTrue(tx.closeFuture().isDone());
        }
    }

    /** Sends {@code n} datagrams 1 ms apart; slot i ends as 1 (sent), 2 (refused), other values are failures. */
    private static AtomicIntegerArray sendPaced(DatagramChannel tx, int n) throws Exception {
        AtomicIntegerArray outcome = new AtomicIntegerArray(n);
        CompletableFuture<?>[] all = new CompletableFuture<?>[n];
        for (int i = 0; i < n; i++) {
            int id = i;
            CompletableFuture<Void> done = new CompletableFuture<>();
            all[i] = done;
            tx.write(SeqReceiver.payload(1000 + i, 64), null, failure -> {
                outcome.addAndGet(id, failure == null ? 1 : failure instanceof ConnectionRefusedException ? 2 : 100);
                done.complete(null);
            });
            tx.flush();
            Thread.sleep(1);
        }
        CompletableFuture.allOf(all).get(20, TimeUnit.SECONDS);
        Thread.sleep(50); // a second completion of any write would show up now
        return outcome;
    }

    /** An idle loop with an error pending must sleep in the poller, not burn its core. */
    static void assertDoesNotSpin(DatagramChannel ch) throws Exception {
        long cpu0 = loopCpuNanos(ch);
        long wall0 = System.nanoTime();
        Thread.sleep(400);
        long cpu = loopCpuNanos(ch) - cpu0;
        long wall = System.nanoTime() - wall0;
        assertTrue(cpu < wall / 4, "the idle loop used " + cpu / 1_000_000 + " ms of CPU in " + wall / 1_000_000 + " ms");
    }

    /** @return the CPU time the channel's loop thread has used, read by the thread itself from /proc */
    static long loopCpuNanos(DatagramChannel ch) throws Exception {
        CompletableFuture<Long> cpu = new CompletableFuture<>();
        ch.eventLoop().execute(() -> {
            try {
                String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/thread-self/stat"));
                // Fields after the parenthesised name: state is field 3, utime 14, stime 15 (clock ticks).
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                cpu.complete((Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L);
            } catch (Exception e) {
                cpu.completeExceptionally(e);
            }
        });
        return cpu.get(10, TimeUnit.SECONDS);
    }

    private static boolean linkExists(Lab lab) {
        try {
            lab.a.exec("ip", "link", "show", lab.vethA);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
