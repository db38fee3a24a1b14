package dev.salvo.transport.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** epoll and eventfd work together as an event loop's wake-up: signal, wait, drain. */
class EpollEventFdTest {

    @Test
    void signalledEventFdWakesEpollWithItsDataAndDrainsToTheCount() throws Exception {
        int ep = Epoll.create();
        int efd = EventFd.create();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cs = Libc.newCallState(arena);
            MemorySegment word = arena.allocate(8, 8);
            MemorySegment events = Epoll.allocateEvents(arena, 8);
            Epoll.ctl(ep, LinuxConstants.EPOLL_CTL_ADD, efd, LinuxConstants.EPOLLIN, 0x1234_5678_9ABCL);

            assertEquals(0, Libc.epollWait(cs, ep, events, 8, 0), "nothing is ready yet");
            assertEquals(-Errno.EAGAIN, EventFd.drain(cs, efd, word), "an empty eventfd reads EAGAIN as a value");

            assertEquals(8, EventFd.signal(cs, efd, word));
            assertEquals(8, EventFd.signal(cs, efd, word));
            assertEquals(1, Libc.epollWait(cs, ep, events, 8, 1000));
            assertEquals(LinuxConstants.EPOLLIN, Epoll.events(events, 0) & LinuxConstants.EPOLLIN);
            assertEquals(0x1234_5678_9ABCL, Epoll.data(events, 0));
            assertEquals(2, EventFd.drain(cs, efd, word));
            assertEquals(0, Libc.epollWait(cs, ep, events, 8, 0));

            Epoll.ctl(ep, LinuxConstants.EPOLL_CTL_DEL, efd, 0, 0);
            assertEquals(-Errno.EBADF, Libc.epollWait(cs, -1, events, 8, 0));
        } finally {
            Sockets.close(efd);
            Sockets.close(ep);
        }
    }
}
