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
