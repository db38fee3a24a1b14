/**
 * The side-by-side harness behind {@code salvo bench}.
 *
 * <h2>How a run works</h2>
 * The harness ({@link dev.salvo.bench.harness.BenchRunner}) never measures in its own JVM. For
 * each (run, payload size, mode, contender) it starts child processes: a JVM on the same java
 * binary and class path ({@link dev.salvo.bench.harness.ChildMain}) or a C program compiled from
 * the sources in {@code resources/dev/salvo/bench/native} ({@link dev.salvo.bench.harness.NativePrograms}).
 * Children speak a line protocol on stdout ({@link dev.salvo.bench.harness.ChildMessage}): READY
 * with a port, PHASE names, one RESULT JSON object, or ERROR; they stop when their stdin says
 * {@code stop} or closes. Every child has a hard time limit and is killed if it overruns; Ctrl-C
 * kills all of them and prints the partial table. Only 127.0.0.1 is ever used.
 *
 * <h2>Send side</h2>
 * A sender child warms up for a fixed time, then counts the datagrams the kernel accepted in a
 * timed window together with the process CPU time ({@code CLOCK_PROCESS_CPUTIME_ID}) the window
 * cost. In {@code sink} mode the receiver is a socket in the harness that is never read; in
 * {@code drain} mode it is a receiver child ({@code c/recvmmsg}, else {@code jdk}) whose total,
 * read after the sender stops, gives the loss.
 *
 * <h2>Receive side</h2>
 * One fast feeder ({@code c/gso}, else {@code jdk}) blasts at each receiver child in turn. The
 * receiver opens its window a settle time after its first datagram (so the JIT has warmed up),
 * samples its count, CPU time and GC totals at both edges, and after the feeder stops reports its
 * total so the harness can compute the loss.
 *
 * <p>Two more receive scenarios. With {@code --loops N} each receiver registered with
 * {@link dev.salvo.bench.harness.ContenderRegistry.Builder#multiLoopReceiver} gets a variant
 * {@code name@N} that reads one port with a {@link dev.salvo.ReusePortGroup} of N loops (and
 * {@code c/recvmmsg@N}, N {@code SO_REUSEPORT} sockets on N threads, is its C reference); it is
 * fed by N C senders at once, each sending from 16 source sockets in turn so that the kernel's
 * 4-tuple hash spreads the datagrams, reports how they split over its channels, and is compared
 * with its one-loop row. With {@code --sockets N} each receiver binds N sockets on consecutive
 * ports on one loop ({@link dev.salvo.bench.harness.JavaReceiver#openSockets}), fed by one C
 * sender round-robin over all N ports; those rows are a table of their own per N.
 *
 * <h2>Adding contenders (Salvo)</h2>
 * A Java sender implements {@link dev.salvo.bench.harness.JavaSender}: {@code open(target, payloadSize)},
 * then {@code sendSome()} in a loop (send a batch, return how many the kernel accepted), then
 * {@code finish()} and {@code close()}. A receiver implements
 * {@link dev.salvo.bench.harness.JavaReceiver}: {@code open(bindAddress, payloadSize)} starts its
 * own threads and {@code received()} publishes the count. Register them by name with
 * {@link dev.salvo.bench.harness.ContenderRegistry.Builder#sender} /
 * {@link dev.salvo.bench.harness.ContenderRegistry.Builder#receiver} (role
 * {@link dev.salvo.bench.harness.Role#SALVO}), either as a line in
 * {@link dev.salvo.bench.harness.ContenderRegistry#standard()} or from a
 * {@link dev.salvo.bench.harness.ContenderProvider} listed in {@code META-INF/services}. The name
 * is all the child needs: it rebuilds the same registry and calls the factory.
 */
package dev.salvo.bench.harness;
