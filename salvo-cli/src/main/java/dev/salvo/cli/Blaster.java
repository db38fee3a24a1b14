package dev.salvo.cli;

import dev.salvo.ChannelHandler;
import dev.salvo.ConnectionRefusedException;
import dev.salvo.DatagramChannel;
import dev.salvo.InboundDatagram;
import dev.salvo.OutboundDatagram;
import dev.salvo.WriteCompletion;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The sending side of {@code salvo blast}: a task on the channel's event loop writes a batch of
 * datagrams, flushes, and re-schedules itself while the channel is writable; when it is not, the
 * writability event resumes it. Every datagram points at the same direct buffer (only read, never
 * changed) and shares one completion, so the loop allocates nothing per datagram.
 *
 * <p>Counters are touched only on the loop thread. Other threads read them after {@link #finished()}
 * or the channel's close future completed, both of which complete on the loop after the last update.
 */
final class Blaster implements ChannelHandler {
    /** Batches written per task before the loop gets to poll (reads, ICMP errors, a stop request). */
    private static final int BATCHES_PER_TASK = 16;

    private final long count;
    private final int batch;
    /** GSO writes, indexed by how many segments they carry (index 0 unused); null without GSO. */
    private final OutboundDatagram[] gso;
    private final WriteCompletion[] gsoCompletions;
    private final ByteBuffer payload;
    private final WriteCompletion one = failure -> completed(1, failure);
    private final Runnable pumpTask = this::pump;
    private final AtomicBoolean pumpScheduled = new AtomicBoolean();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();

    private volatile long allowed;
    private DatagramChannel channel;

    private long queued;
    private long sent;
    private long failed;
    private Throwable firstError;
    private long startNanos;
    private long endNanos;
    private boolean stopped;
    private boolean giveUpWhenRefused;
    private boolean refused;

    /**
     * @param count datagrams to send
     * @param size payload bytes per datagram
     * @param batch datagrams per flush
     * @param gsoSegments with GSO, the most datagrams one GSO write carries; 0 for plain writes
     * @param paced whether {@link #allow} releases datagrams; otherwise all may go at once
     */
    Blaster(long count, int size, int batch, int gsoSegments, boolean paced) {
        this.count = count;
        this.batch = batch;
        this.allowed = paced ? 0 : count;
        int bufferDatagrams = gsoSegments > 0 ? gsoSegments : 1;
        this.payload = ByteBuffer.allocateDirect(Math.max(1, size * bufferDatagrams));
        for (int i = 0; i < payload.capacity(); i++) {
            payload.put(i, (byte) i); // a recognisable pattern rather than zeros
        }
        payload.limit(size);
        if (gsoSegments > 0) {
            gso = new OutboundDatagram[gsoSegments + 1];
            gsoCompletions = new WriteCompletion[gsoSegments + 1];
            for (int k = 1; k <= gsoSegments; k++) {
                int segments = k;
                gso[k] = OutboundDatagram.of(payload.duplicate().clear().slice(0, k * size)).withSegmentSize(size);
                gsoCompletions[k] = failure -> completed(segments, failure);
            }
        } else {
            gso = null;
            gsoCompletions = null;
        }
    }

    /** @param channel the connected channel to send on; call once, before {@link #start()} */
    void attach(DatagramChannel channel) {
        this.channel = channel;
        // A channel closed by a kernel error has failed its queue: count the run as over.
        channel.closeFuture().whenComplete((v, t) -> onClosed());
    }

    /**
     * Makes a refused port ({@code ECONNREFUSED} on the connected channel: nothing listens at the
     * target) end the run at once, so the command can try the host's other address; call before
     * {@link #start()}.
     */
    void giveUpWhenRefused() {
        giveUpWhenRefused = true;
    }

    /** @return whether the target refused (an ECONNREFUSED was seen); read after {@link #finished()} */
    boolean refused() {
        return refused;
    }

    private void noteError(Throwable error) {
        if (firstError == null) {
            firstError = error;
        }
        if (error instanceof ConnectionRefusedException) {
            refused = true;
            if (giveUpWhenRefused) {
                stopped = true;
                finish(); // what is still queued fails when the command closes the channel
            }
        }
    }

    /** @return completes on the loop once every queued datagram completed and no more will be queued */
    CompletableFuture<Void> finished() {
        return finished;
    }

    /** Starts sending (from any thread). */
    void start() {
        schedulePump();
    }

    /**
     * Lets the pacer release datagrams: up to {@code total} may have been queued in all.
     *
     * @param total the new ceiling, at most the count
     */
    void allow(long total) {
        if (total > allowed) {
            allowed = Math.min(total, count);
            schedulePump();
        }
    }

    /** Stops queuing (from any thread); {@link #finished()} completes once what was queued has completed. */
    void stop() {
        try {
            channel.eventLoop().execute(() -> {
                stopped = true;
                finishIfDrained();
            });
        } catch (RejectedExecutionException e) {
            // The loop is gone, and with it the channel: nothing more will be sent.
        }
    }

    private void schedulePump() {
        if (pumpScheduled.compareAndSet(false, true)) {
            try {
                channel.eventLoop().execute(pumpTask);
            } catch (RejectedExecutionException e) {
                pumpScheduled.set(false);
            }
        }
    }

    private void pump() {
        pumpScheduled.set(false);
        if (stopped || !channel.isOpen()) {
            return;
        }
        if (startNanos == 0) {
            startNanos = System.nanoTime();
        }
        for (int round = 0; round < BATCHES_PER_TASK && channel.isWritable(); round++) {
            long n = Math.min(batch, Math.min(allowed, count) - queued);
            if (n <= 0) {
                return; // the pacer calls allow() when more may go
            }
            writeBatch((int) n);
            channel.flush();
            if (stopped || !channel.isOpen()) {
                return;
            }
        }
        if (queued < Math.min(allowed, count) && channel.isWritable()) {
            schedulePump(); // yield to the poller, then go on
        }
        // Unwritable: onWritabilityChanged(true) resumes.
    }

    private void writeBatch(int n) {
        queued += n;
        if (gso == null) {
            for (int i = 0; i < n; i++) {
                channel.write(payload, null, one);
            }
            return;
        }
        int max = gso.length - 1;
        for (int left = n; left > 0; ) {
            int k = Math.min(left, max);
            channel.write(gso[k], gsoCompletions[k]);
            left -= k;
        }
    }

    private void completed(int datagrams, Throwable failure) {
        if (failure == null) {
            sent += datagrams;
        } else {
            failed += datagrams;
            noteError(failure);
        }
        if (sent + failed == count) {
            finish();
        } else {
            finishIfDrained();
        }
    }

    private void finishIfDrained() {
        if (stopped && sent + failed == queued) {
            finish();
        }
    }

    private void onClosed() {
        stopped = true;
        finishIfDrained();
    }

    private void finish() {
        if (!finished.isDone()) {
            endNanos = System.nanoTime();
            finished.complete(null);
        }
    }

    @Override
    public void onDatagram(DatagramChannel ch, InboundDatagram datagram) {
        // Replies (e.g. from an echo server) are not what we measure.
    }

    @Override
    public void onError(DatagramChannel ch, Throwable error) {
        noteError(error); // e.g. ECONNREFUSED: nobody listens at the target
    }

    @Override
    public void onWritabilityChanged(DatagramChannel ch, boolean writable) {
        if (writable) {
            schedulePump(); // never pump from inside a flush: schedule instead
        }
    }

    /** @return datagrams the kernel accepted */
    long sent() {
        return sent;
    }

    /** @return datagrams that failed, including those still queued when the channel closed */
    long failed() {
        return failed;
    }

    /** @return the first error seen (a failed datagram or a reported socket error), or null */
    Throwable firstError() {
        return firstError;
    }

    /** @return nanoseconds from the first write to the last completion (or to {@code nowNanos} if unfinished) */
    long elapsedNanos(long nowNanos) {
        if (startNanos == 0) {
            return 0;
        }
        return (endNanos != 0 ? endNanos : nowNanos) - startNanos;
    }
}
