package dev.salvo.write;

import dev.salvo.AddressMismatchException;
import dev.salvo.ChannelClosedException;
import dev.salvo.ConnectedWhilePendingException;
import dev.salvo.ConnectionRefusedException;
import dev.salvo.DatagramNotPermittedException;
import dev.salvo.DatagramTooLargeException;
import dev.salvo.DatagramWriteException;
import dev.salvo.HostUnreachableException;
import dev.salvo.NativeIOException;
import dev.salvo.NotConnectedException;
import dev.salvo.PendingWritesFullException;
import dev.salvo.WriteCompletion;
import dev.salvo.transport.linux.Errno;
import dev.salvo.transport.linux.SendErrors;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;

/**
 * Random sequences of queueing, flushing, writing, closing, connecting and water-mark changes,
 * with a scripted kernel (partial counts, EAGAIN, EINTR, every recoverable errno and fatal ones)
 * and completions that re-enter the manager, checked step by step against a plain reference
 * model built on an {@link ArrayDeque}.
 *
 * <p>The model is driven by what the engine does: each writer call is checked against the model
 * (right mechanism, right datagrams, only flushed ones, within limits and spin count), then the
 * scripted answer is applied to the model, which predicts the exact sequence of completions and
 * writability events. Every completion and event the engine delivers must be the next one the
 * model predicted, so order, exactly-once delivery and accounting are all checked as they happen.
 *
 * <p>Two threads: besides the loop's own writes, a producer thread writes ({@link Produce}: the
 * call-time {@code reserve}, counted against the water marks and the bound at once) and the loop
 * later runs each handed-over write ({@link Deliver}: {@code commitReserved}). jqwik chooses the
 * interleaving of producer calls and loop steps; after every step the pending counts must equal
 * queued plus in-flight writes, writability must follow them with hysteresis, and a flip caused
 * by the producer must be reported on the loop's next step, once and in order.
 */
class PendingDatagramWritesPropertyTest {
    static final SocketAddress PEER_A = new InetSocketAddress("127.0.0.1", 7001);
    static final SocketAddress PEER_B = new InetSocketAddress("127.0.0.1", 7002);
    static final int[] FATAL_ERRNOS = {Errno.EBADF, Errno.ENOBUFS, Errno.EINVAL};

    // ---- the scenario language ----

    enum Dest { PEER_A, PEER_B, NONE }

    enum Kind { NONE, FUTURE, CALLBACK, THROWING }

    enum Reaction { NONE, ADD_FLUSH, WRITE, ADD_FLUSH_WRITE, CLOSE, FAIL_ALL }

    sealed interface Op permits Add, AddMany, Flush, Write, Close, FailAll, WaterMarks, Connect, Disconnect, Spin,
            Produce, Deliver, Bound {
    }

    /** A write on the producer thread: counted at once, handed to the loop for later. */
    record Produce(int length, Dest dest, Kind kind) implements Op {
    }

    /** The loop runs the oldest write handed over by the producer. */
    record Deliver() implements Op {
    }

    /** A new hard bound on pending bytes ({@code MAX_PENDING_BYTES}). */
    record Bound(long bytes) implements Op {
    }

    record Add(int length, Dest dest, Kind kind, Reaction reaction) implements Op {
    }

    /** Many writes without completion, to reach the 1024-message limit. */
    record AddMany(int count, int length) implements Op {
    }

    record Flush() implements Op {
    }

    record Write() implements Op {
    }

    record Close() implements Op {
    }

    record FailAll() implements Op {
    }

    record WaterMarks(int low, int high) implements Op {
    }

    record Connect(Dest peer) implements Op {
    }

    record Disconnect() implements Op {
    }

    record Spin(int spins) implements Op {
    }

    /**
     * @param answers kernel answers, one per writer call: a count (vector: at most that many sent;
     *     scalar: bytes) or {@code -errno}; when they run out the kernel sends everything
     */
    record Scenario(List<Op> ops, List<Integer> answers, int maxMessages, long maxBytes, int spins) {
    }

