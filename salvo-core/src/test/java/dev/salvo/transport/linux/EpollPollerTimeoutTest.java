package dev.salvo.transport.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The poller's timeout, which the loop takes from its nearest timer: never shorter than asked,
 * with {@code epoll_pwait2} (nanoseconds) and with the {@code epoll_wait} fallback (milliseconds,
 * rounded up), which the test forces.
 */
class EpollPollerTimeoutTest {

    @Test
    void preciseWaitIsDetectedWhereTheKernelAndLibcHaveIt() throws Exception {
        String[] v = SystemInfo.uname().release().split("[.-]");
        int major = Integer.parseInt(v[0]);
        int minor = Integer.parseInt(v[1]);
        boolean kernelHasIt = major > 5 || (major == 5 && minor >= 11);
        assertEquals(kernelHasIt && Libc.EPOLL_PWAIT2 != null, Epoll.hasPreciseWait());
    }

    @Test
    void preciseWaitNeverReturnsBeforeItsTimeout() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            EpollPoller p = new EpollPoller(arena, Epoll.hasPreciseWait());
            try {
                assertEquals(Epoll.hasPreciseWait(), p.isPrecise());
                assertNeverEarly(p, 300_000);       // 0.3 ms: below epoll_wait's resolution
                assertNeverEarly(p, 2_500_000);
                assertNeverEarly(p, 1_000_000_001L / 500); // crosses no second, odd nanoseconds
            } finally {
                p.close();
            }
        }
    }

    @Test
    void millisecondFallbackRoundsUpAndNeverReturnsEarly() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            EpollPoller p = new EpollPoller(arena, false);
            try {
                assertFalse(p.isPrecise());
                assertNeverEarly(p, 1);             // 1 ns becomes 1 ms, not 0
                assertNeverEarly(p, 1_500_000);     // 1.5 ms becomes 2 ms
                assertNeverEarly(p, 3_000_000);
            } finally {
                p.close();
            }
        }
    }

    @Test
    void bothWaitsReturnAtOnceForZeroAndWhenWoken() throws Exception {
        for (boolean precise : new boolean[] {Epoll.hasPreciseWait(), false}) {
            try (Arena arena = Arena.ofConfined()) {
                EpollPoller p = new EpollPoller(arena, precise);
                try {
                    assertEquals(0, p.poll(0, (a, r, w, e) -> { }));
                    p.wakeup();
                    long t0 = System.nanoTime();
                    p.poll(-1, (a, r, w, e) -> { }); // would block forever without the wake-up
                    assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(20));
                } finally {
                    p.close();
                }
            }
        }
    }

    private static void assertNeverEarly(EpollPoller p, long timeoutNanos) throws Exception {
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            int n = p.poll(timeoutNanos, (a, r, w, e) -> { });
            long waited = System.nanoTime() - t0;
            assertEquals(0, n, "nothing is registered");
            long floor = p.isPrecise() ? timeoutNanos : TimeUnit.MILLISECONDS.toNanos((timeoutNanos + 999_999) / 1_000_000);
            assertTrue(waited >= floor, "waited " + waited + " ns for a timeout of " + timeoutNanos + " ns");
        }
    }
}
