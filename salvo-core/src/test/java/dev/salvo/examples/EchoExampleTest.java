package dev.salvo.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.salvo.DatagramChannel;
import dev.salvo.EventLoopGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The README's echo server and client work together. */
class EchoExampleTest {
    @Test
    void echoClientGetsItsLineBackFromEchoServer() throws Exception {
        try (EventLoopGroup group = EventLoopGroup.create(2)) {
            DatagramChannel server = EchoServer.start(group, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            assertEquals("hello, salvo", EchoClient.echo(group, server.localAddress(), "hello, salvo"));
            assertEquals("again", EchoClient.echo(group, server.localAddress(), "again"));
        }
    }
}
