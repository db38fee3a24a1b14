package dev.salvo.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs standard command-line tools for the tests, installing their Debian package first when missing. */
public final class DebianTools {
    private DebianTools() {
    }

    /** The output and exit status of one command. */
    public record Result(int exit, String output) {
    }

    /**
     * Makes sure {@code command} is on the PATH, installing {@code pkg} with apt-get as root if it is not,
     * so a test never skips for want of a client.
     *
     * @param command the executable
     * @param pkg the Debian package that provides it
     */
    public static void require(String command, String pkg) throws IOException, InterruptedException {
        if (onPath(command)) {
            return;
        }
        assertEquals("root", System.getProperty("user.name"), command + " is missing and only root can install " + pkg);
        assertEquals(0, run(600, "apt-get", "update", "-qq").exit(), "apt-get update failed");
        Result r = run(600, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-qq", pkg);
        assertEquals(0, r.exit(), "apt-get install " + pkg + " failed: " + r.output());
        assertTrue(onPath(command), pkg + " did not provide " + command);
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs a command to completion (killed after {@code seconds}).
     *
     * @param seconds the time limit
     * @param command the command line
     * @return its exit status and combined output
     */
    public static Result run(int seconds, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
        byte[][] out = new byte[1][];
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                out[0] = p.getInputStream().readAllBytes();
            } catch (IOException e) {
                out[0] = new byte[0];
            }
        });
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
        reader.join();
        return new Result(p.exitValue(), new String(out[0], StandardCharsets.UTF_8));
    }
}
