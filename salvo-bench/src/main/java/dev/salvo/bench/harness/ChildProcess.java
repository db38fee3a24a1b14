package dev.salvo.bench.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A running child of the harness (a JVM or a C program). Its stdout lines are read on a daemon
 * thread into a queue of {@link ChildMessage}s; its stderr goes to a temporary file, shown only
 * when the child fails; its stdin stays open so {@link #requestStop()} can end it cleanly.
 *
 * <p>Every child has a hard deadline: {@link #next} never waits past it, and {@link #close}
 * kills a child that has not exited. All live children are tracked so that Ctrl-C can kill them
 * ({@link #killAll()}).
 */
final class ChildProcess implements AutoCloseable {
    private static final Set<ChildProcess> LIVE = ConcurrentHashMap.newKeySet();
    private static final ChildMessage END = new ChildMessage.Other("<end of output>");

    private final String label;
    private final Process process;
    private final Path stderrFile;
    private final long deadlineNanos;
    private final BlockingQueue<ChildMessage> messages = new LinkedBlockingQueue<>();

    private ChildProcess(String label, Process process, Path stderrFile, long deadlineNanos) {
        this.label = label;
        this.process = process;
        this.stderrFile = stderrFile;
        this.deadlineNanos = deadlineNanos;
    }

    /**
     * Starts a child.
     *
     * @param label       a name for messages, e.g. {@code netty sender}
     * @param command     the command line
     * @param limitMillis the hard time limit; the child is killed when it overruns
     * @return the running child
     * @throws IOException when it cannot be started
     */
    static ChildProcess start(String label, List<String> command, long limitMillis) throws IOException {
        Path stderr = Files.createTempFile("salvo-bench-", ".stderr");
        Process process = new ProcessBuilder(command)
                .redirectError(stderr.toFile())
                .start();
        ChildProcess child = new ChildProcess(label, process, stderr, System.nanoTime() + limitMillis * 1_000_000L);
        LIVE.add(child);
        Thread.ofPlatform().name("child-out-" + process.pid()).daemon().start(child::pump);
        return child;
    }

    private void pump() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                messages.add(ChildMessage.parse(line));
            }
        } catch (IOException ignored) {
            // The child was killed; END below tells the reader.
        }
        messages.add(END);
    }

    /**
     * Waits for the next protocol message.
     *
     * @param waitMillis how long to wait at most this call (the caller ticks its progress bar between calls)
     * @return the message, or null when none came in time
     * @throws ChildFailure when the child has ended, failed or passed its hard deadline
     * @throws InterruptedException when the harness is interrupted
     */
    ChildMessage next(long waitMillis) throws ChildFailure, InterruptedException {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            throw new ChildFailure(label + " overran its time limit and was killed");
        }
        ChildMessage message = messages.poll(Math.min(waitMillis * 1_000_000L, left), TimeUnit.NANOSECONDS);
        if (message == END) {
            messages.add(END); // keep reporting the end to later calls
            throw new ChildFailure(label + " exited before reporting" + stderrTail());
        }
        if (message instanceof ChildMessage.Failure failure) {
            throw new ChildFailure(label + " failed: " + failure.text() + stderrTail());
        }
        return message;
    }

    /**
     * Checks, without consuming its messages, that the child has not died.
     *
     * @throws ChildFailure when it exited with a non-zero status
     */
    void ensureRunning() throws ChildFailure {
        if (process.isAlive() || process.exitValue() == 0) {
            return;
        }
        String reason = messages.stream().filter(m -> m instanceof ChildMessage.Failure)
                .map(m -> ((ChildMessage.Failure) m).text()).findFirst()
                .orElse("exited with status " + process.exitValue());
        throw new ChildFailure(label + " failed: " + reason + stderrTail());
    }

    /** Asks the child to finish and report; it also stops if this harness dies (its stdin closes). */
    void requestStop() {
        say(ChildMessage.STOP);
    }

    /** Asks a C feeder how many datagrams it has sent; it answers with a {@link ChildMessage.Mark}. */
    void requestMark() {
        say(ChildMessage.MARK);
    }

    private void say(String word) {
        try {
            OutputStream in = process.getOutputStream();
            in.write((word + "\n").getBytes(StandardCharsets.US_ASCII));
            in.flush();
        } catch (IOException ignored) {
            // Already gone: next() reports how it ended.
        }
    }

    /** @return the child's process id */
    long pid() {
        return process.pid();
    }

    private String stderrTail() {
        try {
            List<String> lines = Files.readAllLines(stderrFile, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.startsWith("WARNING:")).toList();
            if (lines.isEmpty()) {
                return "";
            }
            return " (stderr: " + String.join(" | ", lines.subList(Math.max(0, lines.size() - 4), lines.size())) + ")";
        } catch (IOException e) {
            return "";
        }
    }

    /** Waits briefly for a clean exit, then kills the child (and its descendants) if it lingers. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (IOException ignored) {
            kill();
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
        } finally {
            LIVE.remove(this);
            try {
                Files.deleteIfExists(stderrFile);
            } catch (IOException ignored) {
                // A leftover temp file is harmless.
            }
        }
    }

    private void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** Kills every live child, for Ctrl-C; children are tracked by this class only. */
    static void killAll() {
        for (ChildProcess child : LIVE) {
            child.kill();
        }
    }

    /** A child failed, overran its limit or ended without a result. */
    static final class ChildFailure extends Exception {
        ChildFailure(String message) {
            super(message);
        }
    }
}
