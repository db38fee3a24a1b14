package dev.salvo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The back-pressure suite on the java.nio fallback, which refuses what the JDK cannot do. */
class NioBackPressureConformanceTest extends BackPressureConformanceSuite {
    @Override
    TransportType transport() {
        return TransportType.NIO;
    }

    @Override
    void checkRawAndSegmentation(DatagramChannel ch) {
        UnsupportedOperationException raw = assertThrows(UnsupportedOperationException.class,
                () -> ch.setOption(ChannelOption.raw(1, 8), 65536));
        assertTrue(raw.getMessage().contains("java.nio"), raw.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> ch.getOption(ChannelOption.raw(1, 8)));
        assertThrows(UnsupportedOperationException.class,
                () -> ch.setOption(ChannelOption.rawBytes(1, 25, 16), new byte[] {'l', 'o', 0}));
        UnsupportedOperationException gso = assertThrows(UnsupportedOperationException.class,
                () -> ch.setOption(ChannelOption.GSO_SEGMENT_SIZE, 1200));
        assertTrue(gso.getMessage().contains("GSO_SEGMENT_SIZE"), gso.getMessage());
        assertEquals("nio", ch.transportName());
    }
}
