package dev.salvo.transport.linux;

import dev.salvo.NativeIOException;

/**
 * The Linux errno numbers Salvo's Linux transport acts on (the generic table, shared by x86-64
 * and aarch64). The layers above never see these: the transport classifies them into typed
 * outcomes at the socket edge. Names for messages come from {@link NativeIOException#nameOf}.
 */
public final class Errno {
    private Errno() {
    }

    /** Linux errno EPERM. */
    public static final int EPERM = 1;
    /** Linux errno EINTR. */
    public static final int EINTR = 4;
    /** Linux errno EIO. */
    public static final int EIO = 5;
    /** Linux errno EBADF. */
    public static final int EBADF = 9;
    /** Linux errno EAGAIN. */
    public static final int EAGAIN = 11;
    /** Linux errno ENOMEM. */
    public static final int ENOMEM = 12;
    /** Linux errno EACCES. */
    public static final int EACCES = 13;
    /** Linux errno EINVAL. */
    public static final int EINVAL = 22;
    /** Linux errno ENOSYS. */
    public static final int ENOSYS = 38;
    /** Linux errno ENOTSOCK. */
    public static final int ENOTSOCK = 88;
    /** Linux errno EMSGSIZE. */
    public static final int EMSGSIZE = 90;
    /** Linux errno EAFNOSUPPORT. */
    public static final int EAFNOSUPPORT = 97;
    /** Linux errno ENETUNREACH. */
    public static final int ENETUNREACH = 101;
    /** Linux errno ENOBUFS. */
    public static final int ENOBUFS = 105;
    /** Linux errno ENOTCONN. */
    public static final int ENOTCONN = 107;
    /** Linux errno ECONNREFUSED. */
    public static final int ECONNREFUSED = 111;
    /** Linux errno EHOSTUNREACH. */
    public static final int EHOSTUNREACH = 113;

    /**
     * @param errno a positive errno number
     * @return its symbolic name, such as {@code "EMSGSIZE"}
     */
    public static String name(int errno) {
        return NativeIOException.nameOf(errno);
    }
}
