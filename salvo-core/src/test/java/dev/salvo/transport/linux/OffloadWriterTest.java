package dev.salvo.transport.linux;

import static dev.salvo.transport.linux.LinuxConstants.AF_INET;
import static dev.salvo.transport.linux.LinuxConstants.AF_INET6;
import static dev.salvo.transport.linux.LinuxConstants.IP_RECVTOS;
import static dev.salvo.transport.linux.LinuxConstants.SOL_IP;
import static dev.salvo.transport.linux.LinuxConstants.SOL_SOCKET;
import static dev.salvo.transport.linux.LinuxConstants.SO_RCVBUF;
import static dev.salvo.transport.linux.Structs.IOVEC_SIZE;
import static dev.salvo.transport.linux.Structs.IOV_LEN;
import static dev.salvo.transport.linux.Structs.MMSGHDR_SIZE;
import static dev.salvo.transport.linux.Structs.MSG_CONTROL;
import static dev.salvo.transport.linux.Structs.MSG_CONTROLLEN;
import static dev.salvo.transport.linux.Structs.MSG_IOV;
import static dev.salvo.transport.linux.Structs.MSG_IOVLEN;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.salvo.write.PendingDatagramWritesManager;
import dev.salvo.write.PendingWrite;
import dev.salvo.write.SendError;
import dev.salvo.write.SendOutcome;
import dev.salvo.write.WriteResult;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The managed writer's offloads against the real kernel, with a recording (and, where a test needs
 * a refusal this kernel would not make, scripted) system call layer.
 */
class OffloadWriterTest {
    /** SOL_SOCKET option: no UDP checksums; GSO sends then fail with EINVAL, a real kernel refusal. */
    private static final int SO_NO_CHECK = 11;

    private Arena arena;
    private SendScratch scratch;
    private int rx;
    private int tx;
    private InetSocketAddress rxAddress;
    private final Recorder recorder = new Recorder();

    /** One message as the kernel was handed it. */
    record Message(int iovecs, int bytes, int segmentSize, int tos) {
    }

    /** Forwards to libc, recording every message and letting a test refuse some. */
    static final class Recorder implements SendCalls {
        final List<List<Message>> calls = new ArrayList<>();
        /** Given the message index 0 segment size (or -1 for none) → -errno to refuse, 0 to forward. */
        IntUnaryOperator refuseGso = seg -> 0;
        /** Refuse messages carrying a TOS/TCLASS with this errno (0: forward). */
        int refuseTos;
        /** When > 0, sendmmsg sends at most this many messages, once. */
        int shortOnce;

        @Override
        public long sendmsg(MemorySegment callState, int fd, MemorySegment msghdr, int flags) {
            Message m = decode(msghdr, 0);
            calls.add(List.of(m));
            int refusal = refusal(m);
            return refusal != 0 ? refusal : Libc.sendmsg(callState, fd, msghdr, flags);
        }

        @Override
        public int sendmmsg(MemorySegment callState, int fd, MemorySegment mmsg, int vlen, int flags) {
            List<Message> ms = new ArrayList<>();
            for (int i = 0; i < vlen; i++) {
                ms.add(decode(mmsg, i * MMSGHDR_SIZE));
            }
            calls.add(ms);
            int refusal = refusal(ms.get(0));
            if (refusal != 0) {
                return refusal;
            }
            int n = vlen;
            if (shortOnce > 0) {
                n = Math.min(vlen, shortOnce);
                shortOnce = 0;
            }
            return Libc.sendmmsg(callState, fd, mmsg, n, flags);
        }

        private int refusal(Message m) {
            if (m.segmentSize() > 0) {
                int r = refuseGso.applyAsInt(m.segmentSize());
                if (r != 0) {
                    return r;
                }
            }
            return refuseTos != 0 && m.tos() >= 0 ? refuseTos : 0;
        }

        private static Message decode(MemorySegment mmsg, long hdr) {
            MemorySegment all = MemorySegment.ofAddress(0).reinterpret(Long.MAX_VALUE);
            long iov = mmsg.get(JAVA_LONG, hdr + MSG_IOV);
            int iovlen = (int) mmsg.get(JAVA_LONG, hdr + MSG_IOVLEN);
            int bytes = 0;
            for (int k = 0; k < iovlen; k++) {
                bytes += (int) all.get(JAVA_LONG, iov + k * IOVEC_SIZE + IOV_LEN);
            }
            long control = mmsg.get(JAVA_LONG, hdr + MSG_CONTROL);
            long controlLen = mmsg.get(JAVA_LONG, hdr + MSG_CONTROLLEN);
            ControlData cd = new ControlData();
            if (control != 0 && controlLen > 0) {
                Cmsg.decode(MemorySegment.ofAddress(control).reinterpret(controlLen), 0, controlLen, cd);
            }
            int tos = cd.tos >= 0 ? cd.tos : cd.trafficClass;
            return new Message(iovlen, bytes, cd.segmentSize, tos);
        }

