/**
 * Salvo's public API: datagram channels, event loops, datagram envelopes, options and the typed
 * exceptions that a write or read can fail with.
 */
package dev.salvo;
