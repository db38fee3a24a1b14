package dev.salvo.bench.harness;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TerminalTest {
    @Test
    void terminalDevicesAreTerminalsAndPipesAndFilesAreNot() {
        assertTrue(Terminal.isTerminalDevice("/dev/pts/3"));
        assertTrue(Terminal.isTerminalDevice("/dev/tty1"));
        assertTrue(Terminal.isTerminalDevice("/dev/console"));
        assertFalse(Terminal.isTerminalDevice("pipe:[123456]"));
        assertFalse(Terminal.isTerminalDevice("/tmp/bench.log"));
        assertFalse(Terminal.isTerminalDevice("/dev/null"));
    }

    @Test
    void theTestJvmsStderrIsAPipeOrFileAndBothProbesSaySo() throws Exception {
        // Surefire captures the fork's stderr, like "./salvo bench 2>&1 | tee log" does.
        String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
        boolean expected = Terminal.isTerminalDevice(target);
        assertFalse(expected, "surefire's stderr is " + target);
        assertEquals(expected, Terminal.linkIsTerminal(2));
        assertEquals(expected, Terminal.isatty(2).orElse(expected), "isatty(2)");
        assertEquals(expected, Terminal.stderrIsTerminal());
    }
}