        List<Integer> lastIovecs() {
            return calls.getLast().stream().map(Message::iovecs).toList();
        }
    }

    @BeforeEach
    void open() throws Exception {
        arena = Arena.ofConfined();
        scratch = new SendScratch(arena);
        rx = TestSockets.bound(AF_INET, TestSockets.V4_ANY_PORT);
        tx = TestSockets.bound(AF_INET, TestSockets.V4_ANY_PORT);
        Sockets.setInt(rx, SOL_SOCKET, SO_RCVBUF, 8 << 20);
        rxAddress = (InetSocketAddress) Sockets.localAddress(rx);
    }

    @AfterEach
    void close() {
        Sockets.closeQuietly(rx);
        Sockets.closeQuietly(tx);
        arena.close();
    }

    private LinuxDatagramWriter managed(int maxSegments) {
        return new LinuxDatagramWriter(tx, AF_INET, scratch, recorder, true, true, maxSegments);
    }

    /** A native payload whose bytes are (seq, then a pattern), so that every datagram is recognisable. */
    private MemorySegment payload(int seq, int length) {
        MemorySegment m = arena.allocate(Math.max(1, length));
        for (int j = 0; j < length; j++) {
            m.set(JAVA_BYTE, j, (byte) (seq * 13 + j));
        }
        if (length >= 4) {
            m.set(JAVA_INT_UNALIGNED, 0, seq);
        }
        return m;
    }

    private TestSockets.ListBatch batch(int count, int length, SocketAddress to) {
        TestSockets.ListBatch b = new TestSockets.ListBatch();
        for (int i = 0; i < count; i++) {
            b.add(payload(i, length), 0, length, to);
        }
        return b;
    }

    /** Receives exactly the batch's datagrams, in order and intact. */
    private void expectArrival(TestSockets.ListBatch sent) throws Exception {
        for (int i = 0; i < sent.size(); i++) {
            PendingWrite w = sent.get(i);
            TestSockets.Received r = TestSockets.recvmsg(rx, 65_536);
            assertNotNull(r, "datagram " + i + " never arrived");
            byte[] expected = w.segment().asSlice(w.offset(), w.length()).toArray(JAVA_BYTE);
            assertArrayEquals(expected, r.payload(), "datagram " + i + " differs");
        }
        assertNull(pollOnce(), "more datagrams arrived than were sent");
    }

    private TestSockets.Received pollOnce() {
        try (Arena a = Arena.ofConfined()) {
            RecvBatch b = new RecvBatch(a, 1, 65_535);
            int n = b.receive(rx);
            return n > 0 ? new TestSockets.Received(new byte[0], null, 0, null) : null;
        }
    }

    @Test
    void equalDatagramsToOneDestinationGoOutAsOneGsoMessageWithAnIovecEach() throws Exception {
        LinuxDatagramWriter w = managed(128);
        TestSockets.ListBatch b = batch(10, 1200, rxAddress);
        assertEquals(10, TestSockets.vector(w, b, 10), "the result counts original datagrams");
        assertEquals(List.of(new Message(10, 12_000, 1200, -1)), recorder.calls.getLast());
        assertEquals(1, w.offloadStats().coalescedSends());
        assertEquals(10, w.offloadStats().coalescedDatagrams());
        expectArrival(b);
    }

