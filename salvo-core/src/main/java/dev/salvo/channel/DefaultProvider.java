package dev.salvo.channel;

import dev.salvo.ChannelOption;
import dev.salvo.DatagramChannel;
import dev.salvo.EventLoopGroup;
import dev.salvo.SalvoProvider;
import dev.salvo.SystemReport;
import dev.salvo.TransportType;
import dev.salvo.loop.DefaultEventLoopGroup;
import dev.salvo.loop.DefaultEventLoop;
import dev.salvo.transport.AddressFamily;
import dev.salvo.transport.SocketOps;
import dev.salvo.transport.linux.Capabilities;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The composition root: the {@link SalvoProvider} that the API finds with
 * {@link java.util.ServiceLoader}. It wires a group to its transport, opens channels on their
 * loop, and answers {@link SystemReport#probe()}.
 */
public final class DefaultProvider implements SalvoProvider {
    /** For {@link java.util.ServiceLoader}. */
    public DefaultProvider() {
    }

    @Override
    public EventLoopGroup newGroup(int threads, TransportType type) {
        return new DefaultEventLoopGroup(threads, Transports.resolve(type));
    }

    @Override
    public DatagramChannel open(ChannelSpec spec) throws IOException {
        DefaultEventLoop loop = loopOf(spec);
        return LoopCalls.call(loop, "DatagramChannel.Builder.bind/connect/open", () -> openOnLoop(loop, spec));
    }

    @Override
    public CompletableFuture<DatagramChannel> openAsync(ChannelSpec spec) {
        DefaultEventLoop loop;
        try {
            loop = loopOf(spec);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return LoopCalls.async(loop, () -> openOnLoop(loop, spec));
    }

    @Override
    public SystemReport probe() {
        Capabilities c = Capabilities.probe();
        return new SystemReport(Transports.withIoUringFindings(c.report()), c.coreOk());
    }

    private static DefaultEventLoop loopOf(ChannelSpec spec) {
        if (!(spec.group() instanceof DefaultEventLoopGroup group)) {
            throw new IllegalArgumentException("channels run only on groups made by EventLoopGroup.create, not on "
                    + spec.group().getClass().getName());
        }
        return spec.loopIndex() < 0 ? group.nextLoop() : group.loop(spec.loopIndex());
    }

    private static DatagramChannel openOnLoop(DefaultEventLoop loop, ChannelSpec spec) throws IOException {
        SocketOps socket = loop.resources().openDatagram(familyOf(spec));
        SalvoDatagramChannel ch = new SalvoDatagramChannel(loop, spec.group().transportName(), socket,
                spec.handler());
        try {
            for (Map.Entry<ChannelOption<?>, Object> e : spec.options().entrySet()) {
                apply(ch.core(), e.getKey(), e.getValue());
            }
            ch.core().open(spec.local(), spec.remote());
            return ch;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static AddressFamily familyOf(ChannelSpec spec) {
        if (spec.local() != null) {
            return AddressFamily.of(spec.local());
        }
        if (spec.remote() != null) {
            return AddressFamily.of(spec.remote());
        }
        if (!(spec.family() instanceof StandardProtocolFamily f)) {
            throw new UnsupportedOperationException("unsupported protocol family " + spec.family());
        }
        return switch (f) {
            case INET -> AddressFamily.INET;
            case INET6 -> AddressFamily.INET6;
            case UNIX -> AddressFamily.UNIX;
        };
    }

    @SuppressWarnings("unchecked")
    private static <T> void apply(ChannelCore core, ChannelOption<T> option, Object value) throws IOException {
        core.setOption(option, (T) value);
    }
}
