package dev.salvo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The back-pressure suite on the Linux epoll transport, where raw options reach the kernel. */
class EpollBackPressureConformanceTest extends BackPressureConformanceSuite {
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVBUF = 8;
    private static final int SO_BINDTODEVICE = 25;
    private static final int EINVAL = 22;
    private static final int ENOPROTOOPT = 92;
    private static final int EOPNOTSUPP = 95;

    @Override
    TransportType transport() {
        return TransportType.EPOLL;
    }

    @Override
    void checkRawAndSegmentation(DatagramChannel ch) throws IOException {
        // Set through raw, read back through the typed option (the kernel doubles SO_RCVBUF).
        ch.setOption(ChannelOption.raw(SOL_SOCKET, SO_RCVBUF), 100_000);
        assertEquals(200_000, ch.getOption(ChannelOption.SO_RCVBUF));
        assertEquals(200_000, ch.getOption(ChannelOption.raw(SOL_SOCKET, SO_RCVBUF)));
        // The byte form returns exactly what the kernel gave: SO_RCVBUF as 4 native-order bytes.
        byte[] bytes = ch.getOption(ChannelOption.rawBytes(SOL_SOCKET, SO_RCVBUF, 16));
        assertArrayEquals(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(200_000).array(), bytes);
        ch.setOption(ChannelOption.rawBytes(SOL_SOCKET, SO_BINDTODEVICE, 16), new byte[] {'l', 'o', 0});
        byte[] device = ch.getOption(ChannelOption.rawBytes(SOL_SOCKET, SO_BINDTODEVICE, 16));
        assertEquals("lo", new String(device, 0, device[device.length - 1] == 0 ? device.length - 1 : device.length,
                java.nio.charset.StandardCharsets.US_ASCII));
        // Kernel refusals come back with their errno.
        NativeIOException unknown = assertThrows(NativeIOException.class,
                () -> ch.setOption(ChannelOption.raw(SOL_SOCKET, 9999), 1));
        assertEquals(ENOPROTOOPT, unknown.errno(), unknown.getMessage());
        NativeIOException level = assertThrows(NativeIOException.class,
                () -> ch.getOption(ChannelOption.raw(9999, 1)));
        assertTrue(level.errno() == ENOPROTOOPT || level.errno() == EOPNOTSUPP, level.getMessage());
        NativeIOException shortValue = assertThrows(NativeIOException.class,
                () -> ch.setOption(ChannelOption.rawBytes(SOL_SOCKET, SO_RCVBUF, 4), new byte[] {1}));
        assertEquals(EINVAL, shortValue.errno(), shortValue.getMessage());
        // A value longer than the option allows is refused before the kernel sees it.
        assertThrows(IllegalArgumentException.class,
                () -> ch.setOption(ChannelOption.rawBytes(SOL_SOCKET, SO_BINDTODEVICE, 2), new byte[] {'l', 'o', 0}));
        // The channel segment size is accepted and read back where the socket can segment.
        ch.setOption(ChannelOption.GSO_SEGMENT_SIZE, 1200);
        assertEquals(1200, ch.getOption(ChannelOption.GSO_SEGMENT_SIZE));
        assertEquals(ChannelOption.raw(SOL_SOCKET, SO_RCVBUF), ChannelOption.raw(SOL_SOCKET, SO_RCVBUF));
    }
}
