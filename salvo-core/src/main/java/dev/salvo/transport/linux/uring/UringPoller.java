package dev.salvo.transport.linux.uring;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.salvo.NativeIOException;
import dev.salvo.transport.Poller;
import dev.salvo.transport.SocketOps;
import dev.salvo.transport.linux.Errno;
import dev.salvo.transport.linux.LoopWakeup;
import dev.salvo.transport.linux.Libc;
import dev.salvo.transport.linux.Sockets;
import dev.salvo.transport.linux.Structs;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.BitSet;

/**
 * The io_uring transport's poller: one ring per event loop. A registered socket has a multishot
 * receive armed; {@link #poll} submits what was queued, waits in {@code io_uring_enter} (with the
 * exact timeout through {@code IORING_ENTER_EXT_ARG}), files each completion with its socket and
 * reports a socket readable while it has completions waiting: level-triggered, like epoll, so a
 * socket left with completions after its read budget is reported again. Write interest is a
 * one-shot {@code POLLOUT} poll request; {@link #wakeup} writes an eventfd that a {@code POLLIN}
 * request in the ring watches.
 *
 * <p>A request's user data is the socket's id shifted left by 8, or'd with its kind. A socket
 * leaving the ring has its requests cancelled and waited for, so an id is never reused while a
 * completion for it may still come.
 */
final class UringPoller implements Poller, Ring.CompletionSink {
    private static final int KIND_RECV = 1;
    private static final int KIND_POLLOUT = 2;
    private static final int KIND_WAKE = 3;
    private static final int KIND_CANCEL = 4;
    private static final int KIND_SEND = 5;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int IOSQE_IO_LINK = 1 << 2;
    private static final long SEND_WAIT_NANOS = 1_000_000_000L;
    private static final long WAKE_DATA = KIND_WAKE;
    /** Longest wait for a cancelled socket's last completion, in all. */
    private static final long CANCEL_WAIT_NANOS = 2_000_000_000L;

    private final Ring ring;
    private final LoopWakeup wakeup;
    private final MemorySegment callState;
    private final MemorySegment msghdr;
    private Object[] attachments = new Object[64];
    private UringSocket[] sockets = new UringSocket[64];
    private final BitSet usedIds = new BitSet();
    private int[] ready = new int[64];
    private int readyCount;
    private int[] dispatching = new int[64];
    private int[] sendResults = new int[64];
    private int sendsDone;
    /** Tags each send's requests (above the message index), so a late completion of an abandoned one is ignored. */
    private int sendGeneration;
    private long sendSubmissions;
    /** Result completions of the current send that said a notification follows ({@code F_MORE}), and those in. */
    private int notificationsExpected;
    private int notificationsDone;
    private ZeroCopyPolicy zeroCopy = ZeroCopyPolicy.OFF;
    /** IP sockets of this loop, by fd: only they may send with zero copy (unix sockets cannot). */
    private final BitSet zeroCopyFds = new BitSet();
    /** Sockets of this loop connected to a loopback address, by fd. */
    private final BitSet loopbackPeers = new BitSet();
    private long zeroCopySends;
    private long zeroCopyNotifications;
    private long zeroCopyCopied;
    private boolean woken;
    private boolean wakeArmed;

    UringPoller(Arena arena, Ring ring) throws NativeIOException {
        this.ring = ring;
        this.wakeup = new LoopWakeup(arena);
        this.callState = Libc.newCallState(arena);
        // One msghdr for every multishot receive: the kernel reads only its name and control lengths.
        this.msghdr = arena.allocate(Structs.MSGHDR);
        msghdr.set(JAVA_INT, Structs.MSG_NAMELEN, UringBatch.NAME_SLOT);
        msghdr.set(JAVA_LONG, Structs.MSG_CONTROLLEN, UringBatch.CONTROL_SLOT);
    }

    /** A ring of buffers sized for the socket's options, registered as buffer group {@code groupId}. */
    private BufferRing bufferRing(UringSocket s, int groupId) throws NativeIOException {
        int entries = UringSocket.buffersFor(s.payloadSize());
        return new BufferRing(ring, groupId, entries, s.bufferSize(), UringBatch.PAYLOAD);
    }

