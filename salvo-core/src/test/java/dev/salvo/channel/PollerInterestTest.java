package dev.salvo.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.salvo.TransportType;
import dev.salvo.transport.AddressFamily;
import dev.salvo.transport.Poller;
import dev.salvo.transport.SocketOps;
import dev.salvo.transport.Transport;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Read and write interest are independent in both pollers: a socket whose read interest is off
 * is not reported readable though datagrams wait (what read pause relies on), and turning write
 * interest on or off leaves read interest as it was. epoll also stops watching a socket its loop
 * reads unasked while busy, and watches it again when told it is empty.
 */
class PollerInterestTest {

    @Test
    void epollReadInterestIsIndependentOfWriteInterest() throws Exception {
        check(TransportType.EPOLL);
    }

    @Test
    void nioReadInterestIsIndependentOfWriteInterest() throws Exception {
        check(TransportType.NIO);
    }

    @Test
    void epollStopsWatchingABusySocketAndWatchesItAgainWhenTheLoopFindsItEmpty() throws Exception {
        withReadableSocket(TransportType.EPOLL, (poller, socket) -> {
            assertTrue(poller.setBusy(socket, true), "only read interest: out of the epoll set");
            assertTrue(poller.setBusy(socket, true), "and says so again");
            assertEquals(List.of(), ready(poller), "busy: a waiting datagram is not reported");
            assertFalse(poller.setBusy(socket, false));
            assertEquals(List.of("s:r"), ready(poller), "watched again: what arrived meanwhile is reported at once");

            assertTrue(poller.setBusy(socket, true));
            poller.setWriteInterest(socket, true);
            assertEquals(List.of("s:rw"), ready(poller), "waiting for room puts it back, with both interests");
            assertFalse(poller.setBusy(socket, true), "a socket that waits for room stays watched");
            assertEquals(List.of("s:rw"), ready(poller));
            poller.setWriteInterest(socket, false);

            assertTrue(poller.setBusy(socket, true));
            poller.setReadInterest(socket, false);
            assertEquals(List.of(), ready(poller), "paused while busy: watched for errors only");
            poller.setReadInterest(socket, true);
            assertEquals(List.of("s:r"), ready(poller));

            assertTrue(poller.setBusy(socket, true));
            poller.deregister(socket); // out of the set already: no EPOLL_CTL_DEL to refuse
            assertFalse(poller.setBusy(socket, false), "deregistered: nothing to watch again");
        });
    }

    @Test
    void nioKeepsWatchingABusySocket() throws Exception {
        withReadableSocket(TransportType.NIO, (poller, socket) -> {
            assertFalse(poller.setBusy(socket, true));
            assertEquals(List.of("s:r"), ready(poller), "level-triggered readiness goes on");
            poller.deregister(socket);
        });
    }

    /** What a test does with a registered socket (attachment "s") that has one datagram waiting. */
    @FunctionalInterface
    private interface WithSocket {
        void run(Poller poller, SocketOps socket) throws Exception;
    }

    private static void withReadableSocket(TransportType type, WithSocket body) throws Exception {
        try (Transport.LoopResources loop = Transports.resolve(type).newLoop();
             DatagramSocket peer = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Poller poller = loop.poller();
            SocketOps socket = loop.openDatagram(AddressFamily.INET);
            try {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                poller.register(socket, "s");
                peer.send(new DatagramPacket(new byte[] {1}, 1, socket.localAddress()));
                body.run(poller, socket);
            } finally {
                socket.close();
            }
        }
    }

    private static void check(TransportType type) throws Exception {
        withReadableSocket(type, (poller, socket) -> {
            assertEquals(List.of("s:r"), ready(poller), "registered: readable");

            poller.setReadInterest(socket, false);
            assertEquals(List.of(), ready(poller), "paused: a waiting datagram is not reported");
            poller.setWriteInterest(socket, true);
            assertEquals(List.of("s:w"), ready(poller), "write interest alone");
            poller.setWriteInterest(socket, false);
            assertEquals(List.of(), ready(poller), "turning write interest off keeps reads paused");

            poller.setReadInterest(socket, true);
            poller.setWriteInterest(socket, true);
            assertEquals(List.of("s:rw"), ready(poller));
            poller.setWriteInterest(socket, false);
            assertEquals(List.of("s:r"), ready(poller), "turning write interest off keeps reads on");
            poller.deregister(socket);
        });
    }

    private static List<String> ready(Poller poller) throws Exception {
        List<String> out = new ArrayList<>();
        // NIO may need a moment to see the datagram; epoll sees it at once. Poll a few times, briefly.
        for (int i = 0; i < 3 && out.isEmpty(); i++) {
            poller.poll(20_000_000, (a, r, w, e) -> out.add(a + ":" + (r ? "r" : "") + (w ? "w" : "")));
        }
        return out;
    }
}
