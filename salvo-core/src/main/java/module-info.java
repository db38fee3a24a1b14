/**
 * Salvo: high-throughput datagram I/O for the JVM.
 *
 * <p>Only {@code dev.salvo} is public API. Everything below it (the write engine, the read
 * path, the Linux FFM transport and the java.nio fallback) is implementation and may change.
 * Native access must be granted to this module ({@code --enable-native-access=dev.salvo}, or
 * {@code ALL-UNNAMED} on the class path) for the Linux transport; without it Salvo falls back to
 * {@code java.nio}, and says so once per process (a WARNING through {@link System.Logger}, logger
 * {@code dev.salvo}, naming the flag to add).
 */
module dev.salvo {
    exports dev.salvo;

    // Salvo's JFR events (dev.salvo.channel.events); the package is not exported.
    requires jdk.jfr;

    // The API finds its implementation as a service, so that dev.salvo depends on nothing below it.
    uses dev.salvo.SalvoProvider;
    provides dev.salvo.SalvoProvider with dev.salvo.channel.DefaultProvider;
}
