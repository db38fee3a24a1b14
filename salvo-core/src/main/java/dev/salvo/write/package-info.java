/**
 * The pending-datagram-writes engine: a pure queue ({@code PendingDatagramWrites}) plus the loop
 * that drains it ({@link dev.salvo.write.PendingDatagramWritesManager}) through the two system
 * calls of a {@link dev.salvo.write.DatagramWriter}. No I/O happens in this package itself, so
 * every edge case is testable with a scripted writer.
 */
package dev.salvo.write;
