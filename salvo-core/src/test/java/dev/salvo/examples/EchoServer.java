package dev.salvo.examples;

import dev.salvo.*;
import java.io.IOException;
import java.net.*;

/** An echo server: every datagram goes back to its sender; replies are flushed once per read batch. */
public final class EchoServer {
    public static void main(String[] args) throws Exception {
        EventLoopGroup group = EventLoopGroup.create(1);
        DatagramChannel server = start(group, new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])));
        System.out.println("echoing on " + server.localAddress());
        server.closeFuture().join();
    }

    public static DatagramChannel start(EventLoopGroup group, SocketAddress bind) throws IOException {
        return DatagramChannel.builder(group).handler(new ChannelHandler() {
            public void onDatagram(DatagramChannel ch, InboundDatagram d) {
                ch.write(d.copy().payload(), d.sender()); // copy: the view is reused after this call
            }

            public void onReadComplete(DatagramChannel ch) {
                ch.flush(); // one sendmmsg for the whole batch of replies
            }
        }).bind(bind);
    }
}
