import dev.salvo.*;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** An echo server and a client in one program: the client's line comes back from the server. */
public class Example {
    public static void main(String[] args) throws Exception {
        try (EventLoopGroup group = EventLoopGroup.create(2)) { // closing the group closes every channel
            // Server: every datagram goes back to its sender; replies are flushed once per read batch.
            DatagramChannel server = DatagramChannel.builder(group).handler(new ChannelHandler() {
                public void onDatagram(DatagramChannel ch, InboundDatagram d) {
                    ch.write(d.copy().payload(), d.sender()); // copy: the view is reused after this call
                }

                public void onReadComplete(DatagramChannel ch) {
                    ch.flush();                               // one sendmmsg for the whole batch of replies
                }
            }).bind(new InetSocketAddress("127.0.0.1", 0));   // port 0: any free port

            // Client: connected, so writes need no destination.
            CompletableFuture<String> reply = new CompletableFuture<>();
            DatagramChannel client = DatagramChannel.builder(group)
                    .handler((ch, d) -> reply.complete(StandardCharsets.UTF_8.decode(d.payload()).toString()))
                    .connect(server.localAddress());
            client.writeAndFlush(OutboundDatagram.of(StandardCharsets.UTF_8.encode("hello"))).join();
            System.out.println("reply: " + reply.get(5, TimeUnit.SECONDS));
        }
    }
}
