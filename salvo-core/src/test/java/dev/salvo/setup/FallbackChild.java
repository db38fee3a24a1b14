package dev.salvo.setup;

import dev.salvo.EventLoopGroup;
import dev.salvo.TransportType;

/**
 * The child JVM of {@link NativeAccessFallbackTest}: uses only the public API, so that it runs the
 * same on the class path and with Salvo on the module path. Prints one line per group to stdout.
 */
public final class FallbackChild {
    private FallbackChild() {
    }

    /**
     * Opens groups as the first argument says.
     *
     * @param args {@code auto} (two groups on TransportType.AUTO, to show the warning comes once)
     *     or {@code epoll} (one group on an explicit TransportType.EPOLL)
     */
    public static void main(String[] args) {
        switch (args[0]) {
            case "auto" -> {
                for (int i = 0; i < 2; i++) {
                    try (EventLoopGroup group = EventLoopGroup.create(1)) {
                        System.out.println("transport=" + group.transportName());
                    }
                }
            }
            case "epoll" -> {
                try (EventLoopGroup group = EventLoopGroup.create(1, TransportType.EPOLL)) {
                    System.out.println("transport=" + group.transportName());
                } catch (IllegalStateException e) {
                    System.out.println("refused: " + e.getMessage());
                }
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
