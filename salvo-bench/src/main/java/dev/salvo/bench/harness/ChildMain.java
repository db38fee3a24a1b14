package dev.salvo.bench.harness;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The entry point of every Java child process of {@code salvo bench}. It takes the same
 * positional arguments as the C reference programs, with the contender name in place of the C
 * program's mode:
 * <pre>
 *   send    NAME HOST PORT PAYLOAD WARMUP_MS WINDOW_MS LIMIT_MS MAX_DATAGRAMS
 *   receive NAME PAYLOAD SETTLE_MS WINDOW_MS LIMIT_MS [SOCKETS]
 * </pre>
 * where SOCKETS (default 1) asks the receiver to read that many sockets on consecutive ports.
 * and speaks the {@link ChildMessage} protocol on stdout. It exits 0 after its RESULT line, 1
 * after an ERROR line, 2 on bad arguments.
 */
public final class ChildMain {
    private ChildMain() {
    }

    /**
     * Runs one contender for one measurement.
     *
     * @param args see the class comment
     */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        int status;
        try {
            status = run(args, out);
        } catch (Throwable t) {
            out.println("ERROR " + oneLine(t));
            t.printStackTrace();
            status = 1;
        }
        out.flush();
        // Event-loop libraries may leave non-daemon threads behind; the measurement is done.
        System.exit(status);
    }

    private static int run(String[] args, PrintStream out) throws Exception {
        ContenderRegistry registry = ContenderRegistry.standard();
        StopSignal stop = StopSignal.watch(System.in);
        if (args.length == 9 && args[0].equals("send")) {
            InetAddress host = InetAddress.getByName(args[2]);
            if (!host.isLoopbackAddress()) {
                out.println("ERROR only loopback targets are allowed, not " + args[2]);
                return 2;
            }
            JavaSender sender = inJvm(registry.sender(args[1]).orElse(null), args[1]);
            SendDriver.SendSpec spec = new SendDriver.SendSpec(new InetSocketAddress(host, Integer.parseInt(args[3])),
                    Integer.parseInt(args[4]), Long.parseLong(args[5]), Long.parseLong(args[6]),
                    Long.parseLong(args[7]), Long.parseLong(args[8]));
            SendDriver.run(sender, spec, stop, out);
            return 0;
        }
        if ((args.length == 6 || args.length == 7) && args[0].equals("receive")) {
            JavaReceiver receiver = inJvm(registry.receiver(args[1]).orElse(null), args[1]);
            ReceiveDriver.ReceiveSpec spec = new ReceiveDriver.ReceiveSpec(Integer.parseInt(args[2]),
                    Long.parseLong(args[3]), Long.parseLong(args[4]), Long.parseLong(args[5]),
                    args.length == 7 ? Integer.parseInt(args[6]) : 1);
            ReceiveDriver.run(receiver, spec, stop, out);
            return 0;
        }
        out.println("ERROR usage: send NAME HOST PORT PAYLOAD WARMUP_MS WINDOW_MS LIMIT_MS MAX_DATAGRAMS"
                + " | receive NAME PAYLOAD SETTLE_MS WINDOW_MS LIMIT_MS [SOCKETS]");
        return 2;
    }

    private static <T> T inJvm(Contender<T> contender, String name) {
        if (contender == null) {
            throw new IllegalArgumentException("no contender named '" + name + "' on this side");
        }
        if (contender.launch() instanceof Launch.InJvm<T> java) {
            return java.factory().get();
        }
        throw new IllegalArgumentException("'" + name + "' is a C program, not a Java contender");
    }

    private static String oneLine(Throwable t) {
        String message = t.getMessage();
        return (t.getClass().getSimpleName() + (message == null ? "" : ": " + message)).replace('\n', ' ');
    }
}
