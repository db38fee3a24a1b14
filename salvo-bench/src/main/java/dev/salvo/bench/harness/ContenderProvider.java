package dev.salvo.bench.harness;

/**
 * Plugs more contenders into {@code salvo bench} without editing the harness: list an
 * implementation in {@code META-INF/services/dev.salvo.bench.harness.ContenderProvider} and it is
 * found with {@link java.util.ServiceLoader} in the harness and in every child JVM alike.
 *
 * <p>Example, for Salvo's own senders:
 * <pre>{@code
 * public final class SalvoContenders implements ContenderProvider {
 *     public void register(ContenderRegistry.Builder registry) {
 *         registry.sender("salvo/vector", "sendmmsg via FFM", Role.SALVO, SalvoVectorSender::new);
 *     }
 * }
 * }</pre>
 */
public interface ContenderProvider {
    /**
     * Adds this provider's contenders.
     *
     * @param registry the builder to add senders and receivers to
     */
    void register(ContenderRegistry.Builder registry);
}