    @Override
    public void register(SocketOps socket, Object attachment) throws NativeIOException {
        UringSocket s = (UringSocket) socket;
        ring.enable();
        int id = allocateId();
        if (id > 0xFFFF) {
            releaseId(id);
            throw new NativeIOException("io_uring buffer group for socket", Errno.ENOMEM);
        }
        try {
            s.buffers = bufferRing(s, id);
        } catch (NativeIOException e) {
            releaseId(id);
            throw e;
        }
        attachments[id] = attachment;
        sockets[id] = s;
        s.pollId = id;
        armReceive(s);
    }

    /** Queues the socket's multishot receive (submitted with the next enter). */
    void armReceive(UringSocket s) {
        try {
            long sqe = ring.nextSqe();
            MemorySegment q = ring.sqes();
            q.set(JAVA_BYTE, sqe + Uring.SQE_OPCODE, (byte) Uring.OP_RECVMSG);
            q.set(JAVA_BYTE, sqe + Uring.SQE_FLAGS, (byte) Uring.IOSQE_BUFFER_SELECT);
            q.set(JAVA_SHORT, sqe + Uring.SQE_IOPRIO, (short) Uring.RECV_MULTISHOT);
            q.set(JAVA_INT, sqe + Uring.SQE_FD, s.fd());
            q.set(JAVA_LONG, sqe + Uring.SQE_ADDR, msghdr.address());
            q.set(JAVA_INT, sqe + Uring.SQE_LEN, 1);
            q.set(JAVA_LONG, sqe + Uring.SQE_USER_DATA, userData(s.pollId, KIND_RECV));
            q.set(JAVA_SHORT, sqe + Uring.SQE_BUF_GROUP, (short) s.buffers.groupId);
            s.armed = true;
        } catch (NativeIOException e) {
            // The ring could not take it now; the next read or poll tries again.
            s.armed = false;
        }
    }

    private void armPoll(int fd, int events, long userData) throws NativeIOException {
        long sqe = ring.nextSqe();
        MemorySegment q = ring.sqes();
        q.set(JAVA_BYTE, sqe + Uring.SQE_OPCODE, (byte) Uring.OP_POLL_ADD);
        q.set(JAVA_INT, sqe + Uring.SQE_FD, fd);
        q.set(JAVA_INT, sqe + Uring.SQE_OP_FLAGS, events);
        q.set(JAVA_LONG, sqe + Uring.SQE_USER_DATA, userData);
    }

    private static long userData(int id, int kind) {
        return ((long) id << 8) | kind;
    }

    @Override
    public void setWriteInterest(SocketOps socket, boolean wantWritable) throws NativeIOException {
        UringSocket s = (UringSocket) socket;
        if (s.pollId < 0) {
            return;
        }
        s.wantWritable = wantWritable;
        if (!wantWritable) {
            s.writableFired = false;
        } else if (!s.pollOutArmed) {
            armPoll(s.fd(), Uring.POLLOUT, userData(s.pollId, KIND_POLLOUT));
            s.pollOutArmed = true;
        }
    }

    /**
     * Pausing hides the socket's receive completions from {@link #poll}; the multishot receive
     * keeps filling the socket's buffer ring until it runs out ({@code ENOBUFS} ends it, and it is
     * armed again only by the next read), so the kernel's buffer then fills and drops are counted.
     */
    @Override
    public void setReadInterest(SocketOps socket, boolean wantReadable) throws NativeIOException {
        UringSocket s = (UringSocket) socket;
        if (s.pollId < 0) {
            return;
        }
        s.readPaused = !wantReadable;
        if (wantReadable) {
            if (!s.armed && !s.hasCompletions()) {
                armReceive(s);
            }
            markReady(s);
        }
    }

    @Override
    public void deregister(SocketOps socket) {
        UringSocket s = (UringSocket) socket;
        if (s.pollId < 0) {
            return;
        }
        int id = s.pollId;
        cancelAndWait(s);
        BufferRing b = s.buffers;
        s.buffers = null;
        s.clearQueue();
        if (b != null) {
            if (s.reading()) {
                s.releaseAfterRead();
            } else {
                b.close(ring);
            }
        }
        attachments[id] = null;
        sockets[id] = null;
        s.pollId = -1;
        releaseId(id);
    }

