package dev.salvo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad arguments end every command with exit code 2 and one sentence, before any socket is opened. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BlastArgumentErrorsTest {
    private static void assertOneSentenceUsageError(CliRun run, String mustContain) {
        assertEquals(2, run.exitCode(), run.out() + run.err());
        String err = run.err().strip();
        assertEquals(1, err.lines().count(), "one line expected:\n" + err);
        assertTrue(err.startsWith("salvo ") && err.endsWith("."), err);
        assertTrue(err.contains(mustContain), err);
        assertEquals("", run.out(), "nothing may be printed (no socket opened) before arguments are valid");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.1:", "127.0.0.1:70000", "127.0.0.1:abc", "::1:9000",
            "[::1]9000", "[::1]", "[127.0.0.1]:9", ":9000", "127.0.0.1:0", ""})
    void malformedTargetIsRefusedWithOneSentence(String to) {
        assertOneSentenceUsageError(CliRun.run("blast", "--to", to, "--size", "10", "--count", "1"), "bad --to");
    }

    @Test
    void remoteTargetIsRefusedBeforeAnythingIsSent() {
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): documentation only, never this machine.
        CliRun run = CliRun.run("blast", "--to", "192.0.2.1:9", "--size", "10", "--count", "1000");
        assertOneSentenceUsageError(run, "--allow-remote");
        assertTrue(run.err().contains("192.0.2.1:9 is neither loopback nor an address of this machine"), run.err());
    }

    @Test
    void remoteIpv6TargetIsRefusedToo() {
        // 2001:db8::/32 is the IPv6 documentation prefix (RFC 3849).
        assertOneSentenceUsageError(CliRun.run("blast", "--to", "[2001:db8::1]:9", "--size", "10", "--count", "1"),
                "[2001:db8::1]:9 is neither loopback");
    }

    @Test
    void oversizedDatagramIsRefused() {
        assertOneSentenceUsageError(CliRun.run("blast", "--to", "127.0.0.1:9", "--size", "65508", "--count", "1"),
                "--size 65508 is out of range");
    }

    @Test
    void oversizedDatagramIsRefusedEvenWithAllowRemote() {
        assertOneSentenceUsageError(CliRun.run("blast", "--to", "192.0.2.1:9", "--size", "70000", "--count", "1",
                "--allow-remote"), "--size 70000 is out of range");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--count=0", "--batch=0", "--batch=1025", "--rate=0", "--rate=-5", "--duration=0",
            "--size=-1"})
    void outOfRangeNumbersAreRefused(String option) {
        String name = option.substring(0, option.indexOf('='));
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("blast", "--to", "127.0.0.1:9"));
        if (!name.equals("--size")) {
            args.addAll(java.util.List.of("--size", "10"));
        }
        if (!name.equals("--count")) {
            args.addAll(java.util.List.of("--count", "1"));
        }
        args.add(option);
        CliRun run = CliRun.run(args.toArray(String[]::new));
        assertOneSentenceUsageError(run, name);
    }

    @Test
    void gsoNeedsANonEmptySegment() {
        assertOneSentenceUsageError(CliRun.run("blast", "--to", "127.0.0.1:9", "--size", "0", "--count", "1", "--gso"),
                "--gso needs --size");
    }

    @Test
    void missingRequiredOptionIsAUsageError() {
        CliRun run = CliRun.run("blast", "--size", "10", "--count", "1");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().startsWith("salvo blast: Missing required option: '--to=HOST:PORT'"), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sink", "echo"})
    void malformedBindAddressIsRefused(String command) {
        assertOneSentenceUsageError(CliRun.run(command, "--bind", "localhost"), "bad --bind");
    }

    @Test
    void sinkRefusesANonPositiveDuration() {
        assertOneSentenceUsageError(CliRun.run("sink", "--bind", "127.0.0.1:0", "--duration", "0"), "--duration");
    }

    @Test
    void eachCommandHasHelp() {
        for (String command : new String[] {"blast", "sink", "echo"}) {
            CliRun run = CliRun.run(command, "--help");
            assertEquals(0, run.exitCode());
            assertTrue(run.out().startsWith("Usage: salvo " + command), run.out());
        }
    }
}
