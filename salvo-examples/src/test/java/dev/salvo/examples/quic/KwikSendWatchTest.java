package dev.salvo.examples.quic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tech.kwik.core.frame.DataBlockedFrame;
import tech.kwik.core.frame.PingFrame;
import tech.kwik.core.frame.QuicFrame;
import tech.kwik.core.frame.StreamFrame;
import tech.kwik.core.impl.Version;
import tech.kwik.core.packet.ShortHeaderPacket;

/** The watch retries a run only for the kwik stall it describes, never for data lost on the wire. */
class KwikSendWatchTest {
    private static final Duration QUIET = Duration.ofMillis(50);
    private static final String NOTHING_IN_FLIGHT =
            "cancelling loss detection timer (no loss time set, no ack eliciting in flight, peer not awaiting address validation (2))";
    private static final String IN_FLIGHT =
            "reschedule loss detection timer for PTO over 40 millis, based on %s/App, because ackElicitingInFlight | RTT:4/3";

    private final KwikSendWatch watch = new KwikSendWatch(QUIET);

    @Test
    void unsentDataWithNothingInFlightAndSilenceIsAStall() throws Exception {
        offer(4, 3000, false);
        sent(new StreamFrame(4, 0, new byte[1200], false));
        watch.recovery(NOTHING_IN_FLIGHT);
        Thread.sleep(QUIET.toMillis() * 3);
        String stall = watch.stall().orElseThrow();
        assertTrue(stall.contains("stream 4 at byte 1200 of 3000"), stall);
    }

    @Test
    void aClosedStreamWhoseFinWasNeverSentIsAStall() throws Exception {
        offer(0, 100, true);
        sent(new StreamFrame(0, 0, new byte[100], false));
        watch.recovery(NOTHING_IN_FLIGHT);
        Thread.sleep(QUIET.toMillis() * 3);
        assertTrue(watch.stall().orElseThrow().contains("FIN not sent"));
    }

    @Test
    void somethingInFlightIsNeverAStallBecauseTheWireMayHaveLostIt() throws Exception {
        offer(4, 3000, false);
        sent(new StreamFrame(4, 0, new byte[1200], false));
        watch.recovery(IN_FLIGHT);
        Thread.sleep(QUIET.toMillis() * 3);
        assertEquals(java.util.Optional.empty(), watch.stall());
    }

    @Test
    void flowControlBlockedIsNeverAStall() throws Exception {
        offer(4, 3000, false);
        sent(new StreamFrame(4, 0, new byte[1200], false));
        sent(new DataBlockedFrame(1200));
        watch.recovery(NOTHING_IN_FLIGHT);
        Thread.sleep(QUIET.toMillis() * 3);
        assertEquals(java.util.Optional.empty(), watch.stall());
    }

    @Test
    void aStreamSentInFullIsNotAStall() throws Exception {
        offer(4, 1200, true);
        sent(new StreamFrame(4, 0, new byte[1200], true));
        watch.recovery(NOTHING_IN_FLIGHT);
        Thread.sleep(QUIET.toMillis() * 3);
        assertEquals(java.util.Optional.empty(), watch.stall());
    }

    @Test
    void aPacketSentRecentlyIsNotAStallYet() throws Exception {
        offer(4, 3000, false);
        watch.recovery(NOTHING_IN_FLIGHT);
        Thread.sleep(QUIET.toMillis() * 3);
        sent(new PingFrame());
        assertEquals(java.util.Optional.empty(), watch.stall());
    }

    private void offer(int streamId, int bytes, boolean close) throws Exception {
        OutputStream out = watch.output(streamId, new ByteArrayOutputStream());
        out.write(new byte[bytes]);
        if (close) {
            out.close();
        }
    }

    private void sent(QuicFrame frame) {
        watch.sent(Instant.now(), new ShortHeaderPacket(Version.getDefault(), new byte[8], frame));
    }
}
