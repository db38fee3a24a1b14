package dev.salvo.examples.dns;

import dev.salvo.ChannelHandler;
import dev.salvo.ChannelOption;
import dev.salvo.DatagramChannel;
import dev.salvo.EventLoopGroup;
import dev.salvo.InboundDatagram;
import dev.salvo.OutboundDatagram;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The responder on one Salvo channel: dual-stack when bound to {@code ::}, packet info on, and every reply
 * sent from the address its query was sent to (so a multi-homed host answers from the right address),
 * flushed once per read batch.
 */
public final class SalvoDnsServer implements DnsServer, ChannelHandler {
    private final ZoneResponder responder;
    private final EventLoopGroup group;
    private final DatagramChannel channel;

    /**
     * Binds and starts serving.
     *
     * @param responder the zone
     * @param bind where to listen ({@code [::]:53} style for both families)
     * @throws IOException if the bind fails
     */
    public SalvoDnsServer(ZoneResponder responder, InetSocketAddress bind) throws IOException {
        this.responder = responder;
        this.group = EventLoopGroup.create(1);
        DatagramChannel.Builder builder = DatagramChannel.builder(group)
                .handler(this)
                .option(ChannelOption.RECEIVE_PACKET_INFO, true)
                .option(ChannelOption.SO_RCVBUF, 4 << 20)
                .option(ChannelOption.SO_SNDBUF, 4 << 20);
        if (bind.getAddress() instanceof Inet6Address) {
            builder.option(ChannelOption.IPV6_ONLY, false);
        }
        try {
            this.channel = builder.bind(bind);
        } catch (IOException | RuntimeException e) {
            group.close();
            throw e;
        }
    }

    @Override
    public void onDatagram(DatagramChannel ch, InboundDatagram datagram) {
        byte[] reply = responder.respond(datagram.payload());
        if (reply != null) {
            ch.write(OutboundDatagram.of(ByteBuffer.wrap(reply), datagram.sender()).withSource(datagram.destination()));
        }
    }

    @Override
    public void onReadComplete(DatagramChannel ch) {
        ch.flush();
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public long answered() {
        return responder.answered();
    }

    @Override
    public void close() {
        channel.close().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        group.close();
    }
}
