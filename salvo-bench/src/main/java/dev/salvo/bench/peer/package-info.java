/**
 * The established Java peers Salvo is measured against: the JDK's {@code DatagramChannel} and
 * Netty's native epoll transport, each set up the way its documentation recommends for speed.
 */
package dev.salvo.bench.peer;
