/**
 * Optional Micrometer binding: {@link dev.salvo.micrometer.SalvoMetrics} publishes
 * {@link dev.salvo.DatagramChannel#stats()} as meters. Salvo's core does not depend on it.
 */
package dev.salvo.micrometer;