    @Test
    void runsBreakAtDestinationEcnSourceSizeAndAShorterLastDatagram() throws Exception {
        int other = TestSockets.bound(AF_INET, TestSockets.V4_ANY_PORT);
        try {
            SocketAddress elsewhere = Sockets.localAddress(other);
            LinuxDatagramWriter w = managed(128);
            TestSockets.ListBatch b = new TestSockets.ListBatch();
            for (int i = 0; i < 3; i++) {
                b.add(payload(i, 100), 0, 100, rxAddress);           // run of 3
            }
            b.add(payload(3, 60), 0, 60, rxAddress);                  // shorter: ends that run (4)
            b.add(payload(4, 100), 0, 100, rxAddress);                // new run of 2
            b.add(payload(5, 100), 0, 100, rxAddress);
            b.add(payload(6, 100), 0, 100, elsewhere);                // other destination: alone
            PendingWrite ecn = b.add(payload(7, 100), 0, 100, rxAddress);
            TestSockets.fill(ecn, TestSockets.payloadOf(ecn), 0, 100, rxAddress, 1, 0, null); // other ECN: alone
            b.add(payload(8, 100), 0, 100, rxAddress);                // run of 2 with the next
            b.add(payload(9, 100), 0, 100, rxAddress);
            PendingWrite src = b.add(payload(10, 100), 0, 100, rxAddress);
            TestSockets.fill(src, TestSockets.payloadOf(src), 0, 100, rxAddress, -1, 0, InetAddress.getByName("127.0.0.1"));
            b.add(payload(11, 150), 0, 150, rxAddress);               // longer than its run: alone
            assertEquals(12, TestSockets.vector(w, b, 12));
            assertEquals(List.of(4, 2, 1, 1, 2, 1, 1), recorder.lastIovecs());
            List<Message> ms = recorder.calls.getLast();
            assertEquals(100, ms.get(0).segmentSize());
            assertEquals(360, ms.get(0).bytes());
            assertEquals(0, ms.get(2).segmentSize(), "a run of one stays a plain message");
        } finally {
            Sockets.closeQuietly(other);
        }
    }

    @Test
    void runsAreCappedBySegmentLimitAndByteLimitNotFailed() throws Exception {
        LinuxDatagramWriter w = managed(4);
        TestSockets.ListBatch b = batch(10, 100, rxAddress);
        assertEquals(10, TestSockets.vector(w, b, 10));
        assertEquals(List.of(4, 4, 2), recorder.lastIovecs());
        expectArrival(b);

        LinuxDatagramWriter big = managed(128);
        TestSockets.ListBatch large = batch(30, 3000, rxAddress);
        assertEquals(30, TestSockets.vector(big, large, 30));
        // 21 × 3000 = 63,000 ≤ 65,507 < 22 × 3000.
        assertEquals(List.of(21, 9), recorder.lastIovecs());
        expectArrival(large);
    }

    @Test
    void aShortSendmmsgCountsTheOriginalDatagramsOfTheMessagesSent() throws Exception {
        LinuxDatagramWriter w = managed(5);
        TestSockets.ListBatch b = batch(8, 200, rxAddress);
        recorder.shortOnce = 1;
        assertEquals(5, TestSockets.vector(w, b, 8), "one message of five datagrams went out");
    }

    @Test
    void emsgsizeOnACoalescedMessageResendsItUncoalescedAndStopsCoalescingThatSize() throws Exception {
        LinuxDatagramWriter w = managed(128);
        recorder.refuseGso = seg -> -Errno.EMSGSIZE; // as a path MTU below the segment would
        TestSockets.ListBatch b = batch(6, 1000, rxAddress);
        assertEquals(6, TestSockets.vector(w, b, 6));
        assertEquals(List.of(1, 1, 1, 1, 1, 1), recorder.lastIovecs());
        assertEquals(1, w.offloadStats().uncoalescedRetries());
        assertTrue(w.offloadStats().gso(), "EMSGSIZE is about size, GSO itself stays on");
        expectArrival(b);

        int calls = recorder.calls.size();
        TestSockets.ListBatch again = batch(4, 1000, rxAddress);
        assertEquals(4, TestSockets.vector(w, again, 4));
        assertEquals(calls + 1, recorder.calls.size(), "no second refusal: that size is no longer coalesced");
        expectArrival(again);
        TestSockets.ListBatch smaller = batch(4, 500, rxAddress);
        recorder.refuseGso = seg -> 0;
        assertEquals(4, TestSockets.vector(w, smaller, 4));
        assertEquals(List.of(4), recorder.lastIovecs(), "smaller datagrams are still coalesced");
        expectArrival(smaller);
    }