    /** Frees a ring whose socket left while its last read was delivering. */
    void freeBuffers(UringSocket s, BufferRing b) {
        b.close(ring);
    }

    /**
     * Replaces the socket's buffers when their size no longer fits its options (GRO turned on,
     * a larger maximum datagram size). Completions not yet read are dropped with the old buffers.
     */
    void resizeBuffers(UringSocket s) throws NativeIOException {
        if (s.pollId < 0 || s.buffers == null || s.buffers.bufferSize == s.bufferSize() || s.reading()) {
            return;
        }
        cancelAndWait(s);
        BufferRing old = s.buffers;
        s.clearQueue();
        s.buffers = null;
        old.close(ring);
        s.buffers = bufferRing(s, s.pollId);
        armReceive(s);
        if (s.wantWritable) {
            setWriteInterest(s, true);
        }
    }

    /** Cancels every request on the socket and reaps until the kernel has ended them (bounded). */
    private void cancelAndWait(UringSocket s) {
        try {
            long sqe = ring.nextSqe();
            MemorySegment q = ring.sqes();
            q.set(JAVA_BYTE, sqe + Uring.SQE_OPCODE, (byte) Uring.OP_ASYNC_CANCEL);
            q.set(JAVA_INT, sqe + Uring.SQE_FD, s.fd());
            q.set(JAVA_INT, sqe + Uring.SQE_OP_FLAGS, Uring.ASYNC_CANCEL_FD | Uring.ASYNC_CANCEL_ALL);
            q.set(JAVA_LONG, sqe + Uring.SQE_USER_DATA, userData(s.pollId, KIND_CANCEL));
        } catch (NativeIOException e) {
            return;
        }
        long deadline = System.nanoTime() + CANCEL_WAIT_NANOS;
        boolean first = true;
        while (first || s.armed || s.pollOutArmed) {
            first = false;
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            int r = ring.submit(s.armed || s.pollOutArmed ? 1 : 0, Math.min(left, 10_000_000L));
            ring.reap(this);
            if (r < 0 && r != -Uring.ETIME && r != -Errno.EINTR) {
                break;
            }
        }
    }

    @Override
    public int poll(long timeoutNanos, ReadyHandler handler) throws NativeIOException {
        ring.enable();
        if (!wakeArmed) {
            armPoll(wakeup.fd(), Uring.POLLIN, WAKE_DATA);
            wakeArmed = true;
        }
        long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
        check(ring.submit(0, -1));
        ring.reap(this);
        while (readyCount == 0 && !woken && timeoutNanos != 0) {
            long wait = -1;
            if (timeoutNanos > 0) {
                wait = deadline - System.nanoTime();
                if (wait <= 0) {
                    break;
                }
            }
            int r = ring.submit(1, wait);
            ring.reap(this);
            if (r == -Uring.ETIME || r == -Errno.EINTR) {
                break;
            }
            check(r);
        }
        woken = false;
        return dispatch(handler);
    }

    private static void check(int r) throws NativeIOException {
        if (r < 0 && r != -Errno.EINTR && r != -Uring.ETIME && r != -Errno.EAGAIN && r != -Uring.EBUSY) {
            throw new NativeIOException("io_uring_enter", -r);
        }
    }

    private int dispatch(ReadyHandler handler) {
        int n = readyCount;
        int[] current = ready;
        ready = dispatching;
        dispatching = current;
        readyCount = 0;
        int reported = 0;
        for (int i = 0; i < n; i++) {
            int id = current[i];
            UringSocket s = sockets[id];
            if (s == null) {
                continue;
            }
            s.inReadyList = false;
            boolean readable = readable(s);
            boolean writable = writable(s);
            s.writableFired = false;
            if (!readable && !writable) {
                continue;
            }
            reported++;
            handler.ready(attachments[id], readable, writable, false);
            // Level-triggered: what the handler left unread is reported again by the next poll.
            if (sockets[id] == s && s.hasCompletions()) {
                markReady(s);
            }
        }
        return reported;
    }

    /** @return whether the socket's receive completions are to be reported */
    private static boolean readable(UringSocket s) {
        return !s.readPaused && s.hasCompletions();
    }

    /** @return whether a write-interest poll fired that the socket still wants */
    private static boolean writable(UringSocket s) {
        return s.writableFired && s.wantWritable;
    }

