package dev.salvo.bench.harness;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Finds a free run of consecutive loopback ports for a many-sockets receiver, so a C feeder can
 * address them as {@code PORT..PORT+N-1}. Ports are drawn below the kernel's usual ephemeral
 * range (32768 and up), where nothing binds by accident, and a taken range is retried elsewhere.
 */
final class PortRange {
    /** The most sockets one receiver binds. */
    static final int MAX_SOCKETS = 4096;
    private static final int LOWEST = 10_000;
    private static final int BELOW = 32_768;
    private static final int ATTEMPTS = 20;

    private PortRange() {
    }

    /**
     * Binds {@code count} sockets of the receiver on consecutive ports of 127.0.0.1.
     *
     * @param receiver the receiver (it closes what it bound when a port is taken)
     * @param count    sockets, 2 to {@value #MAX_SOCKETS}
     * @param payload  payload bytes
     * @return the first port
     * @throws IOException when no free range was found after a few attempts, or binding failed otherwise
     */
    static int bind(JavaReceiver receiver, int count, int payload) throws IOException {
        if (count < 1 || count > MAX_SOCKETS) {
            throw new IllegalArgumentException("sockets must be 1.." + MAX_SOCKETS + ", not " + count);
        }
        IOException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int first = ThreadLocalRandom.current().nextInt(LOWEST, BELOW - count);
            try {
                receiver.openSockets(new InetSocketAddress(InetAddress.getLoopbackAddress(), first), count, payload);
                return first;
            } catch (IOException e) {
                if (!isAddressInUse(e)) {
                    throw e;
                }
                last = e;
            }
        }
        throw new IOException("found no " + count + " free consecutive ports below " + BELOW + " in " + ATTEMPTS
                + " attempts", last);
    }

    private static boolean isAddressInUse(IOException e) {
        return e instanceof BindException
                || (e.getMessage() != null && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("in use"));
    }
}
