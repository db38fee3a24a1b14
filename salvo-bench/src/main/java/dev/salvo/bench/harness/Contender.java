package dev.salvo.bench.harness;

import java.util.Objects;

/**
 * One named implementation in the benchmark: a row of the results table.
 *
 * @param name      the registry key and the {@code impl} field of the JSON, e.g. {@code netty}
 * @param mechanism a few words on how it moves datagrams, e.g. {@code sendmmsg x64}
 * @param role      what it is compared as
 * @param launch    how its child process starts
 * @param <T>       {@link JavaSender} or {@link JavaReceiver}
 */
public record Contender<T>(String name, String mechanism, Role role, Launch<T> launch) {
    /** Validates the fields. */
    public Contender {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mechanism, "mechanism");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(launch, "launch");
        if (name.isBlank() || name.chars().anyMatch(c -> Character.isWhitespace(c) || c == ',')) {
            throw new IllegalArgumentException("a contender name has no spaces or commas: '" + name + "'");
        }
    }

    /** @return true when this contender runs as a compiled C program rather than a JVM */
    public boolean isNative() {
        return launch instanceof Launch.Native<T>;
    }
}
