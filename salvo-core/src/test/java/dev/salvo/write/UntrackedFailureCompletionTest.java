package dev.salvo.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.salvo.AddressMismatchException;
import dev.salvo.ChannelClosedException;
import dev.salvo.WriteCompletion;
import dev.salvo.transport.linux.Errno;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Writes queued without a completion: their failures reach the untracked-failure completion, their successes nothing. */
class UntrackedFailureCompletionTest {
    private static final SocketAddress PEER = new InetSocketAddress("127.0.0.1", 9000);
    private static final SocketAddress OTHER = new InetSocketAddress("127.0.0.1", 9001);

    private final List<String> log = new ArrayList<>();
    private final PendingDatagramWritesManager manager = new PendingDatagramWritesManager(w -> log.add("writable:" + w));

    private WriteCompletion tracked(String tag) {
        return failure -> log.add(tag + ":" + (failure == null ? "ok" : failure.getClass().getSimpleName()));
    }

    private void untrackedAdd(String tag) {
        Tags.queue(manager, tag, 10, PEER, null);
    }

    @Test
    void failedWriteWithoutCompletionIsReportedInQueueOrderAndSuccessesAreNot() {
        manager.setUntrackedFailureCompletion(failure -> log.add("untracked:" + failure.getClass().getSimpleName()));
        untrackedAdd("a");
        Tags.queue(manager, "b", 10, PEER, tracked("b"));
        untrackedAdd("c");
        Tags.queue(manager, "d", 10, PEER, tracked("d"));
        manager.flush();

        manager.write(new ScriptedWriter().failing("c", Errno.EMSGSIZE));

        assertEquals(List.of("b:ok", "untracked:DatagramTooLargeException", "d:ok"), log);
    }

    @Test
    void refusedAndClosedWritesWithoutCompletionAreReported() {
        List<Throwable> failures = new ArrayList<>();
        manager.setUntrackedFailureCompletion(failures::add);
        manager.setConnectedPeer(PEER);
        Tags.queue(manager, "x", 10, OTHER, null); // refused: not the peer
        untrackedAdd("y");
        manager.failAll(new ChannelClosedException(), true);

        assertEquals(2, failures.size());
        assertInstanceOf(AddressMismatchException.class, failures.get(0));
        assertInstanceOf(ChannelClosedException.class, failures.get(1));
    }

    @Test
    void withoutAnUntrackedFailureCompletionFailuresOfUntrackedWritesAreDropped() {
        untrackedAdd("a");
        Tags.queue(manager, "b", 10, PEER, tracked("b"));
        manager.flush();

        manager.write(new ScriptedWriter().failing("a", Errno.EMSGSIZE));

        assertEquals(List.of("b:ok"), log);
        assertEquals(0, manager.pendingDatagrams());
    }
}
