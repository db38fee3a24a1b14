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
        DatagramReader reader = new DatagramReader(new SenderCache());

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
        DatagramReader reader = new DatagramReader(new SenderCache());

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
        DatagramReader reader = new DatagramReader(new SenderCache());

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
        assertEquals(2, new DatagramReader(new SenderCache()).deliver(batch, sink));
        assertEquals(List.of(0, 0), got.stream().map(d -> d.payload().remaining()).toList());
    }

    @Test
    void ecnAndDestinationAreReportedOnlyWhileTheirReceptionIsOn() throws Exception {
        InetAddress local = InetAddress.getByName("127.0.0.2");
        FakeBatch batch = new FakeBatch();
        batch.add(10).ecn(0b11).destination(local);
        DatagramReader reader = new DatagramReader(new SenderCache());

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
        DatagramReader reader = new DatagramReader(new SenderCache());
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
        DatagramReader reader = new DatagramReader(cache);

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
        new DatagramReader(new SenderCache()).deliver(batch, sink);
        assertSame(v6, got.get(0).sender());
        assertNull(got.get(1).sender());
    }

    @Test
    void everyDatagramGoesThroughTheOneReusedViewAsAReadOnlyBuffer() {
        FakeBatch batch = new FakeBatch();
        batch.add(600).gro(200);
        batch.add(7);
        new DatagramReader(new SenderCache()).deliver(batch, sink);
        assertEquals(4, views.size());
        views.forEach(v -> assertSame(views.get(0), v));
        assertTrue(views.get(0).payload().isReadOnly());
    }

    @Test
    void everyFeatureOfAMessageReachesTheHandler() throws Exception {
        InetAddress local = InetAddress.getByName("127.0.0.3");
        FakeBatch batch = new FakeBatch();
        FakeBatch.Message m = batch.add(1000).gro(300).ecn(0b10).destination(local).v4Sender(LOOPBACK, 53);
        m.truncated = true;
        SenderCache cache = new SenderCache();
        DatagramReader reader = new DatagramReader(cache);
        reader.receiveEcn(true);
        reader.receivePacketInfo(true);
        List<SocketAddress> senders = new ArrayList<>();

        assertEquals(4, reader.deliver(batch, d -> {
            senders.add(d.sender());
            got.add(d.copy());
        }));

        senders.forEach(s -> assertSame(cache.v4(LOOPBACK, 53), s));
        assertEquals(List.of(300, 300, 300, 100), got.stream().map(d -> d.payload().remaining()).toList());
        got.forEach(d -> assertEquals(Ecn.ECT_0, d.ecn()));
        got.forEach(d -> assertEquals(local, d.destination()));
        assertEquals(List.of(false, false, false, true), got.stream().map(ReceivedDatagram::truncated).toList(),
                "a cut GRO message cut its last segment");
    }

    @Test
    void aBogusStrideReadsAsNoneAndTheMessageIsDeliveredWhole() {
        FakeBatch batch = new FakeBatch();
        batch.add(100).gro(-1);
        assertEquals(1, new DatagramReader(new SenderCache()).deliver(batch, sink));
        assertEquals(0, got.get(0).segmentSize());
        assertEquals(100, got.get(0).payload().remaining());
    }

    @Test
    void aHandlerThatAsksForNoMetadataCostsNoLookups() throws Exception {
        FakeBatch batch = new FakeBatch();
        batch.add(40).ecn(0b01).destination(InetAddress.getByName("127.0.0.2")).v4Sender(LOOPBACK, 9);
        batch.add(900).gro(300).v4Sender(LOOPBACK, 9);
        DatagramReader reader = new DatagramReader(new SenderCache());
        reader.receiveEcn(true);
        reader.receivePacketInfo(true);
        long[] bytes = {0};

        assertEquals(4, reader.deliver(batch, d -> bytes[0] += d.length()));

        assertEquals(940, bytes[0]);
        assertEquals(0, batch.v4SenderCalls + batch.objectSenderCalls, "no sender read");
        assertEquals(0, batch.ecnCalls, "no ECN read");
        assertEquals(0, batch.destinationCalls, "no destination read");
        assertEquals(0, batch.timestampCalls, "no timestamp read");
    }

    @Test
    void thePayloadIsPlacedOnceSoAHandlerReadingThroughItKeepsItsPosition() {
        FakeBatch batch = new FakeBatch();
        batch.add(600).gro(200);
        List<Integer> firstBytes = new ArrayList<>();
        new DatagramReader(new SenderCache()).deliver(batch, d -> {
            int sum = 0;
            while (d.payload().hasRemaining()) { // each call returns the same buffer, not a fresh placement
                sum++;
                d.payload().get();
            }
            assertEquals(200, sum);
            assertEquals(200, d.length(), "the length stays the datagram's");
            firstBytes.add(d.payload().position() - 200);
        });
        assertEquals(List.of(0, 200, 400), firstBytes, "each segment placed at its own offset");
    }

    @Test
    void eachMessageIsAnnouncedWithItsDatagramsAndBytesBeforeTheyAreDelivered() {
        FakeBatch batch = new FakeBatch();
        batch.add(1000).gro(300).v4Sender(LOOPBACK, 7);
        batch.add(50).v4Sender(LOOPBACK, 7);
        List<String> events = new ArrayList<>();
        ReadSink counting = new ReadSink() {
            @Override
            public void message(int datagrams, int bytes) {
                events.add("message " + datagrams + " " + bytes);
            }

            @Override
            public void accept(InboundDatagram d) {
                d.sender();
                events.add("datagram " + d.length());
            }
        };

        assertEquals(5, new DatagramReader(new SenderCache()).deliver(batch, counting));

        assertEquals(List.of("message 4 1000", "datagram 300", "datagram 300", "datagram 300", "datagram 100",
                "message 1 50", "datagram 50"), events);
        assertEquals(2, batch.v4SenderCalls, "the sender is read once per message, not per segment");
    }

    @Test
    void anEmptyBatchDeliversNothing() {
        assertEquals(0, new DatagramReader(new SenderCache()).deliver(new FakeBatch(), sink));
        assertTrue(got.isEmpty());
    }
}
