package dev.salvo.transport.linux;

import static dev.salvo.transport.linux.LinuxConstants.EPOLLERR;
import static dev.salvo.transport.linux.LinuxConstants.EPOLLHUP;
import static dev.salvo.transport.linux.LinuxConstants.EPOLLIN;
import static dev.salvo.transport.linux.LinuxConstants.EPOLLOUT;
import static dev.salvo.transport.linux.LinuxConstants.EPOLL_CTL_ADD;
import static dev.salvo.transport.linux.LinuxConstants.EPOLL_CTL_DEL;
import static dev.salvo.transport.linux.LinuxConstants.EPOLL_CTL_MOD;

import dev.salvo.NativeIOException;
import dev.salvo.transport.Poller;
import dev.salvo.transport.SocketOps;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A level-triggered epoll instance plus an eventfd for wake-ups from other threads. Each
 * registered socket gets a small integer id, stored in the event's data word, that indexes the
 * attachment table: no map lookup and no allocation per event.
 *
 * <p>Timeouts are exact to the nanosecond with {@code epoll_pwait2} where the kernel has it
 * (Linux 5.11); elsewhere {@code epoll_wait} gets whole milliseconds, rounded up so that a loop
 * timer never fires early.
 */
final class EpollPoller implements Poller {
    private static final int MAX_EVENTS = 256;
    private static final long WAKEUP_ID = -1L;

    private final int epfd;
    private final LoopWakeup wakeup;
    private final MemorySegment events;
    private final MemorySegment callState;
    /** Non-null when the poller waits with {@code epoll_pwait2}'s nanosecond timeout. */
    private final MemorySegment timespec;
    private Object[] attachments = new Object[64];
    /** The event mask each registered socket asked for, by id. */
    private int[] interests = new int[64];
    /** By id: the socket is out of the epoll set while its loop reads it unasked ({@link #setBusy}). */
    private boolean[] detached = new boolean[64];
    private int[] freeIds = new int[64];
    private int freeCount;
    private int nextId;

    EpollPoller(Arena arena) throws NativeIOException {
        this(arena, Epoll.hasPreciseWait());
    }

    /**
     * @param arena the loop's memory
     * @param precise whether to wait with {@code epoll_pwait2} (nanoseconds; the caller checked
     *     {@link Epoll#hasPreciseWait()}) or with {@code epoll_wait} (milliseconds, rounded up)
     */
    EpollPoller(Arena arena, boolean precise) throws NativeIOException {
        this.epfd = Epoll.create();
        LoopWakeup w = null;
        try {
            w = new LoopWakeup(arena);
            Epoll.ctl(epfd, EPOLL_CTL_ADD, w.fd(), EPOLLIN, WAKEUP_ID);
        } catch (NativeIOException | RuntimeException e) {
            if (w != null) {
                w.close();
            }
            Sockets.closeQuietly(epfd);
            throw e;
        }
        this.wakeup = w;
        this.events = Epoll.allocateEvents(arena, MAX_EVENTS);
        this.callState = Libc.newCallState(arena);
        this.timespec = precise ? arena.allocate(Epoll.TIMESPEC) : null;
    }

    @Override
    public void register(SocketOps socket, Object attachment) throws NativeIOException {
        LinuxSocket s = (LinuxSocket) socket;
        int id = allocateId();
        attachments[id] = attachment;
        try {
            Epoll.ctl(epfd, EPOLL_CTL_ADD, s.fd(), EPOLLIN, id);
        } catch (NativeIOException e) {
            releaseId(id);
            throw e;
        }
        interests[id] = EPOLLIN;
        detached[id] = false;
        s.pollId = id;
    }

    @Override
    public void setWriteInterest(SocketOps socket, boolean wantWritable) throws NativeIOException {
        setInterest((LinuxSocket) socket, EPOLLOUT, wantWritable);
    }

    @Override
    public void setReadInterest(SocketOps socket, boolean wantReadable) throws NativeIOException {
        setInterest((LinuxSocket) socket, EPOLLIN, wantReadable);
    }

    private void setInterest(LinuxSocket s, int event, boolean want) throws NativeIOException {
        int id = s.pollId;
        if (id < 0) {
            return;
        }
        int next = want ? interests[id] | event : interests[id] & ~event;
        if (next != interests[id]) {
            // Errors and hang-ups are reported even with an empty mask. A busy socket out of the
            // set goes back in with the new mask: a pause or a wait for room needs the kernel's word.
            Epoll.ctl(epfd, detached[id] ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, s.fd(), next, id);
            interests[id] = next;
            detached[id] = false;
        }
    }

