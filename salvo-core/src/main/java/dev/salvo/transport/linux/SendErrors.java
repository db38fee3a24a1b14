package dev.salvo.transport.linux;

import dev.salvo.write.SendError;

/**
 * The one classifier from a send errno to the write engine's {@link SendError}: the layers above
 * never see a raw errno.
 */
public final class SendErrors {
    private SendErrors() {
    }

    /**
     * @param errno what {@code sendmsg}/{@code sendmmsg} (or the writer itself, before the call)
     *     reported, positive
     * @param headAskedForSegmentation whether the datagram concerned carries a GSO segment size:
     *     an {@code EINVAL} then means the kernel refused its segmentation, not a broken socket
     * @return how the engine must treat it
     */
    public static SendError classify(int errno, boolean headAskedForSegmentation) {
        return switch (errno) {
            case Errno.EAGAIN -> SendError.WOULD_BLOCK; // EWOULDBLOCK is the same number on Linux
            case Errno.EINTR -> SendError.INTERRUPTED;
            case Errno.EMSGSIZE -> SendError.TOO_LARGE;
            case Errno.EHOSTUNREACH, Errno.ENETUNREACH -> SendError.UNREACHABLE;
            case Errno.EACCES -> SendError.PROHIBITED;
            // A netfilter reject/drop in the output path (or an LSM) refuses this datagram only.
            case Errno.EPERM -> SendError.PROHIBITED;
            case Errno.ECONNREFUSED -> SendError.REFUSED;
            case Errno.EINVAL -> headAskedForSegmentation ? SendError.OFFLOAD_REFUSED : SendError.FATAL;
            default -> SendError.FATAL;
        };
    }
}