    @Test
    void eioOnGsoTurnsGsoOffAndResendsEveryDatagramNothingLost() throws Exception {
        LinuxDatagramWriter w = managed(128);
        recorder.refuseGso = seg -> -Errno.EIO; // a device that cannot checksum
        TestSockets.ListBatch b = batch(10, 1200, rxAddress);
        assertEquals(10, TestSockets.vector(w, b, 10));
        assertFalse(w.offloadStats().gso());
        assertFalse(w.autoGso());
        assertEquals(1, w.offloadStats().gsoFallbacks());
        expectArrival(b);

        // An explicit GSO datagram is now split in software: the same datagrams arrive.
        MemorySegment p = payload(42, 3000);
        PendingWrite gso = PendingWrite.detached();
        TestSockets.fill(gso, p, 0, 3000, rxAddress, PendingWrite.NO_ECN, 1000, null);
        assertEquals(1, TestSockets.scalar(w, gso));
        assertEquals(1, w.offloadStats().softwareSplits());
        for (int k = 0; k < 3; k++) {
            TestSockets.Received r = TestSockets.recvmsg(rx, 65_536);
            assertNotNull(r);
            assertArrayEquals(p.asSlice(k * 1000L, 1000).toArray(JAVA_BYTE), r.payload());
        }
        assertNull(pollOnce());
    }

    @Test
    void aKernelRefusingGsoWithEinvalTurnsItOffAtRunTime() throws Exception {
        // With UDP checksums off the kernel refuses every GSO send with EINVAL: a real refusal.
        Sockets.setInt(tx, SOL_SOCKET, SO_NO_CHECK, 1);
        LinuxDatagramWriter w = managed(128);
        TestSockets.ListBatch b = batch(10, 1200, rxAddress);
        assertEquals(10, TestSockets.vector(w, b, 10));
        assertEquals(1, w.offloadStats().gsoFallbacks());
        assertFalse(w.offloadStats().gso());
        expectArrival(b);

        MemorySegment p = payload(7, 2500);
        PendingWrite gso = PendingWrite.detached();
        TestSockets.fill(gso, p, 0, 2500, rxAddress, PendingWrite.NO_ECN, 1000, null);
        TestSockets.ListBatch one = new TestSockets.ListBatch();
        one.writes.add(gso);
        one.add(payload(8, 10), 0, 10, rxAddress);
        assertEquals(1, TestSockets.vector(w, one, 2), "the split datagram goes alone");
        int[] lengths = {1000, 1000, 500};
        for (int len : lengths) {
            TestSockets.Received r = TestSockets.recvmsg(rx, 65_536);
            assertNotNull(r);
            assertEquals(len, r.payload().length);
        }
    }

    @Test
    void softwareSplitCutShortBySocketResumesWithTheFirstUnsentSegment() throws Exception {
        LinuxDatagramWriter w = new LinuxDatagramWriter(tx, AF_INET, scratch, recorder, true, false, 64);
        MemorySegment p = payload(3, 10 * 300);
        PendingWrite gso = PendingWrite.detached();
        TestSockets.fill(gso, p, 0, 3000, rxAddress, PendingWrite.NO_ECN, 300, null);
        recorder.shortOnce = 4;
        SendOutcome out = TestSockets.scalarOutcome(w, gso);
        assertEquals(SendError.WOULD_BLOCK, out.error(), "four of ten segments out: wait for room");
        assertEquals(4, out.segmentsSent());
        assertEquals(10, recorder.calls.getLast().size());
        // The engine owns the progress; a detached slot has none, so the resumption goes through it.
        PendingDatagramWritesManager engine = new PendingDatagramWritesManager(writable -> { });
        List<Throwable> completions = new ArrayList<>();
        Throwable ok = new Throwable("ok");
        engine.claim().segment(p, 0, 3000).destination(rxAddress).segmentSize(300)
                .completion(f -> completions.add(f == null ? ok : f));
        engine.commit();
        engine.flush();
        recorder.shortOnce = 4;
        assertSame(WriteResult.WOULD_BLOCK, engine.write(w), "four of ten segments out: wait for room");
        assertEquals(List.of(), completions, "nothing completes while segments are outstanding");
        assertSame(WriteResult.ALL_WRITTEN, engine.write(w), "the other six go out on the retry");
        assertEquals(6, recorder.calls.getLast().size(), "the retry starts at the first unsent segment");
        assertEquals(List.of(ok), completions, "the datagram completes once");
        // The direct call above sent segments 0-3 once more; drain those first.
        for (int k = 0; k < 4; k++) {
            TestSockets.Received r = TestSockets.recvmsg(rx, 65_536);
            assertNotNull(r, "segment " + k);
            assertArrayEquals(p.asSlice(k * 300L, 300).toArray(JAVA_BYTE), r.payload(), "segment " + k);
        }
        for (int k = 0; k < 10; k++) {
            TestSockets.Received r = TestSockets.recvmsg(rx, 65_536);
            assertNotNull(r, "segment " + k);
            assertArrayEquals(p.asSlice(k * 300L, 300).toArray(JAVA_BYTE), r.payload(), "segment " + k);
        }
        assertNull(pollOnce(), "no segment was sent twice");
    }

