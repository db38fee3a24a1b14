/**
 * Salvo's public API: datagram channels ({@link dev.salvo.DatagramChannel}), event-loop groups,
 * handlers, datagram envelopes, options, the typed exceptions a write or read can fail with, and
 * value types.
 *
 * <p>Depends on nothing else in Salvo: the implementation ({@code dev.salvo.channel} and below)
 * is found at run time as a {@link dev.salvo.SalvoProvider} service, so the interfaces here can
 * be faked in tests and the arrows between packages run one way (checked by an ArchUnit test).
 */
package dev.salvo;
