package dev.salvo.examples;

import dev.salvo.*;
import java.net.*;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.*;

/** An echo client: sends one line to the server and prints the reply. */
public final class EchoClient {
    public static void main(String[] args) throws Exception {
        try (EventLoopGroup group = EventLoopGroup.create(1)) {
            System.out.println(echo(group, new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), args[1]));
        }
    }

    public static String echo(EventLoopGroup group, SocketAddress server, String text) throws Exception {
        CompletableFuture<String> reply = new CompletableFuture<>();
        DatagramChannel ch = DatagramChannel.builder(group)
                .handler((c, d) -> reply.complete(StandardCharsets.UTF_8.decode(d.payload()).toString()))
                .connect(server);
        ch.writeAndFlush(OutboundDatagram.of(StandardCharsets.UTF_8.encode(text))).join();
        try {
            return reply.get(5, TimeUnit.SECONDS);
        } finally {
            ch.close();
        }
    }
}
