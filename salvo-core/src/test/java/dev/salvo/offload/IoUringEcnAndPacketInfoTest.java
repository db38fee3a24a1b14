package dev.salvo.offload;

import dev.salvo.TransportType;

/** The ECN and packet-info tests on the io_uring transport: metadata decoded from multishot receive buffers. */
class IoUringEcnAndPacketInfoTest extends EcnAndPacketInfoTest {
    @Override
    TransportType transport() {
        return TransportType.IO_URING;
    }
}
