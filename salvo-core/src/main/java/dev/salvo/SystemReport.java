package dev.salvo;

import java.util.Map;
import java.util.Objects;

/**
 * What this machine supports, as {@code salvo doctor} prints it: kernel and JDK, the transport
 * {@link TransportType#AUTO} picks, batched system calls, UDP offloads, IPv6, buffer limits and
 * loopback round trips, each probed when {@link #probe()} is called.
 *
 * @param findings one entry per capability, in a stable order: a short name (such as
 *     {@code "udp_gso (UDP_SEGMENT)"}) and what was found (such as {@code "yes"}, or {@code "no (EPERM)"})
 * @param coreFeaturesWork whether what Salvo cannot do without works here: sockets,
 *     {@code sendmmsg}, {@code recvmmsg} and an IPv4 loopback round trip
 */
public record SystemReport(Map<String, String> findings, boolean coreFeaturesWork) {
    /**
     * Keeps an unmodifiable copy of the findings, in their order.
     *
     * @throws NullPointerException when {@code findings} is null
     */
    public SystemReport {
        Objects.requireNonNull(findings, "findings");
        findings = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(findings));
    }

    /**
     * Probes this machine now (opens a few loopback sockets; takes milliseconds).
     *
     * @return the findings
     * @throws IllegalStateException when no Salvo implementation is installed (a broken class path)
     */
    public static SystemReport probe() {
        return SalvoProvider.installed().probe();
    }
}
