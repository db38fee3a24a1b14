package dev.salvo.transport.nio;

import dev.salvo.transport.Poller;
import dev.salvo.transport.SocketOps;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;

/** A {@link Poller} over a {@link Selector}. */
final class NioPoller implements Poller {
    private static final java.util.function.Consumer<SelectionKey> IGNORE = key -> { };

    private final Selector selector;

    NioPoller() throws IOException {
        this.selector = Selector.open();
    }

    @Override
    public void register(SocketOps socket, Object attachment) throws ClosedChannelException {
        NioSocket s = (NioSocket) socket;
        s.key = s.channel().register(selector, SelectionKey.OP_READ, attachment);
    }

    @Override
    public void setWriteInterest(SocketOps socket, boolean wantWritable) {
        setInterest(socket, SelectionKey.OP_WRITE, wantWritable);
    }

    @Override
    public void setReadInterest(SocketOps socket, boolean wantReadable) {
        setInterest(socket, SelectionKey.OP_READ, wantReadable);
    }

    private static void setInterest(SocketOps socket, int op, boolean want) {
        SelectionKey key = ((NioSocket) socket).key;
        if (key != null && key.isValid()) {
            int ops = key.interestOps();
            int next = want ? ops | op : ops & ~op;
            if (next != ops) {
                key.interestOps(next);
            }
        }
    }

    @Override
    public void deregister(SocketOps socket) {
        NioSocket s = (NioSocket) socket;
        if (s.key != null) {
            s.key.cancel();
            s.key = null;
            // The JDK closes a registered channel's socket only once its key is deregistered, at the
            // selector's next select: select now, so that closing right after releases the port at once.
            // The form with an action leaves the selected-key set alone (poll may be iterating it);
            // the readiness it sees is reported again by the next poll (level-triggered).
            try {
                selector.selectNow(IGNORE);
            } catch (IOException ignored) {
                // A broken selector fails the loop's next poll, which reports it.
            }
            // That select also cleared any wake-up another thread asked for meanwhile; the loop counts
            // on it (it wakes the poller once per batch of tasks), so ask again: one spurious return.
            selector.wakeup();
        }
    }

    @Override
    public int poll(long timeoutNanos, ReadyHandler handler) throws IOException {
        int n;
        if (timeoutNanos == 0) {
            n = selector.selectNow();
        } else {
            // select(0) waits until woken; a positive wait is rounded up to whole milliseconds.
            n = selector.select(timeoutNanos < 0 ? 0 : Math.max(1, timeoutNanos / 1_000_000 + (timeoutNanos % 1_000_000 == 0 ? 0 : 1)));
        }
        if (n == 0) {
            return 0;
        }
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
            SelectionKey key = it.next();
            it.remove();
            if (!key.isValid()) {
                continue;
            }
            int ready = key.readyOps();
            handler.ready(key.attachment(), (ready & SelectionKey.OP_READ) != 0,
                    (ready & SelectionKey.OP_WRITE) != 0, false);
        }
        return n;
    }

    @Override
    public void wakeup() {
        selector.wakeup();
    }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException ignored) {
            // Nothing useful to do: the loop is going away.
        }
    }
}
