package dev.salvo.offload;

import dev.salvo.EventLoopGroup;
import dev.salvo.TransportType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A one-loop epoll group made before each test and closed after it ({@code @RegisterExtension}). */
final class EpollGroup implements BeforeEachCallback, AfterEachCallback {
    private EventLoopGroup group;

    @Override
    public void beforeEach(ExtensionContext context) {
        group = EventLoopGroup.create(1, TransportType.EPOLL);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        group.close();
    }

    /** @return this test's group */
    EventLoopGroup get() {
        return group;
    }

    /** @return {@code host} with port 0 (any free port) */
    static InetSocketAddress any(String host) throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByName(host), 0);
    }
}
