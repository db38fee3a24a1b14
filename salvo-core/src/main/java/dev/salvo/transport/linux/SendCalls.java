package dev.salvo.transport.linux;

import java.lang.foreign.MemorySegment;

/**
 * The two send system calls a {@link LinuxDatagramWriter} makes, behind an interface so that tests
 * can play a kernel that refuses what this one accepts ({@code EIO} from a device without GSO,
 * {@code EINVAL} for an ECN control message), and so that the io_uring transport can make them
 * as ring submissions. Public for that transport only.
 */
public interface SendCalls {
    /** @return bytes sent, or {@code -errno} */
    long sendmsg(MemorySegment callState, int fd, MemorySegment msghdr, int flags);

    /** @return messages sent, or {@code -errno} when none was */
    int sendmmsg(MemorySegment callState, int fd, MemorySegment mmsghdrs, int vlen, int flags);

    /** The real calls. */
    SendCalls LIBC = new SendCalls() {
        @Override
        public long sendmsg(MemorySegment callState, int fd, MemorySegment msghdr, int flags) {
            return Libc.sendmsg(callState, fd, msghdr, flags);
        }

        @Override
        public int sendmmsg(MemorySegment callState, int fd, MemorySegment mmsghdrs, int vlen, int flags) {
            return Libc.sendmmsg(callState, fd, mmsghdrs, vlen, flags);
        }
    };
}
