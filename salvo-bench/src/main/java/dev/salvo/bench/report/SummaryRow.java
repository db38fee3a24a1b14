package dev.salvo.bench.report;

import dev.salvo.bench.harness.Role;

/**
 * The medians of one contender at one payload size and mode, with its ratios to the C baseline
 * and to the best Java peer (by datagrams per second). NaN marks a figure that does not apply
 * or could not be measured.
 *
 * @param side                 {@code send} or {@code receive}
 * @param impl                 the contender name
 * @param mechanism            how it moves datagrams
 * @param role                 what it is compared as
 * @param payload              payload bytes
 * @param mode                 sink, drain or receive
 * @param runs                 successful runs the medians are taken over
 * @param datagramsPerSecond   median datagrams per second
 * @param gbitPerSecond        median payload Gbit/s
 * @param cpuSecondsPerMillion median CPU seconds per million datagrams
 * @param lossPercent          median loss percentage (drain and receive), else NaN
 * @param lost                 median datagrams lost (drain and receive), else NaN
 * @param windowLossPercent    median loss in the timed window (receive side with C feeders), else NaN
 * @param gcCount              median GC count in the window (receive side), else NaN
 * @param gcMillis             median GC milliseconds in the window (receive side), else NaN
 * @param vsBaseline           datagrams/s relative to the C baseline of the side
 * @param vsBestJava           datagrams/s relative to the fastest Java peer in the same group
 */
public record SummaryRow(String side, String impl, String mechanism, Role role, int payload, String mode, int runs,
                         double datagramsPerSecond, double gbitPerSecond, double cpuSecondsPerMillion,
                         double lossPercent, double lost, double windowLossPercent, double gcCount,
                         double gcMillis, double vsBaseline, double vsBestJava) {
}