    private void markReady(UringSocket s) {
        if (s.inReadyList || !readable(s) && !writable(s)) {
            return; // a paused socket's completions wait unreported, or it must not spin the poll
        }
        s.inReadyList = true;
        if (readyCount == ready.length) {
            ready = Arrays.copyOf(ready, ready.length * 2);
            dispatching = Arrays.copyOf(dispatching, ready.length);
        }
        ready[readyCount++] = s.pollId;
    }

    @Override
    public void complete(long userData, int res, int flags) {
        int kind = (int) (userData & 0xFF);
        int id = (int) (userData >>> 8);
        if (kind == KIND_SEND) {
            boolean current = id >>> 16 == sendGeneration;
            if ((flags & Uring.CQE_F_NOTIF) != 0) {
                // The kernel is done with a zero-copy send's memory; res says whether it copied after all.
                zeroCopyNotifications++;
                if ((res & Uring.NOTIF_USAGE_ZC_COPIED) != 0) {
                    zeroCopyCopied++;
                }
                if (current) {
                    notificationsDone++;
                }
                return;
            }
            if (!current) {
                return;
            }
            sendResults[id & 0xFFFF] = res;
            sendsDone++;
            if ((flags & Uring.CQE_F_MORE) != 0) {
                notificationsExpected++;
            }
            return;
        }
        if (kind == KIND_WAKE) {
            wakeup.drain(callState);
            woken = true;
            wakeArmed = false;
            try {
                armPoll(wakeup.fd(), Uring.POLLIN, WAKE_DATA);
                wakeArmed = true;
            } catch (NativeIOException e) {
                // Tried again at the next poll.
            }
            return;
        }
        UringSocket s = id < sockets.length ? sockets[id] : null;
        if (s == null || kind == KIND_CANCEL) {
            return;
        }
        if (kind == KIND_RECV) {
            if (s.onReceive(res, flags)) {
                armReceive(s);
                s.rearmed();
            }
            if (s.hasCompletions()) {
                markReady(s);
            }
        } else if (kind == KIND_POLLOUT) {
            s.pollOutArmed = false;
            if (s.wantWritable && res != -Uring.ECANCELED) {
                s.writableFired = true;
                markReady(s);
            }
        }
    }

