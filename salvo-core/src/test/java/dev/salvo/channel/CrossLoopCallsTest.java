package dev.salvo.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.salvo.ChannelOption;
import dev.salvo.DatagramChannel;
import dev.salvo.EventLoopGroup;
import dev.salvo.TransportType;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Configuration calls between event loops: a loop that waited for another loop could deadlock
 * (two loops configuring each other's channels), so such calls fail at once with a message that
 * says what to do instead, and the asynchronous forms work from any loop.
 */
class CrossLoopCallsTest {
    private static final InetSocketAddress ANY = new InetSocketAddress("127.0.0.1", 0);
    private EventLoopGroup group;

    @AfterEach
    void stop() {
        if (group != null) {
            group.close();
        }
    }

    private void start(TransportType type) {
        group = EventLoopGroup.create(2, type);
    }

    @ParameterizedTest
    @EnumSource(value = TransportType.class, names = {"EPOLL", "NIO"})
    void twoLoopsConfiguringEachOthersChannelsFailFastInsteadOfDeadlocking(TransportType type) throws Exception {
        start(type);
        DatagramChannel a = DatagramChannel.builder(group).loop(0).bind(ANY);
        DatagramChannel b = DatagramChannel.builder(group).loop(1).bind(ANY);
        CountDownLatch both = new CountDownLatch(2);
        CompletableFuture<Throwable> fromA = new CompletableFuture<>();
        CompletableFuture<Throwable> fromB = new CompletableFuture<>();
        a.eventLoop().execute(() -> {
            both.countDown();
            awaitQuietly(both);
            fromA.complete(thrownBy(() -> b.setOption(ChannelOption.READ_BATCH_SIZE, 8)));
        });
        b.eventLoop().execute(() -> {
            both.countDown();
            awaitQuietly(both);
            fromB.complete(thrownBy(() -> a.getOption(ChannelOption.READ_BATCH_SIZE)));
        });
        for (Throwable t : new Throwable[] {fromA.get(10, TimeUnit.SECONDS), fromB.get(10, TimeUnit.SECONDS)}) {
            assertTrue(t instanceof IllegalStateException, "refused at once, got " + t);
            assertTrue(t.getMessage().contains("deadlock") && t.getMessage().contains("eventLoop().execute"),
                    t.getMessage());
        }
        // The suggested way works: run the call on the channel's own loop.
        CompletableFuture<Integer> size = new CompletableFuture<>();
        b.eventLoop().execute(() -> {
            try {
                b.setOption(ChannelOption.READ_BATCH_SIZE, 8);
                size.complete(b.getOption(ChannelOption.READ_BATCH_SIZE));
            } catch (Exception e) {
                size.completeExceptionally(e);
            }
        });
        assertEquals(8, size.get(10, TimeUnit.SECONDS));
        // And from a plain thread the blocking form still waits for the answer.
        assertEquals(8, b.getOption(ChannelOption.READ_BATCH_SIZE));
    }

    @ParameterizedTest
    @EnumSource(value = TransportType.class, names = {"EPOLL", "NIO"})
    void aLoopOpensChannelsOnAnotherLoopAsynchronously(TransportType type) throws Exception {
        start(type);
        DatagramChannel a = DatagramChannel.builder(group).loop(0).bind(ANY);
        CompletableFuture<Throwable> blocking = new CompletableFuture<>();
        CompletableFuture<DatagramChannel> opened = new CompletableFuture<>();
        a.eventLoop().execute(() -> {
            blocking.complete(thrownBy(() -> DatagramChannel.builder(group).loop(1).bind(ANY)));
            DatagramChannel.builder(group).loop(1).bindAsync(ANY).whenComplete((ch, e) -> {
                if (e != null) {
                    opened.completeExceptionally(e);
                } else {
                    opened.complete(ch);
                }
            });
        });
        assertTrue(blocking.get(10, TimeUnit.SECONDS) instanceof IllegalStateException);
        DatagramChannel c = opened.get(10, TimeUnit.SECONDS);
        assertTrue(c.isOpen());
        assertTrue(((InetSocketAddress) c.localAddress()).getPort() > 0, "bound to a real port");
        // A loop may still open a channel on its own loop the blocking way.
        CompletableFuture<DatagramChannel> sameLoop = new CompletableFuture<>();
        a.eventLoop().execute(() -> {
            try {
                sameLoop.complete(DatagramChannel.builder(group).loop(0).bind(ANY));
            } catch (Exception e) {
                sameLoop.completeExceptionally(e);
            }
        });
        assertTrue(sameLoop.get(10, TimeUnit.SECONDS).isOpen());
    }

    @ParameterizedTest
    @EnumSource(value = TransportType.class, names = {"EPOLL", "NIO"})
    void asyncOpenReportsTheKernelsRefusal(TransportType type) throws Exception {
        start(type);
        DatagramChannel a = DatagramChannel.builder(group).bind(ANY);
        CompletableFuture<DatagramChannel> clash = DatagramChannel.builder(group).bindAsync(a.localAddress());
        Throwable t = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> clash.get(10, TimeUnit.SECONDS)).getCause();
        assertTrue(t instanceof java.io.IOException, "address in use is an IOException, got " + t);
    }

    @FunctionalInterface
    private interface Call {
        void run() throws Exception;
    }

    private static Throwable thrownBy(Call c) {
        try {
            c.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