    @Property(tries = 10_000)
    void engineMatchesTheReferenceModel(@ForAll("scenarios") Scenario scenario) {
        Harness h = new Harness(scenario);
        h.run();
        // Coverage of the interesting paths, printed in the jqwik report.
        Statistics.label("vector call at the message limit").collect(h.sawVectorAtLimit);
        Statistics.label("recoverable error then lone retry").collect(h.sawIsolation);
        Statistics.label("fatal errno").collect(h.sawFatal);
        Statistics.label("nested write refused").collect(h.sawNestedWrite);
        Statistics.label("writability flips").collect(h.sawWritabilityEvent);
        Statistics.label("flip by the producer thread").collect(h.sawProducerFlip);
        Statistics.label("write refused by the bound").collect(h.sawBoundRefusal);
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Integer> length = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(0)),
                Tuple.of(5, Arbitraries.integers().between(1, 300)),
                Tuple.of(3, Arbitraries.integers().between(300, 3000)));
        Arbitrary<Op> add = Combinators.combine(length, Arbitraries.of(Dest.class),
                        Arbitraries.frequency(Tuple.of(2, Kind.NONE), Tuple.of(3, Kind.FUTURE), Tuple.of(5, Kind.CALLBACK), Tuple.of(1, Kind.THROWING)),
                        Arbitraries.frequency(Tuple.of(12, Reaction.NONE), Tuple.of(2, Reaction.ADD_FLUSH), Tuple.of(2, Reaction.WRITE),
                                Tuple.of(2, Reaction.ADD_FLUSH_WRITE), Tuple.of(1, Reaction.CLOSE), Tuple.of(1, Reaction.FAIL_ALL)))
                .as(Add::new);
        Arbitrary<Op> waterMarks = Arbitraries.integers().between(0, 4000)
                .flatMap(low -> Arbitraries.integers().between(low, low + 4000).map(high -> new WaterMarks(low, high)));
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                Tuple.of(30, add),
                Tuple.of(1, Combinators.combine(Arbitraries.integers().between(1000, 1100), Arbitraries.integers().between(0, 3))
                        .as(AddMany::new)),
                Tuple.of(10, Arbitraries.just(new Flush())),
                Tuple.of(14, Arbitraries.just(new Write())),
                Tuple.of(1, Arbitraries.just(new Close())),
                Tuple.of(1, Arbitraries.just(new FailAll())),
                Tuple.of(3, waterMarks),
                Tuple.of(2, Arbitraries.of(Dest.PEER_A, Dest.PEER_B).map(Connect::new)),
                Tuple.of(1, Arbitraries.just(new Disconnect())),
                Tuple.of(2, Arbitraries.of(0, 1, 2, 4, 16).map(Spin::new)),
                Tuple.of(12, Combinators.combine(length, Arbitraries.of(Dest.class),
                        Arbitraries.of(Kind.NONE, Kind.FUTURE, Kind.CALLBACK)).as(Produce::new)),
                Tuple.of(10, Arbitraries.just(new Deliver())),
                Tuple.of(2, Arbitraries.of(1L, 3000L, 8000L, 70_000L, Long.MAX_VALUE).map(Bound::new)));
        Arbitrary<Integer> answer = Arbitraries.frequencyOf(
                Tuple.of(30, Arbitraries.just(Integer.MAX_VALUE)),
                Tuple.of(15, Arbitraries.integers().between(0, 5)),
                Tuple.of(8, Arbitraries.just(-Errno.EAGAIN)),
                Tuple.of(4, Arbitraries.just(-Errno.EINTR)),
                Tuple.of(4, Arbitraries.just(-Errno.EMSGSIZE)),
                Tuple.of(3, Arbitraries.just(-Errno.EHOSTUNREACH)),
                Tuple.of(3, Arbitraries.just(-Errno.ENETUNREACH)),
                Tuple.of(3, Arbitraries.just(-Errno.ECONNREFUSED)),
                Tuple.of(2, Arbitraries.just(-Errno.EPERM)),
                Tuple.of(1, Arbitraries.of(-Errno.EBADF, -Errno.ENOBUFS, -Errno.EINVAL)));
        return Combinators.combine(
                op.list().ofMinSize(1).ofMaxSize(30),
                answer.list().ofMaxSize(40),
                Arbitraries.of(1024, 2, 3, 7),
                Arbitraries.of(PendingDatagramWritesManager.MAX_VECTOR_BYTES, 2000L, 5000L),
                Arbitraries.of(0, 1, 3, 16)).as(Scenario::new);
    }

    // ---- the reference model and the harness that compares ----

    /** What the model predicts the engine delivers next: a completion or a writability event. */
    record Expect(int id, Class<?> failure, int errno, SocketAddress destination, String operation, boolean event, boolean writable) {
        static Expect event(boolean writable) {
            return new Expect(-1, null, 0, null, null, true, writable);
        }
    }

    /** One datagram as the model sees it. */
    record Model(int id, int length, SocketAddress dest, Kind kind, Reaction reaction) {
        boolean observable() {
            return kind != Kind.NONE;
        }
    }

    /** Thrown on purpose by {@link Kind#THROWING} completions; the engine must shrug it off. */
    static final class PlannedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PlannedFailure() {
            super("planned", null, false, false);
        }
    }

    /** The cause given to a non-closing failAll. */
    static final class FailedAll extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FailedAll() {
            super("failed all", null, false, false);
        }
    }

    static final class Harness implements DatagramWriter {
        final Scenario scenario;
        final PendingDatagramWritesManager engine;
        final Deque<Integer> script;
        final List<Throwable> problems = new ArrayList<>();
        final List<Model> created = new ArrayList<>();
        final List<Integer> fired = new ArrayList<>();

        // the model
        final ArrayDeque<Model> queue = new ArrayDeque<>();
        /** Written on the producer thread, counted, not yet run by the loop. */
        final ArrayDeque<Model> inFlight = new ArrayDeque<>();
        /** Flips caused by the producer, which the loop reports at its next step. */
        final ArrayDeque<Expect> unreported = new ArrayDeque<>();
        long bound = Long.MAX_VALUE;
        boolean sawProducerFlip;
        boolean sawBoundRefusal;
        final ArrayDeque<Expect> expected = new ArrayDeque<>();
        int flushed;
        long bytes;
        boolean open = true;
        boolean writable = true;
        boolean isolated;
        SocketAddress peer;
        int low = PendingDatagramWritesManager.DEFAULT_LOW_WATER_MARK;
        int high = PendingDatagramWritesManager.DEFAULT_HIGH_WATER_MARK;
        int spins;
        boolean writing;
        int callsThisWrite;
        Integer lastAnswer;
        Boolean lastEvent = true;
        int nextId;
        boolean inCompletion;
        boolean sawVectorAtLimit;
        boolean sawIsolation;
        boolean sawFatal;
        boolean sawNestedWrite;
        boolean sawWritabilityEvent;

        Harness(Scenario scenario) {
            this.scenario = scenario;
            this.script = new ArrayDeque<>(scenario.answers());
            this.engine = new PendingDatagramWritesManager(this::onWritability, scenario.maxMessages(), scenario.maxBytes());
            engine.setCompletionErrorHandler(t -> {
                if (!(t instanceof PlannedFailure)) {
                    problems.add(t);
                }
            });
            spins = scenario.spins();
            engine.setWriteSpinCount(spins);
        }

        void run() {
            for (Op op : scenario.ops()) {
                if (!(op instanceof Produce || op instanceof Spin || op instanceof Bound)) {
                    loopStep(); // every other step runs on the loop, which first reports the producer's flips
                }
                apply(op);
                settled(op);
            }
            loopStep();
            modelFailAll(ChannelClosedException.class, true);
            engine.failAll(new ChannelClosedException(), true);
            settled("final close");
            while (!inFlight.isEmpty()) {
                deliver(); // handed over before the close, run after it: refused, the reservation released
                settled("deliver after close");
            }
            check(engine.isEmpty() && engine.pendingBytes() == 0 && engine.pendingDatagrams() == 0, "empty after close");
            for (Model m : created) {
                if (m.observable()) {
                    check(fired.get(m.id()) == 1, "write " + m.id() + " completed " + fired.get(m.id()) + " times");
                }
            }
        }

        private void apply(Op op) {
            switch (op) {
                case Add a -> add(a.length(), resolve(a.dest()), a.kind(), a.reaction());
                case AddMany m -> {
                    for (int i = 0; i < m.count(); i++) {
                        add(m.length(), peer != null ? null : PEER_A, Kind.NONE, Reaction.NONE);
                    }
                }
                case Flush f -> flush();
                case Write w -> write();
                case Close c -> {
                    modelFailAll(ChannelClosedException.class, true);
                    engine.failAll(new ChannelClosedException(), true);
                }
                case FailAll f -> {
                    modelFailAll(FailedAll.class, false);
                    engine.failAll(new FailedAll(), false);
                }
                case WaterMarks w -> {
                    low = w.low();
                    high = w.high();
                    checkHigh();
                    checkLow();
                    engine.setWaterMarks(w.low(), w.high());
                }
                case Connect c -> {
                    SocketAddress p = resolve(c.peer());
                    while (!queue.isEmpty()) {
                        Model head = queue.peekFirst();
                        removeHead(ConnectedWhilePendingException.class, 0, head.dest() != null ? head.dest() : peer, null);
                    }
                    checkLow();
                    peer = p;
                    engine.setConnectedPeer(p);
                }
                case Disconnect d -> {
                    peer = null;
                    failUnaddressedHeads();
                    engine.setConnectedPeer(null);
                }
                case Spin s -> {
                    spins = s.spins();
                    engine.setWriteSpinCount(s.spins());
                }
                case Produce p -> produce(p.length(), resolve(p.dest()), p.kind());
                case Deliver d -> {
                    if (!inFlight.isEmpty()) {
                        deliver();
                    }
                }
                case Bound b -> {
                    bound = b.bytes();
                    engine.setMaxPendingBytes(b.bytes());
                }
            }
        }

        /** The loop thread takes a step: flips the producer caused are reported first, in order. */
        private void loopStep() {
            expected.addAll(unreported);
            unreported.clear();
        }

        /** The producer thread's write call: counted now (or refused by the bound), queued later. */
        void produce(int length, SocketAddress dest, Kind kind) {
            Model m = new Model(nextId++, length, dest, kind, Reaction.NONE);
            created.add(m);
            fired.add(0);
            boolean fits = bytes + length <= bound;
            boolean reserved = engine.reserve(length);
            check(reserved == fits, "reserve(" + length + ") returned " + reserved + " with " + bytes + " of " + bound);
            if (reserved) {
                inFlight.addLast(m);
                bytes += length;
                boolean before = writable;
                checkHigh();
                if (before != writable) {
                    // The producer flipped it: the engine reports it on the loop, not here.
                    unreported.addLast(expected.removeLast());
                    sawProducerFlip = true;
                }
                check(engine.isWritable() == writable, "producer sees writable=" + engine.isWritable() + ", model " + writable);
            } else {
                sawBoundRefusal = true;
                // The channel fails it at once on the producer thread; the engine holds nothing of it.
                fired.set(m.id(), 1);
            }
            compareAccounting("after produce");
        }

        /** The loop runs the oldest handed-over write. */
        void deliver() {
            Model m = inFlight.removeFirst();
            if (!open) {
                expectRefusal(m, ChannelClosedException.class, null);
                released(m);
            } else if (m.dest() == null && peer == null) {
                expectRefusal(m, NotConnectedException.class, null);
                released(m);
            } else if (m.dest() != null && peer != null && !m.dest().equals(peer)) {
                expectRefusal(m, AddressMismatchException.class, m.dest());
                released(m);
            } else {
                queue.addLast(m);
            }
            engine.claim().buffer(Tags.payload(m.id()), 0, m.length()).destination(m.dest()).completion(completionFor(m));
            boolean result = engine.commitReserved(m.length());
            check(result == writable, "commitReserved returned " + result + " but the model is writable=" + writable);
            compareAccounting("after deliver");
        }

        private void released(Model m) {
            bytes -= m.length();
            checkLow();
        }

        private static SocketAddress resolve(Dest d) {
            return switch (d) {
                case PEER_A -> PEER_A;
                case PEER_B -> PEER_B;
                case NONE -> null;
            };
        }

        // ---- operations, model first, then engine ----

        void add(int length, SocketAddress dest, Kind kind, Reaction reaction) {
            Model m = new Model(nextId++, length, dest, kind, reaction);
            created.add(m);
            fired.add(0);
            if (!open) {
                expectRefusal(m, ChannelClosedException.class, null);
            } else if (dest == null && peer == null) {
                expectRefusal(m, NotConnectedException.class, null);
            } else if (dest != null && peer != null && !dest.equals(peer)) {
                expectRefusal(m, AddressMismatchException.class, dest);
            } else if (bytes + length > bound) {
                expectRefusal(m, PendingWritesFullException.class, dest);
                sawBoundRefusal = true;
            } else {
                queue.addLast(m);
                bytes += length;
                checkHigh();
            }
            engine.claim().buffer(Tags.payload(m.id()), 0, length).destination(dest).completion(completionFor(m));
            boolean result = engine.commit();
            check(result == writable, "add returned " + result + " but the model is writable=" + writable);
            compareAccounting("after add");
        }

        private void expectRefusal(Model m, Class<?> failure, SocketAddress dest) {
            if (m.observable()) {
                expected.addLast(new Expect(m.id(), failure, 0, dest, null, false, false));
            }
        }

        void flush() {
            flushed = queue.size();
            failUnaddressedHeads();
            engine.flush();
        }

        void write() {
            if (writing) {
                WriteResult r = engine.write(this);
                check(r == WriteResult.ALREADY_WRITING, "nested write returned " + r);
                sawNestedWrite = true;
                return;
            }
            writing = true;
            callsThisWrite = 0;
            lastAnswer = null;
            WriteResult r;
            try {
                r = engine.write(this);
            } finally {
                writing = false;
            }
            switch (r) {
                case WriteResult.AllWritten a -> check(!open || flushed == 0, "AllWritten with " + flushed + " flushed left");
                case WriteResult.SpinExhausted s -> check(open && flushed > 0 && callsThisWrite == spins + 1,
                        "SpinExhausted after " + callsThisWrite + " calls, spins=" + spins + ", flushed=" + flushed);
                case WriteResult.WouldBlock b -> check(open && flushed > 0 && Objects.equals(lastAnswer, -Errno.EAGAIN),
                        "WouldBlock after answer " + lastAnswer);
                case WriteResult.Fatal f -> {
                    check(!open && lastAnswer != null && isFatal(-lastAnswer), "Fatal after answer " + lastAnswer);
                    check(f.cause() instanceof NativeIOException n && n.errno() == -lastAnswer, "fatal cause " + f.cause());
                }
                case WriteResult.AlreadyWriting a -> check(false, "AlreadyWriting from an outermost write");
            }
            compareAccounting("after write");
        }

        private void modelFailAll(Class<?> failure, boolean close) {
            if (close) {
                open = false;
            }
            while (!queue.isEmpty()) {
                removeHead(failure, 0, null, null);
            }
            checkLow();
        }

        // ---- model transitions ----

        private void removeHead(Class<?> failure, int errno, SocketAddress dest, String operation) {
            Model m = queue.removeFirst();
            bytes -= m.length();
            if (flushed > 0) {
                flushed--;
            }
            isolated = false;
            if (m.observable()) {
                expected.addLast(new Expect(m.id(), failure, errno, dest, operation, false, false));
            }
        }

        private void checkHigh() {
            if (writable && bytes > high) {
                writable = false;
                expected.addLast(Expect.event(false));
            }
        }

        private void checkLow() {
            if (!writable && (bytes < low || queue.isEmpty() && inFlight.isEmpty())) {
                writable = true;
                expected.addLast(Expect.event(true));
            }
        }

        private void failUnaddressedHeads() {
            if (peer != null) {
                return;
            }
            boolean removed = false;
            while (flushed > 0 && queue.peekFirst().dest() == null) {
                removeHead(NotConnectedException.class, 0, null, null);
                removed = true;
            }
            if (removed) {
                checkLow();
            }
        }

        private boolean isRecoverable(int errno) {
            return errno == Errno.EMSGSIZE || errno == Errno.EHOSTUNREACH || errno == Errno.ENETUNREACH
                    || errno == Errno.EPERM || (errno == Errno.ECONNREFUSED && peer != null);
        }

        private boolean isFatal(int errno) {
            return errno != Errno.EAGAIN && errno != Errno.EINTR && !isRecoverable(errno);
        }

        private static Class<?> recoverableType(int errno) {
            return switch (errno) {
                case Errno.EMSGSIZE -> DatagramTooLargeException.class;
                case Errno.EHOSTUNREACH, Errno.ENETUNREACH -> HostUnreachableException.class;
                case Errno.ECONNREFUSED -> ConnectionRefusedException.class;
                case Errno.EPERM -> DatagramNotPermittedException.class;
                default -> throw new AssertionError("not recoverable: " + errno);
            };
        }

        private int expectedVectorCount() {
            int limit = Math.min(flushed, scenario.maxMessages());
            long total = 0;
            int count = 0;
            for (Model m : queue) {
                if (count == limit || (peer == null && m.dest() == null)) {
                    break;
                }
                total += m.length();
                if (total > scenario.maxBytes()) {
                    break;
                }
                count++;
            }
            return count;
        }

        // ---- the fake kernel ----

        private void beforeCall(String kind) {
            check(writing, kind + " outside write()");
            callsThisWrite++;
            check(callsThisWrite <= spins + 1, "call " + callsThisWrite + " with spins=" + spins);
            check(open, kind + " on a closed manager");
            check(flushed > 0, kind + " with nothing flushed");
            compareAccounting("before " + kind);
        }

        @Override
        public void writeScalar(PendingWrite w, SendOutcome out) {
            report(scalar(w), "sendmsg", w, out);
        }

        @Override
        public void writeVector(WriteBatch batch, int count, SendOutcome out) {
            report(vector(batch, count), "sendmmsg", batch.get(0), out);
        }

        /** Hands the model's answer (a count, or -errno) to the engine as the Linux writer would. */
        private static void report(int answer, String operation, PendingWrite head, SendOutcome out) {
            if (answer >= 0) {
                out.sent(operation.equals("sendmsg") ? 1 : answer);
            } else {
                out.failed(SendErrors.classify(-answer, head.segmentSize() > 0), -answer, operation);
            }
        }

        private int scalar(PendingWrite w) {
            beforeCall("writeScalar");
            Model head = queue.peekFirst();
            sawIsolation |= isolated;
            check(flushed == 1 || isolated || head.length() > scenario.maxBytes(),
                    "scalar write with " + flushed + " flushed, isolated=" + isolated);
            check(Tags.of(w).equals(String.valueOf(head.id())), "scalar write of " + Tags.of(w) + " but the head is " + head.id());
            check(w.length() == head.length(), "length");
            check(head.dest() != null || peer != null, "unaddressed write sent while not connected");
            Integer scripted = script.poll();
            int answer = scripted == null || scripted >= 0 ? head.length() : scripted;
            lastAnswer = answer;
            if (answer >= 0) {
                removeHead(null, 0, null, null);
                checkLow();
                failUnaddressedHeads();
            } else {
                int errno = -answer;
                if (isRecoverable(errno)) {
                    removeHead(recoverableType(errno), errno, head.dest() != null ? head.dest() : peer, null);
                    checkLow();
                    failUnaddressedHeads();
                } else if (isFatal(errno)) {
                    modelFatal("sendmsg", errno);
                }
            }
            return answer;
        }

        private int vector(WriteBatch batch, int count) {
            beforeCall("writeVector");
            check(flushed >= 2 && !isolated, "vector write with " + flushed + " flushed, isolated=" + isolated);
            int expectedCount = expectedVectorCount();
            check(count == expectedCount, "vector count " + count + ", expected " + expectedCount);
            sawVectorAtLimit |= count == PendingDatagramWritesManager.MAX_VECTOR_MESSAGES;
            check(count >= 1 && count <= PendingDatagramWritesManager.MAX_VECTOR_MESSAGES && count <= scenario.maxMessages(),
                    "vector count " + count);
            long total = 0;
            Iterator<Model> it = queue.iterator();
            for (int i = 0; i < count; i++) {
                Model m = it.next();
                PendingWrite w = batch.get(i);
                check(Tags.of(w).equals(String.valueOf(m.id())), "vector slot " + i + " holds " + Tags.of(w) + ", expected " + m.id());
                total += w.length();
            }
            check(total <= scenario.maxBytes() && total <= Integer.MAX_VALUE, "vector bytes " + total);
            Integer scripted = script.poll();
            int answer = scripted == null ? count : scripted >= 0 ? Math.min(scripted, count) : scripted;
            lastAnswer = answer;
            if (answer >= 0) {
                for (int i = 0; i < answer; i++) {
                    removeHead(null, 0, null, null);
                }
                checkLow();
                failUnaddressedHeads();
            } else {
                int errno = -answer;
                if (isRecoverable(errno)) {
                    isolated = true;
                } else if (isFatal(errno)) {
                    modelFatal("sendmmsg", errno);
                }
            }
            return answer;
        }

        private void modelFatal(String operation, int errno) {
            sawFatal = true;
            open = false;
            while (!queue.isEmpty()) {
                removeHead(ChannelClosedException.class, errno, null, operation);
            }
            checkLow();
        }

        // ---- what the engine delivers ----

        private WriteCompletion completionFor(Model m) {
            return switch (m.kind()) {
                case NONE -> null;
                case FUTURE -> {
                    // The channel wraps futures at the API edge; the engine only knows completions.
                    CompletableFuture<Void> f = new CompletableFuture<>();
                    f.whenComplete((v, t) -> completed(m, t));
                    yield Tags.future(f);
                }
                case CALLBACK -> (WriteCompletion) t -> completed(m, t);
                case THROWING -> {
                    WriteCompletion c = t -> {
                        completed(m, t);
                        throw new PlannedFailure();
                    };
                    yield c;
                }
            };
        }

        private void completed(Model m, Throwable failure) {
            check(!inCompletion, "completion of write " + m.id() + " runs inside another completion");
            inCompletion = true;
            try {
                checkedCompletion(m, failure);
            } finally {
                inCompletion = false;
            }
        }

        private void checkedCompletion(Model m, Throwable failure) {
            fired.set(m.id(), fired.get(m.id()) + 1);
            check(fired.get(m.id()) == 1, "write " + m.id() + " completed twice");
            Expect e = expected.pollFirst();
            check(e != null && !e.event() && e.id() == m.id(),
                    "write " + m.id() + " completed (" + failure + ") but the model expected " + e);
            if (e.failure() == null) {
                check(failure == null, "write " + m.id() + " failed with " + failure + ", expected success");
            } else {
                check(failure != null && failure.getClass() == e.failure(),
                        "write " + m.id() + " failed with " + failure + ", expected " + e.failure().getSimpleName());
                if (failure instanceof DatagramWriteException d) {
                    check(d.errno() == e.errno(), "errno " + d.errno() + " expected " + e.errno());
                    check(Objects.equals(d.destination(), e.destination()),
                            "destination " + d.destination() + " expected " + e.destination());
                }
                if (e.operation() != null) {
                    check(failure.getCause() instanceof NativeIOException n && n.errno() == e.errno()
                            && n.operation().equals(e.operation()), "fatal cause " + failure.getCause());
                }
            }
            react(m);
        }

        private void react(Model m) {
            switch (m.reaction()) {
                case NONE -> { }
                case ADD_FLUSH -> {
                    add(m.length(), peer != null ? null : PEER_A, Kind.CALLBACK, Reaction.NONE);
                    flush();
                }
                case WRITE -> write();
                case ADD_FLUSH_WRITE -> {
                    add(m.length(), peer != null ? null : PEER_A, Kind.FUTURE, Reaction.NONE);
                    flush();
                    write();
                }
                case CLOSE -> {
                    modelFailAll(ChannelClosedException.class, true);
                    engine.failAll(new ChannelClosedException(), true);
                }
                case FAIL_ALL -> {
                    modelFailAll(FailedAll.class, false);
                    engine.failAll(new FailedAll(), false);
                }
            }
            compareAccounting("after reaction " + m.reaction());
        }

        private void onWritability(boolean nowWritable) {
            check(lastEvent != nowWritable, "writability event " + nowWritable + " repeated");
            lastEvent = nowWritable;
            sawWritabilityEvent = true;
            Expect e = expected.pollFirst();
            check(e != null && e.event() && e.writable() == nowWritable,
                    "writability event " + nowWritable + " but the model expected " + e);
        }

        // ---- checks ----

        private void compareAccounting(String where) {
            check(engine.pendingBytes() == bytes, where + ": pendingBytes " + engine.pendingBytes() + " vs model " + bytes);
            check(engine.pendingDatagrams() == queue.size() + inFlight.size(),
                    where + ": pendingDatagrams " + engine.pendingDatagrams() + " vs " + queue.size() + " + " + inFlight.size());
            check(engine.isFlushPending() == (flushed > 0), where + ": flush pending");
            check(engine.isEmpty() == queue.isEmpty(), where + ": empty");
            check(engine.isOpen() == open, where + ": open");
            check(engine.isWritable() == writable, where + ": writable " + engine.isWritable() + " vs " + writable);
        }

        private void settled(Object step) {
            if (!problems.isEmpty()) {
                AssertionError error = new AssertionError("inside a callback during " + step, problems.get(0));
                throw error;
            }
            check(expected.isEmpty(), "after " + step + " these were never delivered: " + expected);
            compareAccounting("after " + step);
            if (unreported.isEmpty()) {
                check(writable == (lastEvent == null || lastEvent), "last event matches the flag");
            }
        }

        private static void check(boolean condition, String message) {
            if (!condition) {
                throw new AssertionError(message);
            }
        }
    }
}
