package dev.salvo.transport.linux;

import static dev.salvo.transport.linux.LinuxConstants.AF_INET;
import static dev.salvo.transport.linux.LinuxConstants.AF_INET6;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.salvo.read.SenderCache;
import java.lang.foreign.Arena;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import org.junit.jupiter.api.Test;

/**
 * The receive batch serves senders and packet-info destinations of every family from the loop's
 * cache: the second datagram from a peer, or to a local address, is the very same object (so it
 * allocated nothing), and it equals what decoding from scratch gives.
 */
class RecvBatchCacheTest {

    private static RecvBatch receiveTwo(Arena arena, int rx, SocketAddress to, int family) throws Exception {
        TestSockets.sendmsg(rx, to, family, new byte[] {1});
        TestSockets.sendmsg(rx, to, family, new byte[] {2});
        RecvBatch batch = new RecvBatch(arena, 8, 64);
        assertEquals(2, TestSockets.receiveSome(batch, rx));
        return batch;
    }

    @Test
    void anIpv6SenderIsServedFromTheCache() throws Exception {
        int rx = TestSockets.bound(AF_INET6, TestSockets.V6_ANY_PORT);
        try (Arena arena = Arena.ofConfined()) {
            RecvBatch batch = receiveTwo(arena, rx, Sockets.localAddress(rx), AF_INET6);
            SenderCache cache = new SenderCache();
            SocketAddress first = batch.sender(0, cache);
            assertEquals(batch.sender(0), first, "same as decoding the sockaddr_in6");
            assertEquals(Sockets.localAddress(rx), first);
            assertSame(first, batch.sender(1, cache), "the second datagram from the peer reuses the address");
        } finally {
            Sockets.close(rx);
        }
    }

    @Test
    void anIpv4MappedSenderIsServedFromTheCacheAsAnIpv4Address() throws Exception {
        int rx = TestSockets.bound(AF_INET6, new java.net.InetSocketAddress(InetAddress.getByName("::"), 0));
        try (Arena arena = Arena.ofConfined()) {
            int port = ((java.net.InetSocketAddress) Sockets.localAddress(rx)).getPort();
            RecvBatch batch = receiveTwo(arena, rx,
                    new java.net.InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), AF_INET6);
            SenderCache cache = new SenderCache();
            SocketAddress first = batch.sender(0, cache);
            assertEquals(new java.net.InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), first);
            assertSame(first, batch.sender(1, cache));
        } finally {
            Sockets.close(rx);
        }
    }

    @Test
    void packetInfoDestinationsAndInterfaceComeFromTheCacheForBothFamilies() throws Exception {
        int lo = NetworkInterface.getByName("lo").getIndex();
        int rx4 = TestSockets.bound(AF_INET, TestSockets.V4_ANY_PORT);
        int rx6 = TestSockets.bound(AF_INET6, TestSockets.V6_ANY_PORT);
        try (Arena arena = Arena.ofConfined()) {
            Sockets.setInt(rx4, LinuxConstants.SOL_IP, LinuxConstants.IP_PKTINFO, 1);
            Sockets.setInt(rx6, LinuxConstants.SOL_IPV6, LinuxConstants.IPV6_RECVPKTINFO, 1);
            SenderCache cache = new SenderCache();
            for (int rx : new int[] {rx4, rx6}) {
                int family = rx == rx4 ? AF_INET : AF_INET6;
                RecvBatch batch = receiveTwo(arena, rx, Sockets.localAddress(rx), family);
                InetAddress first = batch.destination(0, cache);
                assertEquals(((java.net.InetSocketAddress) Sockets.localAddress(rx)).getAddress(), first);
                assertEquals(batch.destination(0), first, "same as building it from scratch");
                assertSame(first, batch.destination(1, cache));
                assertEquals(lo, batch.interfaceIndex(0), "arrived on lo");
                assertEquals(lo, batch.interfaceIndex(1));
                assertNotEquals(0, lo);
            }
        } finally {
            Sockets.close(rx4);
            Sockets.close(rx6);
        }
    }
}
