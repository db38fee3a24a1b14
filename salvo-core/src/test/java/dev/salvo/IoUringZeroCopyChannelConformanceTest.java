package dev.salvo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.salvo.transport.linux.uring.UringTransport;
import dev.salvo.transport.linux.uring.ZeroCopyCounters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite on io_uring with every IP send made as {@code SENDMSG_ZC} (threshold 1 B,
 * loopback destinations included): completions, order, per-datagram errors and back pressure
 * must not change when each send also waits for its zero-copy notification.
 */
class IoUringZeroCopyChannelConformanceTest extends ChannelConformanceSuite {
    @BeforeAll
    static void everySendZeroCopy() {
        System.setProperty(UringTransport.ZEROCOPY_THRESHOLD_PROPERTY, "1");
        System.setProperty(UringTransport.ZEROCOPY_LOOPBACK_PROPERTY, "true");
    }

    @AfterAll
    static void defaults() {
        System.clearProperty(UringTransport.ZEROCOPY_THRESHOLD_PROPERTY);
        System.clearProperty(UringTransport.ZEROCOPY_LOOPBACK_PROPERTY);
    }

    @Override
    TransportType transport() {
        return TransportType.IO_URING;
    }

    @Test
    void ipSendsGoAsSendmsgZcAndEachNotificationIsReaped() throws Exception {
        try (Receiver rx = new Receiver(group, V4_ANY_PORT)) {
            DatagramChannel tx = sender();
            long[] before = ZeroCopyCounters.of(group, 0);
            await(tx.writeAndFlush(OutboundDatagram.of(text("zero copy"), rx.address())));
            assertEquals("zero copy", text(rx.take()));
            long[] after = ZeroCopyCounters.of(group, 0);
            assertEquals(1, after[0] - before[0], "one SENDMSG_ZC request");
            assertEquals(1, after[1] - before[1], "its notification");
            assertEquals(1, after[2] - before[2], "copied: the destination is local");
        }
    }

    @Test
    void doctorShowsZeroCopyForEverySend() {
        assertEquals("SENDMSG_ZC for messages of 1 B and more, loopback destinations included",
                SystemReport.probe().findings().get("io_uring zero-copy sends"));
    }
}
