package dev.salvo.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.salvo.ChannelOption;
import dev.salvo.DatagramChannel;
import dev.salvo.EventLoopGroup;
import dev.salvo.TransportType;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Loss, reordering and duplication on the receive side of the link, made by the kernel's traffic
 * control and chosen by the datagram's sequence number so that the expected counts are exact:
 * <ul>
 *   <li>every datagram arriving at host B is redirected through an ifb device whose HTB root holds
 *       three classes: a fast one, a slow one (64 kbit/s, tiny bucket) for {@code seq % 16 == 3}, which makes
 *       them arrive after their successors (reordering), and one whose queue holds nothing
 *       ({@code pfifo limit 0}) for {@code seq % 16 == 11} (loss, counted by tc as drops);</li>
 *   <li>{@code seq % 16 == 7} is also mirrored into the stack through a second ifb device
 *       (duplication).</li>
 * </ul>
 * The receiver finds duplicates and reordering with its own sequence check; the test reconciles
 * {@code sent = distinct received + dropped by tc + dropped for lack of receive buffer}.
 *
 * <p>(tc's {@code netem} would do the same at random, but it is absent from many CI kernels,
 * including the one this suite was written on; HTB, u32, mirred and ifb are what is needed here.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LossReorderDuplicateFaultTest {
    private static final int DATAGRAMS = 2048;
    private static final int BATCH = 64;
    private static final int PORT = 5_000;
    private static Lab lab;
    private static String shaper;

    @BeforeAll
    static void buildLab() throws Exception {
        assumeTrue(NetNs.unavailableReason() == null, NetNs.unavailableReason());
        lab = Lab.create("imp");
        shaper = NetNs.vethName("ifs");
        String mirror = NetNs.vethName("ifd");
        try {
            impair(lab.b, lab.vethB, shaper, mirror);
        } catch (IOException e) {
            lab.close();
            lab = null;
            assumeTrue(false, "this kernel lacks a traffic-control piece the test needs (htb, u32, mirred, ifb): "
                    + e.getMessage());
        }
    }

    private static void impair(NetNs ns, String dev, String ifb, String dupIfb) throws IOException {
        ns.exec("ip", "link", "add", ifb, "type", "ifb");
        ns.exec("ip", "link", "add", dupIfb, "type", "ifb");
        ns.exec("ip", "link", "set", ifb, "up");
        ns.exec("ip", "link", "set", dupIfb, "up");
        // Source checks would drop the mirrored copies, which enter through the second ifb.
        ns.exec("sysctl", "-q", "-w", "net.ipv4.conf.all.rp_filter=0");
        ns.exec("tc", "qdisc", "add", "dev", ifb, "root", "handle", "1:", "htb", "default", "10");
        ns.exec("tc", "class", "add", "dev", ifb, "parent", "1:", "classid", "1:10", "htb", "rate", "1gbit");
        ns.exec("tc", "class", "add", "dev", ifb, "parent", "1:", "classid", "1:20", "htb", "rate", "64kbit",
                "burst", "256", "cburst", "256"); // a tiny bucket: the slow class always queues, so it is overtaken
        ns.exec("tc", "class", "add", "dev", ifb, "parent", "1:", "classid", "1:30", "htb", "rate", "1gbit");
        ns.exec("tc", "qdisc", "add", "dev", ifb, "parent", "1:10", "pfifo", "limit", "10000");
        ns.exec("tc", "qdisc", "add", "dev", ifb, "parent", "1:20", "pfifo", "limit", "10000");
        ns.exec("tc", "qdisc", "add", "dev", ifb, "parent", "1:30", "pfifo", "limit", "0");
        // The sequence number's low byte sits at offset 31 from the IPv4 header (20 + 8 + 3).
        ns.exec("tc", "filter", "add", "dev", ifb, "parent", "1:", "protocol", "ip", "prio", "1", "u32",
                "match", "u8", "3", "0x0f", "at", "31", "flowid", "1:20");
        ns.exec("tc", "filter", "add", "dev", ifb, "parent", "1:", "protocol", "ip", "prio", "2", "u32",
                "match", "u8", "11", "0x0f", "at", "31", "flowid", "1:30");
        ns.exec("tc", "qdisc", "add", "dev", dev, "handle", "ffff:", "ingress");
        ns.exec("tc", "filter", "add", "dev", dev, "parent", "ffff:", "protocol", "ip", "prio", "1", "u32",
                "match", "ip", "protocol", "17", "0xff", "match", "u8", "7", "0x0f", "at", "31",
                "action", "mirred", "ingress", "mirror", "dev", dupIfb,
                "action", "mirred", "egress", "redirect", "dev", ifb);
        ns.exec("tc", "filter", "add", "dev", dev, "parent", "ffff:", "protocol", "ip", "prio", "2", "u32",
                "match", "ip", "protocol", "17", "0xff", "action", "mirred", "egress", "redirect", "dev", ifb);
    }

    @AfterAll
    static void tearDown() {
        if (lab != null) {
            lab.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TransportType.class, names = {"EPOLL", "IO_URING", "NIO"})
    void lostReorderedAndDuplicatedDatagramsReconcileWithWhatWasSent(TransportType type) throws Exception {
        EventLoopGroup ga = lab.groupIn(lab.a, type);
        EventLoopGroup gb = lab.groupIn(lab.b, type);
        long tcDropsBefore = tcDrops();
        long rcvbufBefore = rcvbufErrors();
        try (SeqReceiver rx = new SeqReceiver(gb, Lab.at(Lab.B4, PORT), 4 << 20)) {
            SocketAddress to = rx.channel.localAddress();
            DatagramChannel.Builder txBuilder = DatagramChannel.builder(ga);
            if (type != TransportType.NIO) {
                // tc classifies each datagram by the sequence number in its payload; a coalesced GSO
                // packet would be classified once for all its segments.
                txBuilder.option(ChannelOption.GSO_AUTO, false);
            }
            DatagramChannel tx = txBuilder.bind(Lab.at(Lab.A4, 0));
            AtomicIntegerArray completions = new AtomicIntegerArray(DATAGRAMS);
            int fastArrivals = 0;
            for (int seq = 0; seq < DATAGRAMS; seq++) {
                int id = seq;
                tx.write(SeqReceiver.payload(seq, 100), to, failure -> {
                    if (failure == null) {
                        completions.incrementAndGet(id);
                    } else {
                        completions.addAndGet(id, 1000);
                    }
                });
                int cls = seq % 16;
                fastArrivals += cls == 7 ? 2 : cls == 3 || cls == 11 ? 0 : 1;
                if ((seq + 1) % BATCH == 0) {
                    tx.flush();
                    // Pace on the receiver so that its buffer never overflows: tc, not the socket, loses.
                    rx.awaitReceived(fastArrivals, 5_000);
                }
            }
            tx.flush();
            int lost = count(11);
            int duplicated = count(7);
            long expectedArrivals = DATAGRAMS - lost + duplicated;
            rx.awaitReceived(expectedArrivals, 10_000);
            rx.awaitQuiet(100, 2_000); // anything beyond the expected would show up now

            for (int i = 0; i < DATAGRAMS; i++) {
                assertEquals(1, completions.get(i), "write " + i + " completes once, successfully");
            }
            long tcLost = tcDrops() - tcDropsBefore;
            long bufferLost = rcvbufErrors() - rcvbufBefore;
            assertEquals(lost, tcLost, "tc dropped exactly the datagrams of the lossy class");
            assertEquals(DATAGRAMS, rx.distinct() + tcLost + bufferLost,
                    "sent = received + lost (tc " + tcLost + ", receive buffer " + bufferLost + ")");
            if (bufferLost == 0) {
                assertEquals(duplicated, rx.duplicates(), "the receiver's own check finds every duplicate");
                assertEquals(expectedArrivals, rx.received());
            }
            assertTrue(rx.reordered() > 0, "the slow class must overtake: reordered " + rx.reordered());
            for (int seq = 0; seq < DATAGRAMS && bufferLost == 0; seq++) {
                assertEquals(seq % 16 != 11, rx.saw(seq), "datagram " + seq);
            }
            System.out.printf("%s: sent %d, received %d (%d distinct, %d duplicates, %d reordered), lost %d to tc"
                    + " and %d to the receive buffer%n", type, DATAGRAMS, rx.received(), rx.distinct(),
                    rx.duplicates(), rx.reordered(), tcLost, bufferLost);
            if (type != TransportType.NIO) {
                assertEquals(bufferLost, rx.channel.kernelDrops(), "SO_RXQ_OVFL agrees with the kernel's UDP counter");
            }
            assertTrue(tx.isOpen() && rx.channel.isOpen());
            tx.close().get(10, TimeUnit.SECONDS);
        }
    }

    private static int count(int residue) {
        int n = 0;
        for (int seq = 0; seq < DATAGRAMS; seq++) {
            if (seq % 16 == residue) {
                n++;
            }
        }
        return n;
    }

    /** @return the packets the shaper's root qdisc dropped so far */
    private static long tcDrops() throws IOException {
        String out = lab.b.exec("tc", "-s", "qdisc", "show", "dev", shaper);
        Matcher m = Pattern.compile("qdisc htb 1: root.*?dropped (\\d+)", Pattern.DOTALL).matcher(out);
        assertTrue(m.find(), "no htb statistics in: " + out);
        return Long.parseLong(m.group(1));
    }

    /** @return host B's count of UDP datagrams dropped for lack of receive-buffer space */
    static long rcvbufErrors() throws IOException {
        String[] lines = lab.b.exec("cat", "/proc/net/snmp").split("\n");
        for (int i = 0; i + 1 < lines.length; i++) {
            if (lines[i].startsWith("Udp:") && lines[i + 1].startsWith("Udp:")) {
                String[] names = lines[i].trim().split("\\s+");
                String[] values = lines[i + 1].trim().split("\\s+");
                for (int k = 0; k < names.length; k++) {
                    if (names[k].equals("RcvbufErrors")) {
                        return Long.parseLong(values[k]);
                    }
                }
            }
        }
        throw new AssertionError("no Udp RcvbufErrors in /proc/net/snmp");
    }
}
