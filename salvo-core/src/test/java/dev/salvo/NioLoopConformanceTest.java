package dev.salvo;

/** The loop conformance suite on the java.nio fallback. */
class NioLoopConformanceTest extends LoopConformanceSuite {
    @Override
    TransportType transport() {
        return TransportType.NIO;
    }
}
