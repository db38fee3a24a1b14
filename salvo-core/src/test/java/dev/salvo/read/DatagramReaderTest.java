package dev.salvo.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.salvo.Ecn;
import dev.salvo.InboundDatagram;
import dev.salvo.ReceivedDatagram;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatagramReaderTest {
    private static final int LOOPBACK = 0x7F000001;

    private final List<ReceivedDatagram> got = new ArrayList<>();
    private final List<InboundDatagram> views = new ArrayList<>();
    private final ReadSink sink = d -> {
        views.add(d);
        got.add(d.copy());
    };

    @Test
    void aGroMessageIsSplitByItsStrideAndTheLastSegmentMayBeShorter() {
        FakeBatch batch = new FakeBatch();
        batch.add(1000).gro(300);
        DatagramReader reader = new DatagramReader(new SenderCache(), true);

        assertEquals(4, reader.deliver(batch, sink));

        assertEquals(List.of(300, 300, 300, 100), got.stream().map(d -> d.payload().remaining()).toList());
        for (int s = 0; s < 4; s++) {
            ReceivedDatagram d = got.get(s);
            assertEquals(300, d.segmentSize(), "every segment names the stride it was split by");
            assertEquals((byte) (s * 300), d.payload().get(0), "segment " + s + " starts at its offset");
        }
        assertEquals((byte) 999, got.get(3).payload().get(99));
    }

    @Test
    void aMessageNoLongerThanItsStrideIsDeliveredWholeAndNamesTheStride() {
        FakeBatch batch = new FakeBatch();
        batch.add(300).gro(300);
        batch.add(200).gro(1200);
        batch.add(50);
        DatagramReader reader = new DatagramReader(new SenderCache(), true);

        assertEquals(3, reader.deliver(batch, sink));

        assertEquals(List.of(300, 200, 50), got.stream().map(d -> d.payload().remaining()).toList());
        assertEquals(List.of(300, 1200, 0), got.stream().map(ReceivedDatagram::segmentSize).toList());
    }

    @Test
    void aTruncatedMessageIsFlaggedAndCountedAndTheFlagDoesNotLeakToTheNextDatagram() {
        FakeBatch batch = new FakeBatch();
        batch.add(512).truncated = true;
        batch.add(100);
        List<Boolean> flags = new ArrayList<>();
        DatagramReader reader = new DatagramReader(new SenderCache(), true);

        assertEquals(2, reader.deliver(batch, d -> {
            flags.add(d.truncated());
            got.add(d.copy());
        }));

        assertEquals(List.of(true, false), flags);
        assertEquals(List.of(true, false), got.stream().map(ReceivedDatagram::truncated).toList(), "copies keep the flag");
        assertEquals(512, got.get(0).payload().remaining(), "the first bytes are delivered");
        assertEquals(1, reader.truncatedDatagrams());
    }

    @Test
    void emptyDatagramsAreDelivered() {
        FakeBatch batch = new FakeBatch();
        batch.add(0);
        batch.add(0).gro(1200);
        assertEquals(2, new DatagramReader(new SenderCache(), false).deliver(batch, sink));
        assertEquals(List.of(0, 0), got.stream().map(d -> d.payload().remaining()).toList());
    }

    @Test
    void ecnAndDestinationAreReportedOnlyWhileTheirReceptionIsOn() throws Exception {
        InetAddress local = InetAddress.getByName("127.0.0.2");
        FakeBatch batch = new FakeBatch();
        batch.add(10).ecn(0b11).destination(local);
        DatagramReader reader = new DatagramReader(new SenderCache(), false);

        reader.deliver(batch, sink);
        assertNull(got.get(0).ecn());
        assertNull(got.get(0).destination());
        assertEquals(0, batch.destinationCalls, "packet info off: the destination is not even decoded");

        reader.receiveEcn(true);
        reader.receivePacketInfo(true);
        reader.deliver(batch, sink);
        assertEquals(Ecn.CE, got.get(1).ecn());
        assertEquals(local, got.get(1).destination());
        assertTrue(reader.receivesEcn());
        assertTrue(reader.receivesPacketInfo());
    }

    @Test
    void eachEcnCodepointIsDecodedFromItsBitsAndNoneWhenTheKernelSentNone() {
        FakeBatch batch = new FakeBatch();
        batch.add(1).ecn(0b00);
        batch.add(1).ecn(0b01);
        batch.add(1).ecn(0b10);
        batch.add(1).ecn(0b11);
        batch.add(1); // no TOS control message
        DatagramReader reader = new DatagramReader(new SenderCache(), false);
        reader.receiveEcn(true);

        reader.deliver(batch, sink);

        List<Ecn> ecn = new ArrayList<>();
        got.forEach(d -> ecn.add(d.ecn()));
        assertEquals(java.util.Arrays.asList(Ecn.NOT_ECT, Ecn.ECT_1, Ecn.ECT_0, Ecn.CE, null), ecn);
    }

    @Test
    void aRepeatedIpv4SenderIsTheSameCachedInstance() {
        FakeBatch batch = new FakeBatch();
        batch.add(5).v4Sender(LOOPBACK, 9000);
        batch.add(5).v4Sender(LOOPBACK, 9000);
        batch.add(5).v4Sender(LOOPBACK, 9001);
        SenderCache cache = new SenderCache();
        DatagramReader reader = new DatagramReader(cache, false);

        reader.deliver(batch, sink);
        reader.deliver(batch, sink);

        SocketAddress first = got.get(0).sender();
        assertEquals(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9000), first);
        assertSame(first, got.get(1).sender());
        assertSame(first, got.get(3).sender(), "and across batches");
        assertEquals(9001, ((InetSocketAddress) got.get(2).sender()).getPort());
        assertSame(got.get(2).sender(), got.get(5).sender());
        assertSame(first, cache.v4(LOOPBACK, 9000), "the cache is the loop's, shared with other sockets");
        assertEquals(0, batch.objectSenderCalls, "an IPv4 sender is never decoded as an object");
    }

    @Test
    void otherSendersComeFromTheBatchAsObjects() {
        SocketAddress v6 = new InetSocketAddress("::1", 7);
        FakeBatch batch = new FakeBatch();
        batch.add(3).sender(v6);
        batch.add(3).sender(null); // unix-domain socket without a bound peer
        new DatagramReader(new SenderCache(), false).deliver(batch, sink);
        assertSame(v6, got.get(0).sender());
        assertNull(got.get(1).sender());
    }

    @Test
    void everyDatagramGoesThroughTheOneReusedViewAsAReadOnlyBuffer() {
        FakeBatch batch = new FakeBatch();
        batch.add(600).gro(200);
        batch.add(7);
        new DatagramReader(new SenderCache(), false).deliver(batch, sink);
        assertEquals(4, views.size());
        views.forEach(v -> assertSame(views.get(0), v));
        assertTrue(views.get(0).payload().isReadOnly());
    }

    @Test
    void theKernelDropCountFollowsTheLastMessageThatCarriedOneAndIsVisibleDuringItsDelivery() {
        FakeBatch batch = new FakeBatch();
        batch.add(1);
        batch.add(1).drops(3);
        batch.add(1);
        batch.add(1).drops(5);
        DatagramReader reader = new DatagramReader(new SenderCache(), true);
        List<Long> seen = new ArrayList<>();
        assertEquals(0, reader.kernelDrops());

        reader.deliver(batch, d -> seen.add(reader.kernelDrops()));

        assertEquals(List.of(0L, 3L, 3L, 5L), seen);
        assertEquals(5, reader.kernelDrops());
    }

    @Test
    void aSocketThatCannotCountDropsReportsMinusOne() {
        assertEquals(-1, new DatagramReader(new SenderCache(), false).kernelDrops());
    }

    @Test
    void anEmptyBatchDeliversNothing() {
        assertEquals(0, new DatagramReader(new SenderCache(), true).deliver(new FakeBatch(), sink));
        assertTrue(got.isEmpty());
    }
}
