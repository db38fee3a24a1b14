package dev.salvo.transport.linux.uring;

import dev.salvo.transport.linux.SendCalls;
import java.lang.foreign.MemorySegment;

/**
 * The epoll writer's two send calls made as io_uring submissions, so that the writer (message
 * encoding, automatic GSO, offload fallbacks, per-datagram errors) runs unchanged: a
 * {@code sendmmsg} becomes a chain of linked {@code SENDMSG} SQEs, one per message, and one
 * {@code io_uring_enter}; see {@link UringPoller#send}.
 */
final class UringSends implements SendCalls {
    private UringPoller poller;

    /** @param poller the loop's poller, whose ring carries the sends */
    void bind(UringPoller poller) {
        this.poller = poller;
    }

    @Override
    public long sendmsg(MemorySegment callState, int fd, MemorySegment msghdr, int flags) {
        return poller.send(fd, msghdr, 1, true);
    }

    @Override
    public int sendmmsg(MemorySegment callState, int fd, MemorySegment mmsghdrs, int vlen, int flags) {
        return (int) poller.send(fd, mmsghdrs, vlen, false);
    }
}
