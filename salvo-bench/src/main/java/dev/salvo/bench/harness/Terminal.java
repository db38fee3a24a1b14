package dev.salvo.bench.harness;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether standard error is a terminal, to draw progress bars only where someone watches them.
 *
 * <p>{@code System.console()} cannot answer this: it describes stdin and stdout (since JDK 22 it
 * is non-null even when both are redirected, and {@code Console.isTerminal()} checks those two),
 * so {@code ./salvo bench 2>log} would still look like a terminal and fill the log with {@code \r}
 * redraws. This asks the kernel about file descriptor 2 itself: {@code isatty(2)} through the FFM
 * API, exactly what a C program would call; where native access is not allowed, the link
 * {@code /proc/self/fd/2} names the device (a terminal is {@code /dev/pts/N}, {@code /dev/ttyN} or
 * {@code /dev/console}; a pipe is {@code pipe:[N]}, a file its path). Unknown counts as "not a
 * terminal": no bars, one line per run.
 */
public final class Terminal {
    private static final int STDERR = 2;

    private Terminal() {
    }

    /** @return true when file descriptor 2 is a terminal */
    public static boolean stderrIsTerminal() {
        return isatty(STDERR).orElseGet(() -> linkIsTerminal(STDERR));
    }

    /**
     * @param fd a file descriptor of this process
     * @return {@code isatty(fd) == 1}, or empty when libc cannot be called (native access denied)
     */
    static Optional<Boolean> isatty(int fd) {
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle isatty = linker.downcallHandle(linker.defaultLookup().find("isatty").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            return Optional.of((int) isatty.invokeExact(fd) == 1);
        } catch (Throwable e) { // IllegalCallerException without native access; anything else: ask /proc
            return Optional.empty();
        }
    }

    /** @return whether {@code /proc/self/fd/FD} links to a terminal device */
    static boolean linkIsTerminal(int fd) {
        try {
            return isTerminalDevice(Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString());
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /**
     * @param target where a {@code /proc/self/fd} link points
     * @return whether that is a terminal device
     */
    static boolean isTerminalDevice(String target) {
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    }
}
