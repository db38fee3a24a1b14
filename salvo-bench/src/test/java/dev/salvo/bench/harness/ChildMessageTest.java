package dev.salvo.bench.harness;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class ChildMessageTest {

    @Test
    void readyCarriesThePort() {
        assertEquals(new ChildMessage.Ready(40123), ChildMessage.parse("READY {\"port\":40123}"));
    }

    @Test
    void phaseCarriesItsName() {
        assertEquals(new ChildMessage.Phase("window"), ChildMessage.parse("PHASE window"));
    }

    @Test
    void resultExposesItsNumbersAndMinusOneForAbsentOnes() {
        ChildMessage.Result result = assertInstanceOf(ChildMessage.Result.class,
                ChildMessage.parse("RESULT {\"datagrams\":123456789012,\"elapsed_ns\":5}"));

        assertEquals(123456789012L, result.number("datagrams"));
        assertEquals(5, result.number("elapsed_ns"));
        assertEquals(-1, result.number("cpu_ns"));
    }

    @Test
    void aFeedersMarkCarriesWhatItHasSent() {
        assertEquals(new ChildMessage.Mark(98765432109L), ChildMessage.parse("MARK {\"sent\":98765432109}"));
        assertInstanceOf(ChildMessage.Failure.class, ChildMessage.parse("MARK {}"));
    }

    @Test
    void errorLinesAndGarbledProtocolLinesAreFailures() {
        assertEquals(new ChildMessage.Failure("sendmmsg failed: EPERM"), ChildMessage.parse("ERROR sendmmsg failed: EPERM"));
        assertInstanceOf(ChildMessage.Failure.class, ChildMessage.parse("RESULT {not json"));
        assertInstanceOf(ChildMessage.Failure.class, ChildMessage.parse("READY {}"));
    }

    @Test
    void otherOutputIsIgnoredNotFatal() {
        assertEquals(new ChildMessage.Other("hello from a library"), ChildMessage.parse("hello from a library"));
    }
}
