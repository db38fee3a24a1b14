package dev.salvo;

import dev.salvo.transport.Errno;
import java.io.IOException;

/**
 * A system call failed with an errno that has no more specific exception.
 *
 * <p>The message always has the form {@code "sendmsg failed: EMSGSIZE (90)"}.
 */
public class NativeIOException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String operation;
    private final int errno;

    /**
     * @param operation the system call or operation that failed, such as {@code "bind"}
     * @param errno the positive errno the kernel reported
     */
    public NativeIOException(String operation, int errno) {
        super(Errno.describe(operation, errno));
        this.operation = operation;
        this.errno = errno;
    }

    /** @return the operation that failed, such as {@code "sendmmsg"} */
    public String operation() {
        return operation;
    }

    /** @return the positive errno number the kernel reported */
    public int errno() {
        return errno;
    }

    /** @return the symbolic errno name, such as {@code "EADDRINUSE"} */
    public String errnoName() {
        return Errno.name(errno);
    }
}
