package dev.salvo.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A throw-away network namespace made with {@code ip netns add}, deleted on {@link #close()}. Names
 * carry the JVM's pid so that parallel runs never collide, and every namespace still alive at JVM
 * exit is deleted by a shutdown hook, so even a failed or killed test leaves nothing behind.
 *
 * <p>Only documentation addresses are used inside (192.0.2.0/24, 198.51.100.0/24, 2001:db8::/32).
 */
final class NetNs implements AutoCloseable {
    private static final long PID = ProcessHandle.current().pid();
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final List<String> ALIVE = new ArrayList<>();
    private static final String UNAVAILABLE = probe();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            List<String> left;
            synchronized (ALIVE) {
                left = new ArrayList<>(ALIVE);
            }
            for (String n : left) {
                runQuietly("ip", "netns", "del", n);
            }
        }, "netns-cleanup"));
    }

    final String name;

    private NetNs(String name) {
        this.name = name;
    }

    /** @return why namespaces cannot be made here, or {@code null} when they can */
    static String unavailableReason() {
        return UNAVAILABLE;
    }

    /**
     * Creates a namespace with its loopback up.
     *
     * @param tag a short word saying what the namespace is for (kept short: interface names are limited)
     * @return the namespace
     */
    static NetNs create(String tag) throws IOException {
        String n = "salvo-" + tag + "-" + PID + "-" + SEQ.incrementAndGet();
        run("ip", "netns", "add", n);
        synchronized (ALIVE) {
            ALIVE.add(n);
        }
        NetNs ns = new NetNs(n);
        try {
            ns.exec("ip", "link", "set", "lo", "up");
        } catch (IOException | RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /** @return a veth name unique to this JVM (at most 15 characters) */
    static String vethName(String prefix) {
        return prefix + (PID % 100_000) + "x" + SEQ.incrementAndGet();
    }

    /**
     * Runs a command inside the namespace.
     *
     * @return its standard output
     * @throws IOException when it exits non-zero (the message holds its error output)
     */
    String exec(String... command) throws IOException {
        String[] full = new String[command.length + 4];
        full[0] = "ip";
        full[1] = "netns";
        full[2] = "exec";
        full[3] = name;
        System.arraycopy(command, 0, full, 4, command.length);
        return run(full);
    }

    /** Deletes the namespace; idempotent. Sockets still open inside keep it alive until they close. */
    @Override
    public void close() {
        boolean alive;
        synchronized (ALIVE) {
            alive = ALIVE.remove(name);
        }
        if (alive) {
            runQuietly("ip", "netns", "del", name);
        }
    }

    /**
     * Runs a command with a time limit.
     *
     * @return its standard output
     * @throws IOException when it fails, times out or exits non-zero
     */
    static String run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", command));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": " + out.strip());
        }
        return out;
    }

    static void runQuietly(String... command) {
        try {
            run(command);
        } catch (IOException ignored) {
            // Best effort: cleanup must go on with the next item.
        }
    }

    private static String probe() {
        if (!"Linux".equals(System.getProperty("os.name"))) {
            return "network namespaces need Linux";
        }
        String n = "salvo-probe-" + PID;
        try {
            run("ip", "netns", "add", n);
        } catch (IOException e) {
            return "cannot create a network namespace (needs root and iproute2): " + e.getMessage();
        }
        try {
            run("ip", "netns", "exec", n, "ip", "link", "set", "lo", "up");
            return null;
        } catch (IOException e) {
            return "cannot configure a network namespace: " + e.getMessage();
        } finally {
            runQuietly("ip", "netns", "del", n);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
