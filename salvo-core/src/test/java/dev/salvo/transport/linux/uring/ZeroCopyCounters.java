package dev.salvo.transport.linux.uring;

import dev.salvo.EventLoopGroup;
import dev.salvo.loop.DefaultEventLoop;
import dev.salvo.loop.DefaultEventLoopGroup;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** For tests in other packages: an io_uring loop's zero-copy counters, read on the loop's thread. */
public final class ZeroCopyCounters {
    private ZeroCopyCounters() {
    }

    /**
     * @param group a group on the io_uring transport
     * @param index the loop
     * @return {@code {SENDMSG_ZC requests, notifications reaped, notifications saying the kernel copied}}
     * @throws Exception when the loop does not answer within 10 s
     */
    public static long[] of(EventLoopGroup group, int index) throws Exception {
        DefaultEventLoop loop = ((DefaultEventLoopGroup) group).loop(index);
        UringPoller poller = ((UringTransport.Loop) loop.resources()).poller;
        return CompletableFuture.supplyAsync(() -> new long[] {poller.zeroCopySends(),
            poller.zeroCopyNotifications(), poller.zeroCopyCopied()}, loop).get(10, TimeUnit.SECONDS);
    }
}
