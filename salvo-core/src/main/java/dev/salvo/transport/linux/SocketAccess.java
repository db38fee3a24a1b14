package dev.salvo.transport.linux;

import dev.salvo.NativeIOException;
import dev.salvo.read.ReadError;
import dev.salvo.transport.SocketOps;
import dev.salvo.transport.Transport;

/**
 * What the io_uring transport ({@code .linux.uring}) needs from this package's sockets: the
 * descriptor of a socket this transport opened, and the read-error policy. Nothing here depends on
 * io_uring; the dependency runs one way.
 */
public final class SocketAccess {
    private SocketAccess() {
    }

    /**
     * Per-loop socket resources without a poller of their own use: sockets opened through them are
     * this package's (options, offloads, the {@code sendmmsg} writer), their sends made by
     * {@code calls}.
     *
     * @param calls how the sockets' writers send
     * @return the resources; their poller is an idle epoll set
     * @throws NativeIOException when the kernel refuses
     */
    public static Transport.LoopResources socketsOnly(SendCalls calls) throws NativeIOException {
        LinuxTransport.ensureAvailable();
        EpollTransport.Loop loop = new EpollTransport.Loop();
        loop.sendCalls = calls;
        return loop;
    }

    /**
     * @param socket a socket opened by this package's transport
     * @return its file descriptor
     * @throws ClassCastException when the socket is another transport's
     */
    public static int fd(SocketOps socket) {
        return ((LinuxSocket) socket).fd();
    }

    /**
     * The Linux read-error policy, for completions that carry a receive's errno.
     *
     * @param operation the failing call, for the message
     * @param errno a positive errno
     * @return the classified error, or {@code null} for would-block and an interrupted call
     */
    public static ReadError readError(String operation, int errno) {
        return ReadErrors.of(operation, errno);
    }
}
