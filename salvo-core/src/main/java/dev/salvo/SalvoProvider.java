package dev.salvo;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;

/**
 * The service interface through which the API finds its implementation, so that nothing in
 * {@code dev.salvo} depends on the packages that implement it. The {@code dev.salvo} module
 * provides one (found with {@link ServiceLoader}, on the module path and on the class path alike).
 * Applications never call it: they use {@link EventLoopGroup#create(int)},
 * {@link DatagramChannel#builder(EventLoopGroup)} and {@link SystemReport#probe()}.
 */
public interface SalvoProvider {
    /**
     * Starts an event-loop group; {@link EventLoopGroup#create(int, TransportType)} has checked
     * the arguments.
     *
     * @param threads the number of event loops, at least 1
     * @param type which transport to use
     * @return a started group
     * @throws IllegalStateException when the requested transport is unavailable here (the message says why)
     */
    EventLoopGroup newGroup(int threads, TransportType type);

    /**
     * Opens a channel and waits until it is open.
     *
     * @param spec what to open
     * @return the open channel
     * @throws IOException when the kernel refuses
     * @throws IllegalStateException when called from another event loop's thread
     * @throws IllegalArgumentException when the spec's group is not one this provider made
     * @throws UnsupportedOperationException when an option or the protocol family is not
     *     supported by the group's transport
     */
    DatagramChannel open(ChannelSpec spec) throws IOException;

    /**
     * Opens a channel without waiting.
     *
     * @param spec what to open
     * @return completes with the open channel or fails with why it could not be opened (this
     *     method itself does not throw)
     */
    CompletableFuture<DatagramChannel> openAsync(ChannelSpec spec);

    /**
     * Probes this machine, for {@link SystemReport#probe()}.
     *
     * @return what this machine supports, probed now
     */
    SystemReport probe();

    /**
     * What a {@link DatagramChannel.Builder} collected.
     *
     * @param group the group to run the channel on
     * @param handler the channel's handler
     * @param options options to apply before bind or connect, in the order they were given
     * @param loopIndex the group's loop to use, or -1 for the next one
     * @param family the family of an unbound socket, or {@code null} when {@code local} or {@code remote} decides
     * @param local the address to bind, or {@code null}
     * @param remote the peer to connect to, or {@code null}
     */
    record ChannelSpec(EventLoopGroup group, ChannelHandler handler, Map<ChannelOption<?>, Object> options,
                       int loopIndex, ProtocolFamily family, SocketAddress local, SocketAddress remote) {
        /**
         * Checks that something decides the socket's family.
         *
         * @throws NullPointerException when {@code group}, {@code handler} or {@code options} is null
         * @throws IllegalArgumentException when {@code family}, {@code local} and {@code remote} are all null
         */
        public ChannelSpec {
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(handler, "handler");
            Objects.requireNonNull(options, "options");
            if (family == null && local == null && remote == null) {
                throw new IllegalArgumentException("a family, a local or a remote address is needed");
            }
        }
    }

    /**
     * Returns the implementation, loaded once per process with {@link ServiceLoader}.
     *
     * @return the provider this process uses (the first one found)
     * @throws IllegalStateException when none is installed (a broken class path)
     */
    static SalvoProvider installed() {
        return InstalledProvider.PROVIDER;
    }
}
