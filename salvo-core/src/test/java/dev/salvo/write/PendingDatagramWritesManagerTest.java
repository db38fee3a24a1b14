package dev.salvo.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.salvo.AddressMismatchException;
import dev.salvo.ChannelClosedException;
import dev.salvo.ConnectedWhilePendingException;
import dev.salvo.ConnectionRefusedException;
import dev.salvo.DatagramTooLargeException;
import dev.salvo.DatagramWriteException;
import dev.salvo.HostUnreachableException;
import dev.salvo.NativeIOException;
import dev.salvo.NotConnectedException;
import dev.salvo.WriteCompletion;
import dev.salvo.transport.linux.Errno;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class PendingDatagramWritesManagerTest {
    private static final SocketAddress PEER = new InetSocketAddress("127.0.0.1", 9000);
    private static final SocketAddress OTHER = new InetSocketAddress("127.0.0.1", 9001);

    /** Everything user-visible, in the order it happened: "tag:ok", "tag:SomeException", "writable:false". */
    private final List<String> log = new ArrayList<>();
    private final Map<String, Throwable> failures = new HashMap<>();
    private final PendingDatagramWritesManager manager =
            new PendingDatagramWritesManager(writable -> log.add("writable:" + writable));

    private WriteCompletion recording(String tag) {
        return failure -> {
            log.add(tag + ":" + (failure == null ? "ok" : failure.getClass().getSimpleName()));
            if (failure != null) {
                failures.put(tag, failure);
            }
        };
    }

    private boolean add(String tag, int length) {
        return Tags.queue(manager, tag, length, PEER, recording(tag));
    }

    private void addFlushed(int n, int length) {
        for (int i = 0; i < n; i++) {
            add("w" + i, length);
        }
        manager.flush();
    }

    @Test
    void eighteenFlushedWritesWithOneDatagramPerCallMakeSeventeenCallsThenSpinExhausted() {
        addFlushed(18, 10);
        ScriptedWriter writer = new ScriptedWriter().then(repeat(17, 1));

        WriteResult result = manager.write(writer);

        assertSame(WriteResult.SPIN_EXHAUSTED, result);
        assertEquals(17, writer.calls.size());
        assertEquals(1, manager.pendingDatagrams());
        assertEquals(10, manager.pendingBytes());
        assertEquals(17, log.size());
        assertEquals("w16:ok", log.get(16));
        assertTrue(manager.isFlushPending());
    }

    @Test
    void sendmmsgAcceptingThreeOfFiveCompletesOnlyThoseThreeInOrder() {
        addFlushed(5, 100);
        ScriptedWriter writer = new ScriptedWriter().then(3, -Errno.EAGAIN);

        WriteResult result = manager.write(writer);

        assertSame(WriteResult.WOULD_BLOCK, result);
        assertEquals(List.of("w0:ok", "w1:ok", "w2:ok"), log);
        assertEquals(2, manager.pendingDatagrams());
        assertEquals(200, manager.pendingBytes());
        assertEquals(5, writer.calls.get(0).count());
        assertEquals(List.of("w3", "w4"), writer.calls.get(1).tags(), "the second call starts at the first unsent datagram");

        assertSame(WriteResult.ALL_WRITTEN, manager.write(writer));
        assertEquals(List.of("w0:ok", "w1:ok", "w2:ok", "w3:ok", "w4:ok"), log);
        assertTrue(manager.isEmpty());
    }

    @Test
    void emsgsizeOnSecondOfThreeFailsOnlyTheSecond() {
        addFlushed(3, 100);
        ScriptedWriter writer = new ScriptedWriter().failing("w1", Errno.EMSGSIZE);

        assertSame(WriteResult.ALL_WRITTEN, manager.write(writer));

        assertEquals(List.of("w0:ok", "w1:DatagramTooLargeException", "w2:ok"), log);
        DatagramTooLargeException e = (DatagramTooLargeException) failures.get("w1");
        assertEquals(PEER, e.destination());
        assertEquals(Errno.EMSGSIZE, e.errno());
        // sendmmsg sent w0 and stopped; the failing sendmmsg for w1 is followed by a lone retry
        // of w1 to learn that the error is its own; w2 is then alone.
        List<ScriptedWriter.Call> calls = writer.calls;
        assertEquals(4, calls.size());
        assertTrue(calls.get(0).vector());
        assertEquals(1, calls.get(0).returned());
        assertTrue(calls.get(1).vector());
        assertEquals(-Errno.EMSGSIZE, calls.get(1).returned());
        assertFalse(calls.get(2).vector());
        assertEquals(List.of("w1"), calls.get(2).tags());
        assertFalse(calls.get(3).vector());
        assertEquals(List.of("w2"), calls.get(3).tags());
        assertTrue(manager.isOpen());
        assertEquals(0, manager.pendingBytes());
    }

    @Test
    void flushedWritesBeyond1024GoOutInASecondCall() {
        addFlushed(1025, 1);
        ScriptedWriter writer = new ScriptedWriter();

        assertSame(WriteResult.ALL_WRITTEN, manager.write(writer));

        assertEquals(2, writer.calls.size());
        assertTrue(writer.calls.get(0).vector());
        assertEquals(1024, writer.calls.get(0).count());
        // One flushed datagram is left, and one datagram always goes the scalar way.
        assertEquals(List.of("w1024"), writer.calls.get(1).tags());
        assertEquals(1025, log.size());
        assertTrue(manager.isEmpty());
    }

    @Test
    void twoThousandFlushedWritesNeverPutMoreThan1024InOneVectorCall() {
        addFlushed(2050, 1);
        ScriptedWriter writer = new ScriptedWriter();

        manager.write(writer);

        assertEquals(List.of(1024, 1024, 2), writer.calls.stream().map(ScriptedWriter.Call::count).toList());
        assertTrue(writer.calls.get(2).vector());
    }

    @Test
    void manyEmptyDatagramsAreQueuedCountedAndSent() {
        addFlushed(300, 0);
        assertEquals(300, manager.pendingDatagrams());
        assertEquals(0, manager.pendingBytes());
        assertTrue(manager.isWritable());

        ScriptedWriter writer = new ScriptedWriter();
        assertSame(WriteResult.ALL_WRITTEN, manager.write(writer));

        assertEquals(1, writer.calls.size());
        assertEquals(300, writer.calls.get(0).count());
        assertEquals(300, log.size());
        assertTrue(manager.isEmpty());
    }

    @Test
    void closeFromFirstCompletionOfVectorWriteCompletesEveryOtherWriteOnceInQueueOrder() {
        // The seed's warned-about reordering: A and B written together, A's callback closes,
        // C must not fail before B succeeds.
        Tags.queue(manager, "A", 10, PEER, (WriteCompletion) failure -> {
            log.add("A:" + (failure == null ? "ok" : "failed"));
            manager.failAll(new ChannelClosedException(), true);
        });
        add("B", 10);
        add("C", 10);
        manager.flush();
        add("D", 10);
        ScriptedWriter writer = new ScriptedWriter().then(2);

        WriteResult result = manager.write(writer);

        assertSame(WriteResult.ALL_WRITTEN, result);
        assertEquals(List.of("A:ok", "B:ok", "C:ChannelClosedException", "D:ChannelClosedException"), log);
        assertEquals(1, writer.calls.size(), "nothing is sent after the close");
        assertFalse(manager.isOpen());
        assertTrue(manager.isEmpty());
        assertEquals(0, manager.pendingBytes());
    }

    @Test
    void completionThatWritesAgainIsServedByTheRunningWriteWithoutNesting() {
        List<WriteResult> nested = new ArrayList<>();
        ScriptedWriter writer = new ScriptedWriter();
        Tags.queue(manager, "A", 10, PEER, (WriteCompletion) failure -> {
            log.add("A:ok");
            add("E", 10);
            manager.flush();
            nested.add(manager.write(writer));
        });
        add("B", 10);
        manager.flush();

        assertSame(WriteResult.ALL_WRITTEN, manager.write(writer));

        assertEquals(List.of(WriteResult.ALREADY_WRITING), nested);
        assertEquals(List.of("A:ok", "B:ok", "E:ok"), log);
        assertEquals(List.of("A", "B", "E"), writer.allTagsSent());
        assertTrue(manager.isEmpty());
    }

    @Test
    void unflushedWritesAreNeverSent() {
        addFlushed(3, 10);
        add("late1", 10);
        add("late2", 10);
        ScriptedWriter writer = new ScriptedWriter();

        assertSame(WriteResult.ALL_WRITTEN, manager.write(writer));

        assertEquals(List.of("w0", "w1", "w2"), writer.allTagsSent());
        assertEquals(2, manager.pendingDatagrams());
        assertEquals(20, manager.pendingBytes());
        assertFalse(manager.isFlushPending());
        assertSame(WriteResult.ALL_WRITTEN, manager.write(writer));
        assertEquals(3, writer.allTagsSent().size(), "a write without a new flush sends nothing");
    }

    @Test
    void waterMarkTransitionsFireExactlyOnceEach() {
        manager.setWaterMarks(100, 200);
        assertTrue(add("a", 100));
        assertTrue(add("b", 100));
        assertFalse(add("c", 100), "300 > 200: unwritable");
        assertFalse(add("d", 100));
        assertFalse(manager.isWritable());
        manager.flush();
        ScriptedWriter writer = new ScriptedWriter().then(1, 1, 1, 1);
        manager.setWriteSpinCount(0);

        manager.write(writer); // 300 left
        manager.write(writer); // 200 left
        manager.write(writer); // 100 left: not below 100 yet
        assertFalse(manager.isWritable());
        manager.write(writer); // 0 left
        assertTrue(manager.isWritable());

        assertEquals(List.of("writable:false", "a:ok", "b:ok", "c:ok", "d:ok", "writable:true"),
                log.stream().filter(s -> s.startsWith("writable") || s.endsWith(":ok")).toList());
        assertEquals(2, log.stream().filter(s -> s.startsWith("writable")).count());
    }

    @Test
    void writabilityIsReEvaluatedWhenWaterMarksChange() {
        add("a", 500);
        manager.setWaterMarks(100, 200);
        assertFalse(manager.isWritable());
        manager.setWaterMarks(1000, 2000);
        assertTrue(manager.isWritable());
        assertEquals(List.of("writable:false", "writable:true"), log);
    }

    @Test
    void badWaterMarksAndSpinCountsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> manager.setWaterMarks(-1, 10));
        assertThrows(IllegalArgumentException.class, () -> manager.setWaterMarks(10, 9));
        assertThrows(IllegalArgumentException.class, () -> manager.setWriteSpinCount(-1));
        manager.setWaterMarks(0, 0);
        manager.setWriteSpinCount(0);
    }

    @Test
    void eagainKeepsEverything() {
        addFlushed(4, 50);
        add("unflushed", 50);
        ScriptedWriter writer = new ScriptedWriter().then(-Errno.EAGAIN);

        assertSame(WriteResult.WOULD_BLOCK, manager.write(writer));

        assertEquals(1, writer.calls.size());
        assertTrue(log.isEmpty());
        assertEquals(5, manager.pendingDatagrams());
        assertEquals(250, manager.pendingBytes());
        assertTrue(manager.isFlushPending());
        assertTrue(manager.isOpen());
    }

    @Test
    void eintrIsRetriedAndCountsAsACall() {
        addFlushed(2, 50);
        manager.setWriteSpinCount(1);
        ScriptedWriter writer = new ScriptedWriter().then(-Errno.EINTR, -Errno.EINTR);

        assertSame(WriteResult.SPIN_EXHAUSTED, manager.write(writer));
        assertEquals(2, writer.calls.size());
        assertSame(WriteResult.ALL_WRITTEN, manager.write(writer));
        assertEquals(List.of("w0:ok", "w1:ok"), log);
    }

    @Test
    void fatalErrnoFailsAllInOrderAndReportsFatal() {
        addFlushed(2, 10);
        add("unflushed", 10);
        ScriptedWriter writer = new ScriptedWriter().then(-Errno.EBADF);

        WriteResult result = manager.write(writer);

        WriteResult.Fatal fatal = assertInstanceOf(WriteResult.Fatal.class, result);
        NativeIOException cause = assertInstanceOf(NativeIOException.class, fatal.cause());
        assertEquals("sendmmsg", cause.operation());
        assertEquals(Errno.EBADF, cause.errno());
        assertEquals(List.of("w0:ChannelClosedException", "w1:ChannelClosedException", "unflushed:ChannelClosedException"), log);
        assertSame(cause, failures.get("w0").getCause());
        assertFalse(manager.isOpen());
        assertTrue(manager.isEmpty());

        assertTrue(add("after", 10));
        assertEquals("after:ChannelClosedException", log.get(3));
        assertEquals("write after close", failures.get("after").getMessage());
        assertTrue(manager.isEmpty());
    }

    @Test
    void fatalErrnoOnAScalarWriteNamesSendmsg() {
        addFlushed(1, 10);
        WriteResult result = manager.write(new ScriptedWriter().then(-Errno.ENOTSOCK));
        NativeIOException cause = (NativeIOException) ((WriteResult.Fatal) result).cause();
        assertEquals("sendmsg", cause.operation());
        assertEquals(Errno.ENOTSOCK, cause.errno());
    }

    @Test
    void hostAndNetworkUnreachableFailOnlyTheirDatagram() {
        addFlushed(3, 10);
        ScriptedWriter writer = new ScriptedWriter().failing("w0", Errno.EHOSTUNREACH).failing("w2", Errno.ENETUNREACH);

        assertSame(WriteResult.ALL_WRITTEN, manager.write(writer));

        assertEquals(List.of("w0:HostUnreachableException", "w1:ok", "w2:HostUnreachableException"), log);
        assertEquals(Errno.EHOSTUNREACH, ((DatagramWriteException) failures.get("w0")).errno());
        assertEquals(Errno.ENETUNREACH, ((DatagramWriteException) failures.get("w2")).errno());
        assertEquals(PEER, ((DatagramWriteException) failures.get("w2")).destination());
    }

    @Test
    void recoverableVectorErrorWithSpinCountZeroStillMakesProgress() {
        manager.setWriteSpinCount(0);
        addFlushed(3, 10);
        ScriptedWriter writer = new ScriptedWriter().failing("w0", Errno.EMSGSIZE);

        assertSame(WriteResult.SPIN_EXHAUSTED, manager.write(writer)); // vector: EMSGSIZE
        assertSame(WriteResult.SPIN_EXHAUSTED, manager.write(writer)); // w0 alone: fails
        assertSame(WriteResult.ALL_WRITTEN, manager.write(writer));    // w1, w2 together

        assertEquals(List.of("w0:DatagramTooLargeException", "w1:ok", "w2:ok"), log);
        assertEquals(List.of(true, false, true), writer.calls.stream().map(ScriptedWriter.Call::vector).toList());
    }

    @Test
    void aScalarWriteOfAnyByteCountCountsAsTheWholeDatagram() {
        addFlushed(1, 1000);
        assertSame(WriteResult.ALL_WRITTEN, manager.write(new ScriptedWriter().then(3)));
        assertEquals(List.of("w0:ok"), log);
        assertEquals(0, manager.pendingBytes());
    }

    @Test
    void firstDatagramOverTheVectorByteLimitGoesOutAlone() {
        PendingDatagramWritesManager small = new PendingDatagramWritesManager(w -> { }, 1024, 1000);
        Tags.queue(small, "huge", 5000, PEER, recording("huge"));
        Tags.queue(small, "s1", 10, PEER, recording("s1"));
        Tags.queue(small, "s2", 10, PEER, recording("s2"));
        small.flush();
        ScriptedWriter writer = new ScriptedWriter().then(-Errno.EMSGSIZE);

        assertSame(WriteResult.ALL_WRITTEN, small.write(writer));

        assertFalse(writer.calls.get(0).vector(), "the oversized head is sent alone to get its own error");
        assertEquals(List.of("huge"), writer.calls.get(0).tags());
        assertTrue(writer.calls.get(1).vector());
        assertEquals(List.of("huge:DatagramTooLargeException", "s1:ok", "s2:ok"), log);
    }

    @Test
    void vectorCallsStopBeforeTheByteLimit() {
        int big = Integer.MAX_VALUE / 2 + 1;
        addFlushed(3, big);
        assertEquals(3L * big, manager.pendingBytes());
        ScriptedWriter writer = new ScriptedWriter();

        manager.write(writer);

        // Two such datagrams together exceed Integer.MAX_VALUE, so each call carries one.
        assertEquals(List.of(1, 1, 1), writer.calls.stream().map(ScriptedWriter.Call::count).toList());
        assertEquals(List.of(true, true, false), writer.calls.stream().map(ScriptedWriter.Call::vector).toList());
        assertEquals(0, manager.pendingBytes());
    }

    @Test
    void writeWithoutDestinationOnUnconnectedChannelFailsAtOnce() {
        boolean writable = Tags.queue(manager, "x", 10, null, recording("x"));

        assertTrue(writable);
        assertEquals(List.of("x:NotConnectedException"), log);
        assertTrue(manager.isEmpty());
        assertNull(((NotConnectedException) failures.get("x")).destination());
    }

    @Test
    void writeToAnotherAddressThanTheConnectedPeerFailsAtOnce() {
        manager.setConnectedPeer(PEER);
        Tags.queue(manager, "other", 10, OTHER, recording("other"));
        Tags.queue(manager, "same", 10, new InetSocketAddress("127.0.0.1", 9000), recording("same"));
        Tags.queue(manager, "none", 10, null, recording("none"));

        assertEquals(List.of("other:AddressMismatchException"), log);
        assertEquals(OTHER, ((AddressMismatchException) failures.get("other")).destination());
        assertEquals(2, manager.pendingDatagrams());
        manager.flush();
        ScriptedWriter writer = new ScriptedWriter();
        manager.write(writer);
        assertEquals(List.of("same", "none"), writer.allTagsSent());
    }

    @Test
    void connectingFailsQueuedWritesInOrder() {
        add("a", 10);
        manager.flush();
        Tags.queue(manager, "b", 10, OTHER, recording("b"));

        manager.setConnectedPeer(PEER);

        assertEquals(List.of("a:ConnectedWhilePendingException", "b:ConnectedWhilePendingException"), log);
        assertEquals(OTHER, ((ConnectedWhilePendingException) failures.get("b")).destination());
        assertTrue(manager.isEmpty());
        assertFalse(manager.isFlushPending());
        assertTrue(manager.isOpen());
    }

    @Test
    void connectionRefusedFailsOnlyItsDatagramOnAConnectedChannel() {
        manager.setConnectedPeer(PEER);
        Tags.queue(manager, "a", 10, null, recording("a"));
        Tags.queue(manager, "b", 10, null, recording("b"));
        manager.flush();

        manager.write(new ScriptedWriter().failing("a", Errno.ECONNREFUSED));

        assertEquals(List.of("a:ConnectionRefusedException", "b:ok"), log);
        ConnectionRefusedException e = (ConnectionRefusedException) failures.get("a");
        assertEquals(PEER, e.destination(), "a datagram without address carries the connected peer");
        assertEquals(Errno.ECONNREFUSED, e.errno());
    }

    @Test
    void connectionRefusedOnAnUnconnectedChannelIsFatal() {
        addFlushed(1, 10);
        assertInstanceOf(WriteResult.Fatal.class, manager.write(new ScriptedWriter().then(-Errno.ECONNREFUSED)));
        assertFalse(manager.isOpen());
    }

    @Test
    void writesWithoutDestinationLeftQueuedAcrossADisconnectFailWhenTheyComeUp() {
        manager.setConnectedPeer(PEER);
        Tags.queue(manager, "a", 10, null, recording("a"));
        Tags.queue(manager, "b", 10, OTHER, recording("b")); // refused: not the peer
        Tags.queue(manager, "c", 10, PEER, recording("c"));
        Tags.queue(manager, "d", 10, null, recording("d"));
        manager.flush();
        manager.setConnectedPeer(null);
        ScriptedWriter writer = new ScriptedWriter();

        assertSame(WriteResult.ALL_WRITTEN, manager.write(writer));

        assertEquals(List.of("b:AddressMismatchException", "a:NotConnectedException", "c:ok", "d:NotConnectedException"), log);
        assertEquals(List.of("c"), writer.allTagsSent());
        assertTrue(manager.isEmpty());
    }

    @Test
    void writeAfterCloseFailsAtOnce() {
        add("a", 10);
        manager.failAll(new ChannelClosedException(), true);
        Tags.queue(manager, "late", 10, PEER, recording("late"));

        assertEquals(List.of("a:ChannelClosedException", "late:ChannelClosedException"), log);
        assertEquals("write after close", failures.get("late").getMessage());
        assertTrue(manager.isEmpty());
        assertSame(WriteResult.ALL_WRITTEN, manager.write(new ScriptedWriter()));
    }

    @Test
    void failAllWithoutCloseKeepsTheManagerOpen() {
        addFlushed(2, 10);
        IllegalStateException cause = new IllegalStateException("test");
        manager.failAll(cause, false);

        assertSame(cause, failures.get("w0"));
        assertTrue(manager.isOpen());
        assertTrue(manager.isEmpty());
        assertFalse(manager.isFlushPending());
        add("again", 10);
        manager.flush();
        manager.write(new ScriptedWriter());
        assertEquals("again:ok", log.get(2));
    }

    @Test
    void completionThatThrowsDoesNotStopTheOthers() {
        List<Throwable> reported = new ArrayList<>();
        manager.setCompletionErrorHandler(reported::add);
        Tags.queue(manager, "bad", 10, PEER, (WriteCompletion) f -> {
            log.add("bad:ok");
            throw new IllegalStateException("boom");
        });
        add("good", 10);
        manager.flush();

        assertSame(WriteResult.ALL_WRITTEN, manager.write(new ScriptedWriter()));

        assertEquals(List.of("bad:ok", "good:ok"), log);
        assertEquals(1, reported.size());
        assertEquals("boom", reported.get(0).getMessage());
    }

    @Test
    void completableFuturesAreCompletedNormallyOrExceptionally() throws Exception {
        CompletableFuture<Void> ok = new CompletableFuture<>();
        CompletableFuture<Void> tooBig = new CompletableFuture<>();
        Tags.queueFuture(manager, "ok", 10, PEER, ok);
        Tags.queueFuture(manager, "big", 10, PEER, tooBig);
        Tags.queue(manager, "none", 10, PEER, null);
        manager.flush();

        manager.write(new ScriptedWriter().failing("big", Errno.EMSGSIZE));

        assertNull(ok.get());
        ExecutionException e = assertThrows(ExecutionException.class, tooBig::get);
        assertInstanceOf(DatagramTooLargeException.class, e.getCause());
        assertTrue(manager.isEmpty());
    }

    @Test
    void badValuesAreRejectedBeforeAnythingIsQueued() {
        assertThrows(IllegalArgumentException.class, () -> manager.claim().buffer(Tags.payload("x"), 0, -1));
        assertThrows(IllegalArgumentException.class, () -> manager.claim().buffer(Tags.payload("x"), -1, 1));
        assertThrows(IllegalArgumentException.class, () -> manager.claim().segment(MemorySegment.ofArray(new byte[1]), -1, 1));
        assertThrows(IllegalArgumentException.class, () -> manager.claim().ecn(4));
        assertThrows(IllegalArgumentException.class, () -> manager.claim().ecn(-2));
        assertThrows(IllegalArgumentException.class, () -> manager.claim().segmentSize(-1));
        assertTrue(manager.isEmpty());
        assertEquals(0, manager.pendingBytes());
    }

    @Test
    void commitNeedsAClaimAndAPayload() {
        PendingDatagramWritesManager fresh = new PendingDatagramWritesManager(w -> { });
        assertThrows(IllegalStateException.class, fresh::commit);
        fresh.claim().destination(PEER);
        assertThrows(IllegalStateException.class, fresh::commit, "no buffer or segment");
        assertThrows(IllegalStateException.class, fresh::commit, "the failed commit consumed the claim");
        assertTrue(fresh.isEmpty());
    }

    @Test
    void claimHandsOutTheSameClearedSlotUntilCommitted() {
        PendingWrite first = manager.claim().buffer(Tags.payload("a"), 0, 10).destination(PEER).ecn(1).segmentSize(5)
                .completion(recording("a"));
        PendingWrite again = manager.claim();
        assertSame(first, again, "an uncommitted claim is not queued; the slot is reused");
        assertNull(again.buffer());
        assertNull(again.destination());
        assertNull(again.completion());
        assertEquals(PendingWrite.NO_ECN, again.ecn());
        assertEquals(0, again.segmentSize());
        assertEquals(0, again.length());
        assertTrue(manager.isEmpty());

        again.buffer(Tags.payload("b"), 0, 10).destination(PEER).completion(recording("b"));
        assertTrue(manager.commit());
        assertEquals(1, manager.pendingDatagrams());
        assertEquals(10, manager.pendingBytes());
        assertNotSame(again, manager.claim(), "after a commit the next claim is the next slot");
    }

    @Test
    void aRefusedCommitCompletesAtOnceAndLeavesTheSlotClear() {
        PendingWrite w = manager.claim().buffer(Tags.payload("x"), 0, 10).destination(OTHER).completion(recording("x"));
        manager.setConnectedPeer(PEER);
        manager.commit();
        assertEquals(List.of("x:AddressMismatchException"), log);
        assertTrue(manager.isEmpty());
        assertNull(w.buffer(), "a refused slot keeps nothing alive");
        assertNull(w.completion());
    }

    @Test
    void writeWithNothingFlushedMakesNoCall() {
        add("a", 10);
        ScriptedWriter writer = new ScriptedWriter();
        assertSame(WriteResult.ALL_WRITTEN, manager.write(writer));
        assertTrue(writer.calls.isEmpty());
    }

    @Test
    void metadataReachesTheWriterUnchanged() {
        java.net.InetAddress source = java.net.InetAddress.getLoopbackAddress();
        java.nio.ByteBuffer payload = Tags.payload("m");
        manager.claim().buffer(payload, 7, 20).destination(PEER).ecn(2).segmentSize(1200).source(source);
        manager.commit();
        manager.flush();
        List<Object[]> seen = new ArrayList<>();
        manager.write(new DatagramWriter() {
            @Override
            public void writeScalar(PendingWrite w, SendOutcome out) {
                seen.add(new Object[] {w.buffer(), w.segment(), w.offset(), w.length(), w.destination(), w.ecn(),
                        w.segmentSize(), w.source(), w.completion(), w.segmentsSent()});
                out.sent(1);
            }

            @Override
            public void writeVector(WriteBatch batch, int count, SendOutcome out) {
                throw new AssertionError("one datagram goes scalar");
            }
        });
        Object[] w = seen.get(0);
        assertSame(payload, w[0]);
        assertNull(w[1]);
        assertEquals(7L, w[2]);
        assertEquals(20, w[3]);
        assertEquals(PEER, w[4]);
        assertEquals(2, w[5]);
        assertEquals(1200, w[6]);
        assertSame(source, w[7]);
        assertNull(w[8]);
        assertEquals(0, w[9]);
    }

    @Test
    void aPartialSoftwareSplitWaitsAndResumesWhereItStopped() {
        List<Integer> segmentsSeen = new ArrayList<>();
        manager.claim().buffer(Tags.payload("gso"), 0, 50).destination(PEER).segmentSize(10).completion(recording("gso"));
        manager.commit();
        add("next", 10);
        manager.flush();
        // 5 segments: the first call sends 3 and would block, the next sends the other 2.
        ScriptedWriter writer = new ScriptedWriter().thenSplitBlocked(3).then(1, 1);

        assertSame(WriteResult.WOULD_BLOCK, manager.write(writer));
        assertEquals(List.of(), log, "nothing completes while segments are outstanding");
        assertEquals(2, manager.pendingDatagrams());
        assertEquals(60, manager.pendingBytes(), "the datagram counts whole until all of it is out");
        assertTrue(manager.isFlushPending());

        assertSame(WriteResult.ALL_WRITTEN, manager.write(writer));
        for (ScriptedWriter.Call c : writer.calls) {
            segmentsSeen.add(c.headSegmentsSent());
        }
        assertEquals(List.of(0, 3, 0), segmentsSeen, "the second call resumes after the 3 sent segments");
        assertEquals(List.of("gso", "next"), writer.calls.get(1).tags());
        assertEquals(List.of("gso:ok", "next:ok"), log, "the split datagram completes once, in order");
        assertTrue(manager.isEmpty());
    }

    @Test
    void splitProgressIsForgottenWhenTheSlotIsReused() {
        manager.claim().buffer(Tags.payload("gso"), 0, 50).destination(PEER).segmentSize(10).completion(recording("gso"));
        manager.commit();
        manager.flush();
        ScriptedWriter writer = new ScriptedWriter().thenSplitBlocked(2).then(-Errno.EMSGSIZE);
        assertSame(WriteResult.WOULD_BLOCK, manager.write(writer));
        assertSame(WriteResult.ALL_WRITTEN, manager.write(writer));
        assertEquals(List.of("gso:DatagramTooLargeException"), log, "an error part-way fails the datagram alone");
        // The ring has reused slots since; a new datagram with a segment size starts at segment 0.
        for (int i = 0; i < 40; i++) {
            manager.claim().buffer(Tags.payload("g" + i), 0, 50).destination(PEER).segmentSize(10);
            manager.commit();
            manager.flush();
            ScriptedWriter fresh = new ScriptedWriter();
            manager.write(fresh);
            assertEquals(0, fresh.calls.get(0).headSegmentsSent(), "slot " + i);
        }
    }

    private static int[] repeat(int n, int value) {
        int[] a = new int[n];
        java.util.Arrays.fill(a, value);
        return a;
    }
}
