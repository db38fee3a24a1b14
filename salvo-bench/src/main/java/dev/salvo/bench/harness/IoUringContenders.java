package dev.salvo.bench.harness;

import dev.salvo.TransportType;
import dev.salvo.bench.peer.SalvoReceiver;
import dev.salvo.bench.peer.SalvoSender;

/**
 * Salvo's io_uring contenders, beside its epoll ones: the same sender and receivers on
 * {@link TransportType#IO_URING}. Found as a {@link ContenderProvider}.
 */
public final class IoUringContenders implements ContenderProvider {
    /** The core's {@code UringTransport.SEND_PROPERTY} (the bench does not see that package). */
    private static final String SEND_PROPERTY = "salvo.io_uring.send";

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public IoUringContenders() {
    }

    @Override
    public void register(ContenderRegistry.Builder registry) {
        registry.multiLoopSender("salvo/io_uring", "io_uring: linked SENDMSG SQEs per flush of 64", Role.SALVO,
                loops -> new SalvoSender(SalvoSender.Mechanism.VECTOR, loops, TransportType.IO_URING));
        registry.multiLoopSender("salvo/io_uring-sendmmsg", "io_uring loop, sends by direct sendmmsg", Role.SALVO,
                loops -> {
                    // This child JVM runs only this contender: its loops send as the epoll transport does.
                    System.setProperty(SEND_PROPERTY, "sendmmsg");
                    return new SalvoSender(SalvoSender.Mechanism.VECTOR, loops, TransportType.IO_URING);
                });
        registry.multiLoopSender("salvo/io_uring-gso", "io_uring: explicit GSO, <=64 segments", Role.SALVO,
                loops -> new SalvoSender(SalvoSender.Mechanism.GSO, loops, TransportType.IO_URING));
        registry.multiLoopReceiver("salvo/io_uring", "io_uring: multishot RECVMSG, buffer ring", Role.SALVO,
                loops -> new SalvoReceiver(false, 64, false, TransportType.IO_URING, loops));
        registry.receiver("salvo/io_uring-gro", "io_uring: multishot RECVMSG + UDP_GRO", Role.SALVO,
                () -> new SalvoReceiver(true, 64, TransportType.IO_URING));
    }
}
