/**
 * Salvo's JFR events ({@code jdk.jfr}), all in the category "Salvo": kernel drops, truncations,
 * write failures, offload fallbacks and writability changes. Only the channel layer emits them,
 * where it observes these things; the package depends on the JDK alone.
 */
package dev.salvo.channel.events;
