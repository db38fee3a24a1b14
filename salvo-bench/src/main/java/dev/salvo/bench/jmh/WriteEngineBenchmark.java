package dev.salvo.bench.jmh;

import dev.salvo.WriteCompletion;
import dev.salvo.write.DatagramWriter;
import dev.salvo.write.PendingDatagramWritesManager;
import dev.salvo.write.PendingWrite;
import dev.salvo.write.SendOutcome;
import dev.salvo.write.WriteBatch;
import dev.salvo.write.WriteResult;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The cost of the write engine alone, per datagram: queue 64 datagrams, flush, and drain them
 * with one {@code write()} through a writer that does no I/O (it reports every datagram sent).
 *
 * <p>Run with {@code scripts/jmh WriteEngine -prof gc}: {@code gc.alloc.rate.norm} is bytes per
 * datagram, which must be 0 without a completion and with a shared {@link WriteCompletion}; a
 * {@link CompletableFuture} per write is shown for comparison (its allocation is the caller's).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class WriteEngineBenchmark {
    private static final int BATCH = 64;

    /** Answers like a kernel that takes everything, without touching the payload. */
    private static final class NoOpWriter implements DatagramWriter {
        @Override
        public void writeScalar(PendingWrite write, SendOutcome out) {
            out.sent(1);
        }

        @Override
        public void writeVector(WriteBatch batch, int count, SendOutcome out) {
            out.sent(count);
        }
    }

    private final DatagramWriter writer = new NoOpWriter();
    private final InetSocketAddress destination = new InetSocketAddress("127.0.0.1", 9999);
    private final ByteBuffer payload = ByteBuffer.allocateDirect(64);
    private PendingDatagramWritesManager manager;
    private long completed;
    private final WriteCompletion shared = failure -> completed++;

    private static void complete(CompletableFuture<Void> f, Throwable failure) {
        if (failure == null) {
            f.complete(null);
        } else {
            f.completeExceptionally(failure);
        }
    }

    /** A fresh manager per trial; its ring grows to 64 slots in warm-up and stays there. */
    @Setup
    public void setUp() {
        manager = new PendingDatagramWritesManager(writable -> { });
    }

    /** 64 fire-and-forget datagrams. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public WriteResult withoutCompletion() {
        for (int i = 0; i < BATCH; i++) {
            manager.claim().buffer(payload, 0, 64).destination(destination);
            manager.commit();
        }
        manager.flush();
        return manager.write(writer);
    }

    /** 64 datagrams sharing one {@link WriteCompletion}. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public WriteResult withSharedWriteCompletion() {
        for (int i = 0; i < BATCH; i++) {
            manager.claim().buffer(payload, 0, 64).destination(destination).completion(shared);
            manager.commit();
        }
        manager.flush();
        return manager.write(writer);
    }

    /** 64 datagrams, each with its own {@link CompletableFuture} (allocated here, by the caller). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public WriteResult withCompletableFuture() {
        for (int i = 0; i < BATCH; i++) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            // Wrapped as the channel wraps futures at the API edge: both allocations are the caller's.
            manager.claim().buffer(payload, 0, 64).destination(destination)
                    .completion(failure -> complete(f, failure));
            manager.commit();
        }
        manager.flush();
        return manager.write(writer);
    }
}
