package dev.salvo.transport.linux;

import dev.salvo.write.PendingWrite;
import dev.salvo.write.WriteBatch;
import java.net.InetAddress;
import java.net.SocketAddress;

/**
 * The run detection of automatic GSO: which consecutive datagrams of a vector write may go out as
 * one message, one {@code iovec} per datagram and a {@code UDP_SEGMENT} of the first one's length.
 *
 * <p>A run is datagrams to the same destination with the same ECN codepoint and source, without
 * their own segment size, all of one length except a shorter last one. It stops at the segment
 * limit and at the UDP byte limit (a longer run is split, never failed). Pure: it reads the batch
 * and changes nothing.
 */
final class GsoCoalescer {
    private GsoCoalescer() {
    }

    /**
     * @param batch the datagrams
     * @param i the first datagram of the run
     * @param count how many datagrams the batch offers
     * @param maxSegments the most datagrams one message may carry
     * @param segmentLimit the longest datagram that may be coalesced
     * @param toIpv4 whether datagram {@code i} goes to an IPv4 destination (the smaller byte limit)
     * @return how many datagrams from {@code i} one message may carry (1 = no coalescing)
     */
    static int runLength(WriteBatch batch, int i, int count, int maxSegments, int segmentLimit, boolean toIpv4) {
        PendingWrite a = batch.get(i);
        int len = a.length();
        if (a.segmentSize() != 0 || len <= 0 || len > segmentLimit || i + 1 >= count) {
            return 1;
        }
        SocketAddress to = a.destination();
        int limit = SegmentationLimits.maxPayload(toIpv4);
        long total = len;
        int n = 1;
        while (i + n < count && n < maxSegments) {
            PendingWrite b = batch.get(i + n);
            int bl = b.length();
            if (bl <= 0 || bl > len || total + bl > limit || b.segmentSize() != 0 || b.ecn() != a.ecn()
                    || !same(to, b.destination()) || !same(a.source(), b.source())) {
                break;
            }
            total += bl;
            n++;
            if (bl < len) {
                break; // only the last segment may be shorter
            }
        }
        return n;
    }

    private static boolean same(SocketAddress a, SocketAddress b) {
        return a == b || a != null && a.equals(b);
    }

    private static boolean same(InetAddress a, InetAddress b) {
        return a == b || a != null && a.equals(b);
    }
}
