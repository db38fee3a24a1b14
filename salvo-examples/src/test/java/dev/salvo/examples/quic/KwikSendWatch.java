package dev.salvo.examples.quic;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tech.kwik.core.QuicStream;
import tech.kwik.core.frame.DataBlockedFrame;
import tech.kwik.core.frame.QuicFrame;
import tech.kwik.core.frame.StreamDataBlockedFrame;
import tech.kwik.core.frame.StreamFrame;
import tech.kwik.core.log.NullLogger;
import tech.kwik.core.packet.QuicPacket;

/**
 * Tells one known kwik 0.10.8 defect apart from every other failure of an interop run.
 *
 * <p>kwik's stream output counts its queued send requests in an {@code AtomicInteger} that is incremented after
 * the request is queued, so when kwik's sender thread runs the request first the count goes wrong and kwik
 * stops asking to send that stream: the application has written bytes (or closed the stream) that kwik never
 * puts in a packet, nothing is in flight, and the connection idles out. Seen in logs of failed runs in both
 * directions (kwik's client stopped at 2,430 of 10,505 echo bytes; kwik's server at 2,312 of a 2 MB download),
 * with every packet kwik did send acknowledged.
 *
 * <p>This watch is kwik's logger, so it sees every packet kwik sends, and it wraps the output streams kwik's
 * side of the test writes to, so it knows what the application offered. A stream is <em>stalled</em> when the
 * application has offered bytes or a FIN that no packet carried; kwik's loss recovery last said that nothing
 * ack-eliciting is in flight (so every packet it sent was acknowledged); for {@link #QUIET} kwik has sent no
 * packet at all while the application offered nothing new; and kwik never said it was flow-control blocked.
 * Only then is a run retried: the bytes never left kwik, so neither Salvo nor quiche can have lost them.
 */
final class KwikSendWatch extends NullLogger {
    /** How long kwik may hold unsent stream data with nothing on the wire before it counts as stalled. */
    static final Duration QUIET = Duration.ofSeconds(3);

    private final Duration quiet;
    private final Map<Integer, Progress> streams = new ConcurrentHashMap<>();
    private volatile boolean flowControlBlocked;
    private volatile long lastSentNanos = System.nanoTime();
    private volatile boolean nothingInFlight;

    /** What the application gave one stream and what kwik sent of it. */
    private static final class Progress {
        volatile long offered;
        volatile boolean closed;
        volatile long sentEnd;
        volatile boolean finSent;
        volatile long lastOfferNanos = System.nanoTime();
    }

    /** A run that ended because kwik stopped sending a stream, not because of anything on the wire. */
    static final class Stalled extends Exception {
        Stalled(String message) {
            super(message);
        }
    }

    /** A watch that waits {@link #QUIET} before it calls a stream stalled. */
    KwikSendWatch() {
        this(QUIET);
    }

    /** @param quiet how long kwik must stay silent with unsent data */
    KwikSendWatch(Duration quiet) {
        this.quiet = quiet;
    }

    @Override
    public void sent(Instant sent, QuicPacket packet) {
        lastSentNanos = System.nanoTime();
        for (QuicFrame frame : packet.getFrames()) {
            switch (frame) {
                case StreamFrame f -> {
                    Progress p = progress(f.getStreamId());
                    p.sentEnd = Math.max(p.sentEnd, f.getUpToOffset());
                    p.finSent |= f.isFinal();
                }
                case StreamDataBlockedFrame f -> flowControlBlocked = true;
                case DataBlockedFrame f -> flowControlBlocked = true;
                default -> {
                }
            }
        }
    }

    /** Asks kwik for its recovery messages, so the watch hears the loss-detection timer being re-armed. */
    @Override
    public boolean logRecovery() {
        return true;
    }

    @Override
    public void recovery(String message) {
        // kwik 0.10.8's RecoveryManager: "cancelling loss detection timer (no loss time set, no ack eliciting in
        // flight, ...)" when nothing is in flight, "reschedule loss detection timer for PTO ..." when something is.
        if (message.startsWith("cancelling loss detection timer")) {
            nothingInFlight = true;
        } else if (message.startsWith("reschedule loss detection timer")) {
            nothingInFlight = false;
        }
    }

    @Override
    public void recovery(String message, Instant time) {
        recovery(message);
    }

    @Override
    public void sent(Instant sent, List<QuicPacket> packets) {
        for (QuicPacket packet : packets) {
            sent(sent, packet);
        }
    }

    private Progress progress(int streamId) {
        return streams.computeIfAbsent(streamId, id -> new Progress());
    }

    /**
     * The stream's output, counted: what goes through it is what the application offered kwik.
     *
     * @param stream a kwik stream
     * @return its output stream, watched
     */
    OutputStream output(QuicStream stream) {
        return output(stream.getStreamId(), stream.getOutputStream());
    }

    /**
     * @param streamId the stream's id
     * @param out the stream's output
     * @return {@code out}, watched
     */
    OutputStream output(int streamId, OutputStream out) {
        Progress p = progress(streamId);
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                p.offered += len;
                p.lastOfferNanos = System.nanoTime();
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                p.closed = true;
                p.lastOfferNanos = System.nanoTime();
                out.close();
            }
        };
    }

    /** @return a description of a stream kwik has stopped sending, if there is one */
    Optional<String> stall() {
        if (flowControlBlocked || !nothingInFlight) {
            return Optional.empty();
        }
        long now = System.nanoTime();
        for (Map.Entry<Integer, Progress> e : streams.entrySet()) {
            Progress p = e.getValue();
            boolean unsent = p.offered > p.sentEnd || (p.closed && !p.finSent);
            long quietNanos = now - Math.max(lastSentNanos, p.lastOfferNanos);
            if (unsent && quietNanos > quiet.toNanos()) {
                return Optional.of("kwik stopped sending stream " + e.getKey() + " at byte " + p.sentEnd + " of "
                        + p.offered + (p.closed ? " (closed, FIN " + (p.finSent ? "sent" : "not sent") + ")" : "")
                        + " with nothing in flight and no packet sent for " + quiet.toMillis() + " ms");
            }
        }
        return Optional.empty();
    }

    /**
     * Waits for a result of the run, checking for a stall as it waits.
     *
     * @param result what the run produces
     * @param timeout the longest wait
     * @param <T> the result type
     * @return the result
     * @throws Stalled if kwik stopped sending first
     * @throws Exception if the run failed or took longer than {@code timeout}
     */
    <T> T await(Future<T> result, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return result.get(100, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                Optional<String> stall = stall();
                if (stall.isPresent()) {
                    throw new Stalled(stall.get());
                }
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("no result in " + timeout);
                }
            } catch (ExecutionException e) {
                Optional<String> stall = stall();
                if (stall.isPresent()) {
                    throw new Stalled(stall.get() + "; the run then failed with " + e.getCause());
                }
                throw e;
            }
        }
    }
}
