package dev.salvo.channel;

import dev.salvo.TransportType;
import dev.salvo.transport.Transport;
import dev.salvo.transport.linux.EpollTransport;
import dev.salvo.transport.linux.LinuxTransport;
import dev.salvo.transport.nio.NioTransport;
import java.util.Locale;

/**
 * Chooses the transport for a {@link TransportType}: the one place that knows the transports by
 * name, so that the transport SPI knows nothing of its implementations.
 */
public final class Transports {
    /** The system property that overrides {@link TransportType#AUTO}: {@code auto}, {@code epoll} or {@code nio}. */
    public static final String PROPERTY = "salvo.transport";

    private Transports() {
    }

    /**
     * @param type what the user asked for
     * @return the transport to use
     * @throws IllegalStateException when epoll was asked for and is unavailable (the message says why)
     */
    public static Transport resolve(TransportType type) {
        TransportType effective = type;
        if (type == TransportType.AUTO) {
            String prop = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
            effective = switch (prop) {
                case "epoll", "linux" -> TransportType.EPOLL;
                case "nio" -> TransportType.NIO;
                case "auto", "" -> TransportType.AUTO;
                default -> throw new IllegalArgumentException(PROPERTY + " must be auto, epoll or nio, got " + prop);
            };
        }
        return switch (effective) {
            case NIO -> NioTransport.INSTANCE;
            case EPOLL -> epollOrThrow();
            case AUTO -> epollOrNull() != null ? epollOrNull() : NioTransport.INSTANCE;
        };
    }

    private static Transport epollOrThrow() {
        Transport t = epollOrNull();
        if (t == null) {
            throw new IllegalStateException("the epoll transport is unavailable: " + epollUnavailableReason());
        }
        return t;
    }

    private static Transport epollOrNull() {
        return LinuxTransport.isAvailable() ? EpollTransport.INSTANCE : null;
    }

    private static String epollUnavailableReason() {
        return LinuxTransport.unavailabilityReason();
    }
}
