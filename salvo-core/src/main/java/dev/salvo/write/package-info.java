/**
 * The pending-datagram-writes engine: a pure queue ({@code PendingDatagramWrites}) plus the loop
 * that drains it ({@link dev.salvo.write.PendingDatagramWritesManager}) through the two system
 * calls of a {@link dev.salvo.write.DatagramWriter}, which reports a typed
 * {@link dev.salvo.write.SendOutcome} (never a raw errno).
 *
 * <p>Its job is the seed's state machine: queueing, flush marks, accounting, water marks, the
 * write spin, ordered completion and the fate of each datagram. No I/O, threads or clocks happen
 * here, so every edge case is testable with a scripted writer. It depends only on
 * {@code dev.salvo}'s exceptions and value types (and {@code java.*}); transports depend on it,
 * never the other way round.
 */
package dev.salvo.write;
