package dev.salvo.bench.harness;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the command lines of child processes. A Java child runs on the same java binary and
 * class path as the harness, with native access enabled, a 1 GiB heap cap, and the contender's
 * own JVM options; a C child is the compiled reference program.
 */
final class ChildLauncher {
    /** The only address any child sends to or binds: loopback. */
    static final String HOST = "127.0.0.1";
    /** No run is that long; it only bounds the send loop by count as well as by time. */
    static final long MAX_DATAGRAMS = 4_000_000_000L;

    private final String javaBinary;
    private final String classPath;
    private final NativePrograms natives;

    private ChildLauncher(String javaBinary, String classPath, NativePrograms natives) {
        this.javaBinary = javaBinary;
        this.classPath = classPath;
        this.natives = natives;
    }

    /**
     * @param natives where the C programs come from
     * @return a launcher that starts children like this JVM
     */
    static ChildLauncher likeThisJvm(NativePrograms natives) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return new ChildLauncher(java, System.getProperty("java.class.path"), natives);
    }

    /**
     * @param sender       the contender
     * @param port         the receiver's port on 127.0.0.1
     * @param payload      payload bytes
     * @param warmupMillis warm-up
     * @param windowMillis timed window
     * @param limitMillis  the child's own hard limit, from its start
     * @return the command line
     */
    List<String> sender(Contender<JavaSender> sender, int port, int payload, long warmupMillis, long windowMillis,
                        long limitMillis) {
        return sender(sender, port, payload, warmupMillis, windowMillis, limitMillis, FeedSpread.NONE);
    }

    /**
     * A feeder that spreads its datagrams; only the C sender can.
     *
     * @param sender       the contender
     * @param port         the receiver's (first) port on 127.0.0.1
     * @param payload      payload bytes
     * @param warmupMillis warm-up
     * @param windowMillis timed window
     * @param limitMillis  the child's own hard limit, from its start
     * @param spread       source sockets and destination ports
     * @return the command line
     * @throws IllegalArgumentException when a Java sender is asked to spread
     */
    List<String> sender(Contender<JavaSender> sender, int port, int payload, long warmupMillis, long windowMillis,
                        long limitMillis, FeedSpread spread) {
        if (!spread.equals(FeedSpread.NONE) && !sender.isNative()) {
            throw new IllegalArgumentException(sender.name() + " cannot spread over several sockets or ports");
        }
        List<String> tail = List.of(HOST, Integer.toString(port), Integer.toString(payload), Long.toString(warmupMillis),
                Long.toString(windowMillis), Long.toString(limitMillis), Long.toString(MAX_DATAGRAMS));
        return command("send", sender, spread.modeOptions(), tail);
    }

    /**
     * @param receiver     the contender
     * @param payload      payload bytes
     * @param settleMillis wait after the first datagram before the window
     * @param windowMillis timed window, 0 for none
     * @param limitMillis  the child's own hard limit, from its start
     * @return the command line
     */
    List<String> receiver(Contender<JavaReceiver> receiver, int payload, long settleMillis, long windowMillis,
                          long limitMillis) {
        return receiver(receiver, payload, settleMillis, windowMillis, limitMillis, 1);
    }

    /**
     * @param receiver     the contender
     * @param payload      payload bytes
     * @param settleMillis wait after the first datagram before the window
     * @param windowMillis timed window, 0 for none
     * @param limitMillis  the child's own hard limit, from its start
     * @param sockets      sockets on consecutive ports the receiver reads on one loop; above 1 Java only
     * @return the command line
     */
    List<String> receiver(Contender<JavaReceiver> receiver, int payload, long settleMillis, long windowMillis,
                          long limitMillis, int sockets) {
        List<String> tail = new ArrayList<>(List.of(Integer.toString(payload), Long.toString(settleMillis),
                Long.toString(windowMillis), Long.toString(limitMillis)));
        if (sockets != 1) {
            if (receiver.isNative()) {
                throw new IllegalArgumentException(receiver.name() + " reads one socket only");
            }
            tail.add(Integer.toString(sockets));
        }
        return command("receive", receiver, "", tail);
    }

    private <T> List<String> command(String verb, Contender<T> contender, String modeOptions, List<String> tail) {
        List<String> cmd = new ArrayList<>();
        switch (contender.launch()) {
            case Launch.InJvm<T> java -> {
                cmd.add(javaBinary);
                cmd.add("--enable-native-access=ALL-UNNAMED");
                cmd.add("-Xmx1g");
                cmd.add("-Djava.awt.headless=true");
                cmd.addAll(java.jvmOptions());
                cmd.add("-cp");
                cmd.add(classPath);
                cmd.add(ChildMain.class.getName());
                cmd.add(verb);
                cmd.add(contender.name());
            }
            case Launch.Native<T> c -> {
                Path program = natives.program(c.program()).orElseThrow(() -> new IllegalStateException(
                        contender.name() + " has no compiled program: " + natives.unavailableReason()));
                cmd.add(program.toString());
                if (!c.mode().isEmpty()) {
                    cmd.add(c.mode() + modeOptions);
                }
            }
        }
        cmd.addAll(tail);
        return cmd;
    }
}
