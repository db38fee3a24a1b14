package dev.salvo.bench.harness;

/**
 * How a C feeder spreads its datagrams, appended to its mode ({@code gso,sources=16}): from
 * {@code sources} sockets in turn (that many source ports, so a receiver's {@code SO_REUSEPORT}
 * hash of the 4-tuple spreads them statistically over its channels) and over {@code ports}
 * consecutive destination ports (for a receiver with that many sockets).
 *
 * @param sources sending sockets, 1 to {@value #MAX_SOURCES}
 * @param ports   destination ports from the receiver's first port up, 1 or more
 */
record FeedSpread(int sources, int ports) {
    /** The most sending sockets the C sender takes. */
    static final int MAX_SOURCES = 256;
    /** One socket to one port: what every plain receive run uses. */
    static final FeedSpread NONE = new FeedSpread(1, 1);
    /** Source sockets per feeder of a reuse-port receiver: enough for the hash to spread evenly on average. */
    static final int REUSE_PORT_SOURCES = 16;

    /** Checks the counts. */
    FeedSpread {
        if (sources < 1 || sources > MAX_SOURCES || ports < 1 || ports > 65_535) {
            throw new IllegalArgumentException("a feeder sends from 1.." + MAX_SOURCES + " sockets to 1..65535 ports, not "
                    + sources + " and " + ports);
        }
    }

    /** @return the options for the C sender's mode argument, empty for {@link #NONE} */
    String modeOptions() {
        return (sources > 1 ? ",sources=" + sources : "") + (ports > 1 ? ",ports=" + ports : "");
    }
}
