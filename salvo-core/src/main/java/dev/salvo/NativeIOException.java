package dev.salvo;

import java.io.IOException;

/**
 * A system call failed with an errno that has no more specific exception.
 *
 * <p>The message always has the form {@code "sendmsg failed: EMSGSIZE (90)"}.
 */
public class NativeIOException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The system call or operation that failed, such as {@code "bind"}. */
    private final String operation;
    /** The positive errno the kernel reported. */
    private final int errno;

    /**
     * Makes the exception; the message names the operation, the errno's name and its number.
     *
     * @param operation the system call or operation that failed, such as {@code "bind"}
     * @param errno the positive errno the kernel reported
     */
    public NativeIOException(String operation, int errno) {
        super(operation + " failed: " + ErrnoNames.of(errno) + " (" + errno + ")");
        this.operation = operation;
        this.errno = errno;
    }

    /**
     * Returns what failed.
     *
     * @return the operation that failed, such as {@code "sendmmsg"}
     */
    public String operation() {
        return operation;
    }

    /**
     * Returns the kernel's error number.
     *
     * @return the positive errno number the kernel reported
     */
    public int errno() {
        return errno;
    }

    /**
     * Returns the kernel's error by name.
     *
     * @return the symbolic errno name, such as {@code "EADDRINUSE"}, or {@code "errno N"} when the
     *     number is unknown
     */
    public String errnoName() {
        return ErrnoNames.of(errno);
    }

    /**
     * The symbolic name of a Linux errno number, as used in Salvo's messages.
     *
     * @param errno a positive errno number
     * @return its name, such as {@code "EMSGSIZE"}, or {@code "errno N"} when the number is unknown
     */
    public static String nameOf(int errno) {
        return ErrnoNames.of(errno);
    }
}
