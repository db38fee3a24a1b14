package dev.salvo.bench.harness;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BenchEtaTest {
    private static final long MS = 1_000_000L;

    @Test
    void beforeAnyRunTheEstimateIsThePlanAndAfterwardsThePlanScaledByThePaceSoFar() {
        AtomicLong now = new AtomicLong(1_000 * MS);
        BenchEta eta = new BenchEta(4, 4 * 5_000, now::get);
        assertEquals("0/4 runs done, 0:00 elapsed, about 0:20 left", eta.describe());

        now.addAndGet(10_000 * MS); // the first run took twice its plan
        eta.runDone(5_000);
        assertEquals(30_000, eta.remainingMillis());
        assertEquals("1/4 runs done, 0:10 elapsed, about 0:30 left", eta.describe());

        now.addAndGet(5_000 * MS); // the second on plan: 15 s for 10 s planned
        eta.runDone(5_000);
        assertEquals(15_000, eta.remainingMillis());

        now.addAndGet(10_000 * MS);
        eta.runDone(5_000);
        now.addAndGet(10_000 * MS);
        eta.runDone(5_000);
        assertEquals("4/4 runs done, 0:35 elapsed, about 0:00 left", eta.describe());
    }

    @Test
    void clockReadsMinutesAndSecondsThenHours() {
        assertEquals("0:00", BenchEta.clock(0));
        assertEquals("1:05", BenchEta.clock(65_000));
        assertEquals("1:00:01", BenchEta.clock(3_601_000));
    }
}
