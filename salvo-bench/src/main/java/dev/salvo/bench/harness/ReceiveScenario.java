package dev.salvo.bench.harness;

import java.util.Locale;

/**
 * What a receive-side run feeds and how the receiver listens: the plain single socket, a
 * reuse-port group of N loops fed by N feeders, or N sockets on one loop.
 *
 * @param mode    the measurement's mode, which groups the rows of a table ({@code receive} or {@code 256 sockets})
 * @param feeders feeder processes started at once
 * @param spread  how each feeder spreads over source sockets and destination ports
 * @param sockets sockets on consecutive ports the receiver reads on one loop
 */
record ReceiveScenario(String mode, int feeders, FeedSpread spread, int sockets) {
    /** The mode of the plain receive side (one socket, or one port for a reuse-port group). */
    static final String RECEIVE = "receive";
    /** Suffix of the many-sockets mode, after the count: {@code 256 sockets}. */
    static final String SOCKETS_SUFFIX = " sockets";

    /** One socket on one loop, one feeder from one socket: the receive side as it always was. */
    static final ReceiveScenario PLAIN = new ReceiveScenario(RECEIVE, 1, FeedSpread.NONE, 1);

    /**
     * @param loops the receiver's loops (its contender name ends in {@code @loops})
     * @return a reuse-port group on one port, fed by one feeder per loop from 16 sockets each
     */
    static ReceiveScenario reusePort(int loops) {
        return loops == 1 ? PLAIN
                : new ReceiveScenario(RECEIVE, loops, new FeedSpread(FeedSpread.REUSE_PORT_SOURCES, 1), 1);
    }

    /**
     * Feeders of the many-sockets scenario. One: with a datagram per socket per turn the sender
     * pays a reader wake-up per datagram, and on a 2-core machine a second feeder only takes CPU
     * from the receiver (measured: 384,000/s with two feeders against 546,000/s with one, Salvo
     * on epoll, 1024 sockets, 64 B, --quick).
     */
    static final int MANY_SOCKETS_FEEDERS = 1;

    /**
     * @param sockets sockets on one loop
     * @return the many-sockets scenario: {@value #MANY_SOCKETS_FEEDERS} feeders, each round-robin
     *     over all the ports, datagram by datagram
     */
    static ReceiveScenario manySockets(int sockets) {
        return new ReceiveScenario(sockets + SOCKETS_SUFFIX, MANY_SOCKETS_FEEDERS, new FeedSpread(1, sockets), sockets);
    }

    /**
     * @param feeder the feeder contender
     * @return what fed the run, for the notes under the table
     */
    String feedText(Contender<JavaSender> feeder) {
        String each = feeder.name() + " (" + feeder.mechanism() + ")";
        if (sockets > 1) {
            return String.format(Locale.ROOT, "%d x %s sending round-robin over all %d destination ports (one per"
                    + " socket), datagram by datagram", feeders, each, sockets);
        }
        if (feeders > 1) {
            return String.format(Locale.ROOT, "%d x %s at once, each sending from %d sockets (source ports) in turn",
                    feeders, each, spread.sources());
        }
        return "one " + each + " from one socket";
    }
}
