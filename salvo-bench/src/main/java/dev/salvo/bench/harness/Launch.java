package dev.salvo.bench.harness;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How a contender's child process is started.
 *
 * @param <T> the contender interface a Java child runs ({@link JavaSender} or {@link JavaReceiver})
 */
public sealed interface Launch<T> {

    /**
     * A child JVM (same java binary and class path as the harness) that instantiates the contender
     * from the registry by name.
     *
     * @param factory    makes a fresh contender inside the child
     * @param jvmOptions extra JVM options for this contender's child only
     * @param <T>        the contender interface
     */
    record InJvm<T>(Supplier<? extends T> factory, List<String> jvmOptions) implements Launch<T> {
        /** Validates and copies the options. */
        public InJvm {
            Objects.requireNonNull(factory, "factory");
            jvmOptions = List.copyOf(jvmOptions);
        }
    }

    /**
     * A C program compiled from the sources shipped in salvo-bench.
     *
     * @param program the program name (a resource {@code native/<program>.c})
     * @param mode    the first argument the program takes (e.g. {@code sendmmsg} or {@code gso}),
     *                or empty when it takes none
     * @param <T>     the contender interface this program stands in for
     */
    record Native<T>(String program, String mode) implements Launch<T> {
        /** Validates the names. */
        public Native {
            Objects.requireNonNull(program, "program");
            Objects.requireNonNull(mode, "mode");
        }
    }
}
