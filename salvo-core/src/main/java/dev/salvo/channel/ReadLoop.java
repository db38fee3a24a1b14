package dev.salvo.channel;

import dev.salvo.InboundDatagram;
import dev.salvo.read.ReadError;
import dev.salvo.read.ReadFailure;
import dev.salvo.read.ReadSink;
import dev.salvo.transport.SocketOps;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The read side of one channel: drains the socket in batches up to a budget per readiness event
 * (so one busy socket cannot starve the others of its loop), hands each datagram to the handler,
 * and applies the read error policy. Loop-confined, except the counter.
 */
final class ReadLoop {
    private final SocketOps socket;
    private final HandlerCalls handler;
    private final ChannelCore core;
    private final AtomicLong datagramsRead = new AtomicLong();
    /** Loop-confined running sum; {@link #bytesPublished} carries it to other threads once per read event. */
    private long bytesRead;
    private final AtomicLong bytesPublished = new AtomicLong();
    private final AtomicLong truncationsPublished = new AtomicLong();
    private long dropsSeen;
    private long truncationsSeen;
    private final ReadSink sink;
    private int batchSize = 64;
    private int budget = 1024;
    private final BusyStreak busy = new BusyStreak();
    /** Written by any thread ({@code setAutoRead}); the loop applies the poller interest it implies. */
    private volatile boolean autoRead = true;
    /** While paused: {@code read()} asked for one batch, not delivered yet. Loop-confined. */
    private boolean readRequested;
    /** Whether the poller is asked for readability. Loop-confined. */
    private boolean readInterest = true;

    ReadLoop(SocketOps socket, HandlerCalls handler, ChannelCore core) {
        this.socket = socket;
        this.handler = handler;
        this.core = core;
        this.dropsSeen = socket.kernelDrops();
        this.sink = new ReadSink() {
            @Override
            public void message(int datagrams, int bytes) {
                // Only the loop thread writes the count: an ordered store per message (a GRO message
                // counts all its datagrams at once), not an atomic add per datagram. Counted before the
                // handler sees them, so a count read after a datagram was handled includes it.
                datagramsRead.lazySet(datagramsRead.getPlain() + datagrams);
                bytesRead += bytes;
            }

            @Override
            public void accept(InboundDatagram datagram) {
                handler.datagram(datagram);
            }
        };
    }

    int batchSize() {
        return batchSize;
    }

    void setBatchSize(int n) {
        batchSize = n;
    }

    int budget() {
        return budget;
    }

    void setBudget(int n) {
        budget = n;
    }

    /** @return whether the channel reads whenever the socket is readable; any thread */
    boolean isAutoRead() {
        return autoRead;
    }

    /** Records the wish at once; any thread. {@link #applyAutoRead()} then adjusts the poller on the loop. */
    void setAutoRead(boolean on) {
        autoRead = on;
    }

    /** Makes the poller interest match the latest {@link #setAutoRead} wish; loop thread. */
    void applyAutoRead() {
        if (autoRead) {
            readRequested = false;
        }
        updateInterest();
    }

    /** While paused, asks for one batch: delivered now if the kernel has datagrams, else when they come; loop thread. */
    void requestRead() {
        if (!autoRead) {
            readRequested = true;
            updateInterest();
        }
    }

    /** The poller reported the socket readable; loop thread. */
    void onReadable() {
        if (autoRead) {
            readNow();
        } else if (readRequested) {
            readRequested = false;
            readUpTo(Math.min(batchSize, budget));
            updateInterest();
        }
        // Otherwise a readiness reported before a pause in the same poll: leave the data queued.
    }

    /** Interest in readability only while reading is wanted, so a paused socket's kernel buffer fills. */
    private void updateInterest() {
        boolean want = autoRead || readRequested;
        if (want != readInterest && core.isOpen()) {
            readInterest = want;
            core.setReadInterest(want);
        }
    }

    /** @return whether the poller should watch for readability from registration on; loop thread */
    boolean wantsReadInterest() {
        readInterest = autoRead || readRequested;
        return readInterest;
    }

    /** @return datagrams delivered so far; any thread */
    long datagramsRead() {
        return datagramsRead.get();
    }

    /** @return payload bytes delivered, as of the last read event; any thread */
    long bytesRead() {
        return bytesPublished.get();
    }

    /** @return messages cut for a short buffer, as of the last read event; any thread */
    long truncatedDatagrams() {
        return truncationsPublished.get();
    }

    /**
     * Publishes what one readiness event's reads changed, and tells JFR of the drops and
     * truncations they saw. The exact drop count costs the transport a system call, so it is
     * asked here only while a recording wants the drop event; readers of the count ask the
     * socket themselves.
     */
    private void afterReads() {
        bytesPublished.lazySet(bytesRead);
        if (ChannelEvents.kernelDropsWanted()) {
            long drops = socket.kernelDrops();
            if (drops != dropsSeen) {
                long delta = drops - Math.max(dropsSeen, 0);
                dropsSeen = drops;
                if (delta > 0) {
                    ChannelEvents.kernelDrops(core.cachedLocalAddress(), delta, drops);
                }
            }
        }
        long cut = socket.truncatedDatagrams();
        if (cut != truncationsSeen) {
            long delta = cut - truncationsSeen;
            truncationsSeen = cut;
            truncationsPublished.lazySet(cut);
            ChannelEvents.truncations(core.cachedLocalAddress(), delta, cut);
        }
    }

    /** Reads until the socket is empty or the budget is spent, then tells the handler once. */
    void readNow() {
        readUpTo(budget);
    }

    private void readUpTo(int limit) {
        int left = limit;
        int delivered = 0;
        boolean drained = false;
        while (left > 0 && core.isOpen()) {
            int n = socket.read(sink, Math.min(batchSize, left));
            if (n > 0) {
                delivered += n;
                left -= n; // GRO segments count: a message of 40 takes 40 of the budget
                continue;
            }
            if (n == SocketOps.READ_FAILED) {
                failed(socket.lastReadError());
            }
            drained = true;
            break;
        }
        if (delivered > 0 && core.isOpen()) {
            afterReads();
            handler.readComplete();
        }
        if (!core.isOpen()) {
            return;
        }
        // The budget spent with datagrams left, several reads in a row: the loop reads this socket
        // again at its next turn anyway, so the poller need not watch it meanwhile (Poller#setBusy).
        boolean nowBusy = busy.afterRead(drained);
        if (drained || autoRead) {
            core.readStopped(nowBusy);
        }
    }

    /** The poller reported an error condition: take the socket's pending error and apply the policy. */
    void socketError() {
        ReadError err = socket.takeSocketError();
        if (err != null) {
            failed(err);
        }
    }

    /**
     * The read error policy: a refused port (ICMP on a connected socket) and transient shortages
     * are reported and the channel stays open; anything else closes it. The transport classified
     * the kernel's answer; would-block and interrupted reads never get here.
     */
    private void failed(ReadError error) {
        java.io.IOException e = error.toException(core.remoteAddress());
        if (error.kind() == ReadFailure.FATAL) {
            core.closeOnLoop(e);
        } else {
            handler.error(e);
        }
    }
}
