package dev.salvo.channel;

import dev.salvo.TransportType;
import dev.salvo.transport.Transport;
import dev.salvo.transport.linux.EpollTransport;
import dev.salvo.transport.linux.LinuxTransport;
import dev.salvo.transport.linux.uring.UringTransport;
import dev.salvo.transport.nio.NioTransport;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Chooses the transport for a {@link TransportType}: the one place that knows the transports by
 * name, so that the transport SPI knows nothing of its implementations.
 *
 * <p>A fallback is never silent: when {@link TransportType#AUTO} cannot use epoll, one WARNING per
 * process goes to the {@link System.Logger} {@code dev.salvo} with the reason (for a missing
 * {@code --enable-native-access}, the exact flag to add); an explicit {@link TransportType#EPOLL}
 * that is unavailable fails with that reason instead.
 */
public final class Transports {
    /**
     * The system property that overrides {@link TransportType#AUTO}: {@code auto}, {@code epoll},
     * {@code io_uring} or {@code nio}.
     */
    public static final String PROPERTY = "salvo.transport";

    private static final AtomicBoolean FALLBACK_WARNED = new AtomicBoolean();

    private Transports() {
    }

    /**
     * @param type what the user asked for
     * @return the transport to use
     * @throws IllegalStateException when epoll or io_uring was asked for and is unavailable (the message says why)
     */
    public static Transport resolve(TransportType type) {
        TransportType effective = type;
        if (type == TransportType.AUTO) {
            String prop = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
            effective = switch (prop) {
                case "epoll", "linux" -> TransportType.EPOLL;
                case "nio" -> TransportType.NIO;
                case "io_uring", "iouring", "uring" -> TransportType.IO_URING;
                case "auto", "" -> TransportType.AUTO;
                default -> throw new IllegalArgumentException(PROPERTY
                        + " must be auto, epoll, io_uring or nio, got " + prop);
            };
        }
        return switch (effective) {
            case NIO -> NioTransport.INSTANCE;
            case EPOLL -> epollOrThrow();
            case IO_URING -> ioUringOrThrow();
            case AUTO -> {
                Transport epoll = epollOrNull();
                if (epoll != null) {
                    yield epoll;
                }
                warnFallbackOnce();
                yield NioTransport.INSTANCE;
            }
        };
    }

    /**
     * The text of the once-per-process fallback warning.
     *
     * @param reason why epoll is unavailable ({@link LinuxTransport#unavailabilityReason()})
     * @return the warning
     */
    static String fallbackWarning(String reason) {
        return "Salvo is running on the java.nio fallback, not the Linux epoll transport (no batched "
                + "sendmmsg/recvmmsg, no offloads): " + reason + ". To choose java.nio deliberately and "
                + "silence this warning, use TransportType.NIO or -D" + PROPERTY + "=nio.";
    }

    private static void warnFallbackOnce() {
        if (FALLBACK_WARNED.compareAndSet(false, true)) {
            System.getLogger("dev.salvo").log(System.Logger.Level.WARNING, fallbackWarning(epollUnavailableReason()));
        }
    }

    private static Transport epollOrThrow() {
        Transport t = epollOrNull();
        if (t == null) {
            throw new IllegalStateException("the epoll transport is unavailable: " + epollUnavailableReason());
        }
        return t;
    }

    /**
     * @return the io_uring transport
     * @throws IllegalStateException naming why, in one sentence, when it cannot run here
     */
    private static Transport ioUringOrThrow() {
        String why = LinuxTransport.isAvailable() ? UringTransport.support().unavailabilityReason()
                : LinuxTransport.unavailabilityReason();
        if (why != null) {
            throw new IllegalStateException("the io_uring transport is unavailable: " + why);
        }
        return UringTransport.INSTANCE;
    }

    /**
     * Adds what the io_uring probe found (setup flags accepted, features, opcodes, buffer rings)
     * after the report's {@code io_uring} line, for {@code salvo doctor}.
     *
     * @param report the Linux capabilities report
     * @return a copy with the io_uring findings, or the report itself when the Linux transport is unavailable
     */
    static Map<String, String> withIoUringFindings(Map<String, String> report) {
        if (!LinuxTransport.isAvailable()) {
            return report;
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : report.entrySet()) {
            m.put(e.getKey(), e.getValue());
            if (e.getKey().equals("io_uring")) {
                m.putAll(UringTransport.support().describe());
            }
        }
        return m;
    }

    private static Transport epollOrNull() {
        return LinuxTransport.isAvailable() ? EpollTransport.INSTANCE : null;
    }

    private static String epollUnavailableReason() {
        return LinuxTransport.unavailabilityReason();
    }
}
