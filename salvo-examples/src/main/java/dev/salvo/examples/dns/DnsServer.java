package dev.salvo.examples.dns;

import java.net.InetSocketAddress;

/** A running DNS responder on some I/O layer. */
public interface DnsServer extends AutoCloseable {
    /** @return the bound address */
    InetSocketAddress localAddress();

    /** @return queries answered so far */
    long answered();

    @Override
    void close();
}