    /**
     * Sends {@code count} messages as linked {@code SENDMSG} SQEs and waits for their completions,
     * answering as {@code sendmmsg} would: the messages sent before the first failure, or
     * {@code -errno} when the first failed. Linking makes the kernel send them in order and cancel
     * the rest after a failure, so nothing after a refused message goes out (the writer sends it
     * again, or fails it alone). {@code MSG_DONTWAIT} makes a full socket answer {@code EAGAIN}
     * instead of the ring waiting for room. The messages' memory stays untouched until every
     * completion is in, so this waits for all of them.
     *
     * <p>A message the {@link ZeroCopyPolicy} picks goes as {@code SENDMSG_ZC} instead: its result
     * completion carries {@code IORING_CQE_F_MORE}, and a second one ({@code IORING_CQE_F_NOTIF})
     * comes when the kernel no longer reads the payload's pages. This returns only after those
     * notifications too, so the writer's completion cannot fire, nor the payload, the
     * {@code msghdr} or the iovecs be reused, while the kernel may still read them.
     *
     * @param messages {@code struct mmsghdr}s, back to back (or one {@code msghdr} when {@code scalar})
     * @param scalar whether this is one {@code sendmsg}: its byte count is returned
     * @return messages sent (bytes when {@code scalar}), or {@code -errno}
     */
    long send(int fd, MemorySegment messages, int count, boolean scalar) {
        // A writer sends at most SendScratch.MAX_MESSAGES, which the submission queue holds.
        int chunk = Math.min(count, UringTransport.SQ_ENTRIES);
        try {
            ring.enable();
            if (ring.hasUnsubmitted()) {
                check(ring.submit(0, -1)); // an empty submission queue: the whole chain goes in one enter
            }
            sendGeneration = (sendGeneration + 1) & 0x7FFF;
            if (sendResults.length < chunk) {
                sendResults = new int[Math.max(chunk, sendResults.length * 2)];
            }
            boolean zeroCopyFd = zeroCopy.available() && zeroCopyFds.get(fd);
            boolean connectedToLoopback = loopbackPeers.get(fd);
            for (int i = 0; i < chunk; i++) {
                long message = messages.address() + i * Structs.MMSGHDR_SIZE;
                boolean zc = zeroCopyFd && zeroCopy.zeroCopy(message, connectedToLoopback);
                long sqe = ring.nextSqe();
                MemorySegment q = ring.sqes();
                q.set(JAVA_BYTE, sqe + Uring.SQE_OPCODE, (byte) (zc ? Uring.OP_SENDMSG_ZC : Uring.OP_SENDMSG));
                q.set(JAVA_BYTE, sqe + Uring.SQE_FLAGS, (byte) (i < chunk - 1 ? IOSQE_IO_LINK : 0));
                if (zc) {
                    q.set(JAVA_SHORT, sqe + Uring.SQE_IOPRIO, (short) Uring.SEND_ZC_REPORT_USAGE);
                    zeroCopySends++;
                }
                q.set(JAVA_INT, sqe + Uring.SQE_FD, fd);
                q.set(JAVA_LONG, sqe + Uring.SQE_ADDR, message);
                q.set(JAVA_INT, sqe + Uring.SQE_LEN, 1);
                q.set(JAVA_INT, sqe + Uring.SQE_OP_FLAGS, MSG_DONTWAIT);
                q.set(JAVA_LONG, sqe + Uring.SQE_USER_DATA, userData(sendGeneration << 16 | i, KIND_SEND));
            }
            sendsDone = 0;
            notificationsExpected = 0;
            notificationsDone = 0;
            sendSubmissions += chunk;
            while (sendsDone < chunk || notificationsDone < notificationsExpected) {
                // Other completions count too; then this goes round again for the rest.
                int outstanding = chunk - sendsDone + notificationsExpected - notificationsDone;
                int r = ring.submit(outstanding, SEND_WAIT_NANOS);
                ring.reap(this);
                check(r);
            }
        } catch (NativeIOException e) {
            return -e.errno();
        }
        int sent = 0;
        while (sent < chunk && sendResults[sent] >= 0) {
            sent++;
        }
        if (scalar) {
            return sendResults[0];
        }
        return sent > 0 ? sent : sendResults[0];
    }

    /** @return send requests ({@code SENDMSG} or {@code SENDMSG_ZC}) submitted so far (loop thread) */
    long sendSubmissions() {
        return sendSubmissions;
    }

    /** Sets which sends go out with zero copy (loop thread, or before the loop runs). */
    void zeroCopy(ZeroCopyPolicy policy) {
        zeroCopy = policy;
    }

    /** @return which sends go out with zero copy */
    ZeroCopyPolicy zeroCopy() {
        return zeroCopy;
    }

    /**
     * Tells the poller about a socket of its loop, for the zero-copy decision.
     *
     * @param fd the socket
     * @param ip whether it is an IP socket (zero copy is for those only); false when it closes
     * @param connectedToLoopback whether it is connected to a loopback address
     */
    void socketState(int fd, boolean ip, boolean connectedToLoopback) {
        zeroCopyFds.set(fd, ip);
        loopbackPeers.set(fd, connectedToLoopback);
    }

    /** @return {@code SENDMSG_ZC} requests submitted so far */
    long zeroCopySends() {
        return zeroCopySends;
    }

    /** @return zero-copy notifications reaped so far: each means the kernel let go of a send's memory */
    long zeroCopyNotifications() {
        return zeroCopyNotifications;
    }

    /** @return notifications saying the kernel copied the payload after all (always, to a local socket) */
    long zeroCopyCopied() {
        return zeroCopyCopied;
    }

    @Override
    public void wakeup() {
        wakeup.signal();
    }

    @Override
    public void close() {
        wakeup.close();
    }

    /** The lowest free id (it names the socket's buffer group too, so ids stay small). */
    private int allocateId() {
        int id = usedIds.nextClearBit(0);
        usedIds.set(id);
        if (id >= sockets.length) {
            int length = Math.max(sockets.length * 2, id + 1);
            attachments = Arrays.copyOf(attachments, length);
            sockets = Arrays.copyOf(sockets, length);
        }
        return id;
    }

    private void releaseId(int id) {
        usedIds.clear(id);
    }
}