    @Test
    void explicitGsoLimitsAreEnforcedBeforeTheSystemCall() {
        LinuxDatagramWriter w = managed(128);
        MemorySegment p = arena.allocate(70_000);
        PendingWrite d = PendingWrite.detached();
        TestSockets.fill(d, p, 0, 1000, rxAddress, PendingWrite.NO_ECN, 1200, null);
        assertEquals(-Errno.EMSGSIZE, TestSockets.scalar(w, d), "segment larger than the payload");
        TestSockets.fill(d, p, 0, 129 * 100, rxAddress, PendingWrite.NO_ECN, 100, null);
        assertEquals(-Errno.EMSGSIZE, TestSockets.scalar(w, d), "129 segments, limit 128");
        TestSockets.fill(d, p, 0, 65_508, rxAddress, PendingWrite.NO_ECN, 1200, null);
        assertEquals(-Errno.EMSGSIZE, TestSockets.scalar(w, d), "over the IPv4 UDP payload limit");
        assertTrue(recorder.calls.isEmpty(), "no system call was made");

        TestSockets.fill(d, p, 0, 128 * 100, rxAddress, PendingWrite.NO_ECN, 100, null);
        assertEquals(1, TestSockets.scalar(w, d), "exactly at the segment limit is fine");
        assertEquals(1, recorder.calls.size());

        assertEquals(SegmentationLimits.Problem.NONE,
                SegmentationLimits.check(65_527, 1200, false, 128), "IPv6 allows 65,527");
        assertEquals(SegmentationLimits.Problem.TOO_MANY_BYTES,
                SegmentationLimits.check(65_528, 1200, false, 128));
    }

    @Test
    void einvalOnAnEcnMarkedMessageTurnsEcnOffAndSendsWithoutIt() throws Exception {
        Sockets.setInt(rx, SOL_IP, IP_RECVTOS, 1);
        LinuxDatagramWriter w = managed(128);
        recorder.refuseTos = -Errno.EINVAL;
        PendingWrite d = PendingWrite.detached();
        TestSockets.fill(d, payload(1, 50), 0, 50, rxAddress, 2, 0, null);
        assertEquals(1, TestSockets.scalar(w, d));
        assertEquals(1, w.offloadStats().ecnFallbacks());
        assertFalse(w.offloadStats().ecn());
        TestSockets.Received r = TestSockets.recvmsg(rx, 2048);
        assertNotNull(r);
        assertEquals(0, r.control().tos & 3, "sent without the codepoint");
        recorder.refuseTos = 0;
        int before = recorder.calls.size();
        assertEquals(1, TestSockets.scalar(w, d));
        assertEquals(-1, recorder.calls.get(before).getFirst().tos(), "no TOS control message any more");
        assertNotNull(TestSockets.recvmsg(rx, 2048));
    }

    @Test
    void theRawWriterPassesSegmentSizesToTheKernelUnchecked() {
        LinuxDatagramWriter raw = new LinuxDatagramWriter(tx, AF_INET, scratch);
        MemorySegment p = arena.allocate(8 * 300);
        PendingWrite d = PendingWrite.detached();
        TestSockets.fill(d, p, 0, 8 * 300, rxAddress, PendingWrite.NO_ECN, 8, null);
        assertEquals(-Errno.EINVAL, TestSockets.scalar(raw, d), "the kernel itself refuses 300 segments");
        assertTrue(raw.offloadStats().gso(), "and the raw writer does not fall back");
    }

    @Test
    void dualStackSocketUsesTheIpv4PayloadLimitForMappedDestinations() throws Exception {
        int v6 = TestSockets.bound(AF_INET6, new InetSocketAddress(InetAddress.getByName("::"), 0));
        try {
            LinuxDatagramWriter w = new LinuxDatagramWriter(v6, AF_INET6, scratch, recorder, true, true, 128);
            TestSockets.ListBatch b = batch(30, 3000, rxAddress);
            assertEquals(30, TestSockets.vector(w, b, 30));
            assertEquals(List.of(21, 9), recorder.lastIovecs(), "65,507 bytes towards IPv4");
            expectArrival(b);
        } finally {
            Sockets.closeQuietly(v6);
        }
    }
}
