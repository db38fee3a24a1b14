package dev.salvo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The conformance suite on the Linux io_uring transport. */
class IoUringChannelConformanceTest extends ChannelConformanceSuite {
    @Override
    TransportType transport() {
        return TransportType.IO_URING;
    }

    @Test
    void groupReportsTheIoUringTransport() {
        assertEquals("io_uring", group.transportName());
    }
}
