package dev.salvo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class SoakCommandTest {
    @Test
    void fiveSecondSoakPassesAndPrintsTheSummary() {
        StringWriter text = new StringWriter();
        var cli = SalvoCommand.commandLine();
        cli.setOut(new PrintWriter(text));
        int exit = cli.execute("soak", "--duration", "5");
        String out = text.toString();
        assertEquals(0, exit, out);
        assertTrue(out.contains("completions exactly once: yes"), out);
        assertTrue(out.contains("failed by kind: "), out);
        assertTrue(out.contains("DatagramTooLargeException"), out);
        assertTrue(out.contains("heap used after GC: before"), out);
        assertTrue(out.contains("native memory in use (malloc, incl. FFM arenas): after warm-up"), out);
        assertTrue(out.contains("resident memory (VmRSS, not judged): after warm-up"), out);
        assertTrue(out.contains("native memory (NMT Other"), out);
        assertTrue(out.contains("result: PASS"), out);
    }

    @Test
    void durationOutOfRangeIsABadArgument() {
        StringWriter err = new StringWriter();
        var cli = SalvoCommand.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("soak", "--duration", "0"));
        assertTrue(err.toString().contains("--duration"), err.toString());
    }

    @Test
    void transportIsAcceptedInAnyCaseAsTheSystemPropertyTakesIt() {
        for (String typed : new String[] {"epoll", "EPOLL", "Nio", "auto"}) {
            var cli = SalvoCommand.commandLine();
            cli.parseArgs("soak", "--transport", typed);
            SoakCommand soak = cli.getSubcommands().get("soak").getCommand();
            assertEquals(dev.salvo.TransportType.valueOf(typed.toUpperCase(java.util.Locale.ROOT)), soak.transport, typed);
        }
        var cli = SalvoCommand.commandLine();
        cli.parseArgs("soak");
        assertEquals(dev.salvo.TransportType.AUTO, ((SoakCommand) cli.getSubcommands().get("soak").getCommand()).transport);
    }
}
