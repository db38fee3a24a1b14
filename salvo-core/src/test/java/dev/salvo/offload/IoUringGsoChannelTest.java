package dev.salvo.offload;

import dev.salvo.TransportType;

/** The GSO and GRO tests on the io_uring transport: GSO sends as linked SENDMSG submissions, GRO receives split again. */
class IoUringGsoChannelTest extends GsoChannelTest {
    @Override
    TransportType transport() {
        return TransportType.IO_URING;
    }
}