    /**
     * Takes a busy socket that only waits to read out of the epoll set ({@code EPOLL_CTL_DEL}),
     * and puts it back ({@code EPOLL_CTL_ADD}, which reports at once what arrived meanwhile) when
     * the loop found it empty. Out of the set, the socket has no entry in its wait queue, so the
     * kernel delivers datagrams to it without running epoll's callback for each. Two system calls
     * per busy spell, which lasts at least one read budget.
     */
    @Override
    public boolean setBusy(SocketOps socket, boolean busy) throws NativeIOException {
        LinuxSocket s = (LinuxSocket) socket;
        int id = s.pollId;
        if (id < 0) {
            return false;
        }
        if (busy) {
            if (!detached[id] && interests[id] == EPOLLIN) {
                Epoll.ctl(epfd, EPOLL_CTL_DEL, s.fd(), 0, 0);
                detached[id] = true;
            }
            return detached[id];
        }
        if (detached[id]) {
            Epoll.ctl(epfd, EPOLL_CTL_ADD, s.fd(), interests[id], id);
            detached[id] = false;
        }
        return false;
    }

    @Override
    public void deregister(SocketOps socket) {
        LinuxSocket s = (LinuxSocket) socket;
        if (s.pollId < 0) {
            return;
        }
        if (!detached[s.pollId]) {
            try {
                Epoll.ctl(epfd, EPOLL_CTL_DEL, s.fd(), 0, 0);
            } catch (NativeIOException ignored) {
                // Closing the fd removes it from the epoll set anyway.
            }
        }
        detached[s.pollId] = false;
        releaseId(s.pollId);
        s.pollId = -1;
    }

    @Override
    public int poll(long timeoutNanos, ReadyHandler handler) throws NativeIOException {
        int n = timespec != null ? preciseWait(timeoutNanos) : Libc.epollWait(callState, epfd, events, MAX_EVENTS,
                timeoutNanos < 0 ? -1 : (int) Math.min(timeoutNanos / 1_000_000 + (timeoutNanos % 1_000_000 == 0 ? 0 : 1),
                        Integer.MAX_VALUE));
        if (n < 0) {
            if (n == -Errno.EINTR) {
                return 0;
            }
            throw new NativeIOException("epoll_wait", -n);
        }
        for (int i = 0; i < n; i++) {
            long id = Epoll.data(events, i);
            int ev = Epoll.events(events, i);
            if (id == WAKEUP_ID) {
                wakeup.drain(callState);
                continue;
            }
            Object attachment = id < attachments.length ? attachments[(int) id] : null;
            if (attachment != null) {
                handler.ready(attachment, (ev & EPOLLIN) != 0, (ev & EPOLLOUT) != 0,
                        (ev & (EPOLLERR | EPOLLHUP)) != 0);
            }
        }
        return n;
    }

    /** @return whether this poller waits with nanosecond precision ({@code epoll_pwait2}) */
    boolean isPrecise() {
        return timespec != null;
    }

    private int preciseWait(long timeoutNanos) {
        if (timeoutNanos < 0) {
            return Libc.epollPwait2(callState, epfd, events, MAX_EVENTS, MemorySegment.NULL);
        }
        Epoll.setTimespec(timespec, timeoutNanos);
        return Libc.epollPwait2(callState, epfd, events, MAX_EVENTS, timespec);
    }

    @Override
    public void wakeup() {
        wakeup.signal();
    }

    @Override
    public void close() {
        wakeup.close();
        Sockets.closeQuietly(epfd);
    }

    private int allocateId() {
        if (freeCount > 0) {
            return freeIds[--freeCount];
        }
        if (nextId == attachments.length) {
            attachments = Arrays.copyOf(attachments, attachments.length * 2);
            interests = Arrays.copyOf(interests, interests.length * 2);
            detached = Arrays.copyOf(detached, detached.length * 2);
        }
        return nextId++;
    }

    private void releaseId(int id) {
        attachments[id] = null;
        if (freeCount == freeIds.length) {
            freeIds = Arrays.copyOf(freeIds, freeIds.length * 2);
        }
        freeIds[freeCount++] = id;
    }

}
