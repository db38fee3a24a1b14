package dev.salvo.bench.report;

import dev.salvo.bench.harness.Role;

import java.util.Objects;

/**
 * One run of one contender: the raw numbers a child reported, from which the rates derive.
 *
 * @param side          {@code send} or {@code receive}
 * @param impl          the contender name, e.g. {@code netty}
 * @param mechanism     how it moves datagrams
 * @param role          what it is compared as
 * @param payload       payload bytes per datagram
 * @param mode          {@code sink} or {@code drain} (send side), {@code receive} (receive side)
 * @param run           the run index, from 0
 * @param datagrams     datagrams sent (send side) or received (receive side) in the timed window
 * @param elapsedNanos  the window's measured length
 * @param cpuNanos      CPU time of the measured process (sender or receiver) over the window
 * @param sentTotal     every datagram the sender sent in the whole run, or -1 if unknown
 * @param receivedTotal every datagram the receiver counted in the whole run, or -1 when nothing reads (sink)
 * @param windowSent    datagrams the feeders sent during the receiver's timed window (receive side, C
 *                      feeders, which answer the harness's marks at both edges), or -1 when not measured
 * @param gcCount       garbage collections in the window (Java receivers), else 0
 * @param gcMillis      time those collections took, in milliseconds
 * @param error         why the run failed, or null when it succeeded
 */
public record Measurement(String side, String impl, String mechanism, Role role, int payload, String mode, int run,
                          long datagrams, long elapsedNanos, long cpuNanos, long sentTotal, long receivedTotal,
                          long windowSent, long gcCount, long gcMillis, String error) {
    /** Validates the names. */
    public Measurement {
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(impl, "impl");
        Objects.requireNonNull(mechanism, "mechanism");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(mode, "mode");
    }

    /**
     * A run whose window sends were not counted ({@code windowSent} -1): the send side, or a
     * receiver fed by a Java feeder.
     *
     * @param side          the side
     * @param impl          the contender name
     * @param mechanism     its mechanism
     * @param role          its role
     * @param payload       payload bytes
     * @param mode          the mode
     * @param run           the run index
     * @param datagrams     datagrams in the window
     * @param elapsedNanos  the window's length
     * @param cpuNanos      CPU time over the window
     * @param sentTotal     datagrams sent in the whole run, or -1
     * @param receivedTotal datagrams counted in the whole run, or -1
     * @param gcCount       collections in the window
     * @param gcMillis      their milliseconds
     * @param error         why it failed, or null
     */
    public Measurement(String side, String impl, String mechanism, Role role, int payload, String mode, int run,
                       long datagrams, long elapsedNanos, long cpuNanos, long sentTotal, long receivedTotal,
                       long gcCount, long gcMillis, String error) {
        this(side, impl, mechanism, role, payload, mode, run, datagrams, elapsedNanos, cpuNanos, sentTotal,
                receivedTotal, -1, gcCount, gcMillis, error);
    }

    /**
     * A run that produced no numbers.
     *
     * @param side      the side
     * @param impl      the contender name
     * @param mechanism its mechanism
     * @param role      its role
     * @param payload   payload bytes
     * @param mode      the mode
     * @param run       the run index
     * @param error     what went wrong
     * @return the failed measurement
     */
    public static Measurement failed(String side, String impl, String mechanism, Role role, int payload, String mode,
                                     int run, String error) {
        return new Measurement(side, impl, mechanism, role, payload, mode, run, 0, 0, 0, -1, -1, 0, 0,
                Objects.requireNonNull(error, "error"));
    }

    /** @return true when the run produced a measurement */
    public boolean ok() {
        return error == null && elapsedNanos > 0;
    }

    /** @return datagrams per second over the window */
    public double datagramsPerSecond() {
        return elapsedNanos > 0 ? datagrams * 1e9 / elapsedNanos : 0;
    }

    /** @return payload throughput in Gbit/s (headers not counted) */
    public double gbitPerSecond() {
        return datagramsPerSecond() * payload * 8 / 1e9;
    }

    /** @return CPU seconds the measured process spent per million datagrams, NaN with no datagrams */
    public double cpuSecondsPerMillion() {
        return datagrams > 0 ? (cpuNanos / 1e9) / (datagrams / 1e6) : Double.NaN;
    }

    /** @return datagrams sent but never counted by the receiver, or -1 when not measured */
    public long lost() {
        return sentTotal >= 0 && receivedTotal >= 0 ? Math.max(0, sentTotal - receivedTotal) : -1;
    }

    /** @return {@link #lost()} as a percentage of what was sent, NaN when not measured */
    public double lossPercent() {
        long lost = lost();
        return lost >= 0 && sentTotal > 0 ? 100.0 * lost / sentTotal : Double.NaN;
    }

    /**
     * The loss in steady state: of what the feeders sent during the timed window, the share the
     * receiver did not count in it. Unlike {@link #lossPercent()} it leaves out the JIT warm-up
     * before the window, when a Java receiver is slow and drops most of what arrives. The two
     * edges are sampled a millisecond or two apart in the two processes (the harness relays the
     * receiver's window marks to the feeders), so it is exact to about 0.1 % at these rates.
     *
     * @return the percentage, 0 when the receiver counted more than was sent in the window, NaN
     *     when not measured
     */
    public double windowLossPercent() {
        return windowSent > 0 ? 100.0 * Math.max(0, windowSent - datagrams) / windowSent : Double.NaN;
    }
}
