package dev.salvo.channel;

import dev.salvo.DatagramChannel;
import dev.salvo.transport.SocketOps;

/** A test seam: the transport socket behind a Salvo channel, for tests that poke the kernel directly. */
public final class ChannelInternals {
    private ChannelInternals() {
    }

    /**
     * @param channel a channel opened by {@link DatagramChannel#builder}
     * @return its socket; touch it only on the channel's loop or while the loop is idle
     */
    public static SocketOps socketOf(DatagramChannel channel) {
        return ((SalvoDatagramChannel) channel).core().socket();
    }
}
