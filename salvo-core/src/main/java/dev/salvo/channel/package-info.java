/**
 * The channel implementation and the composition root: {@code DefaultProvider} (the
 * {@link dev.salvo.SalvoProvider} service) wires groups to a transport chosen in one place
 * ({@link dev.salvo.channel.Transports}) and opens channels; each channel is a thin facade that
 * hands calls to its loop-confined core (write scheduling, the read loop and its error policy,
 * pre-send checks, an option table, close).
 *
 * <p>May depend on every package below it: {@code loop}, {@code write}, {@code read},
 * {@code transport} and its implementations, and the API. Nothing depends on it but the
 * service registration.
 */
package dev.salvo.channel;
