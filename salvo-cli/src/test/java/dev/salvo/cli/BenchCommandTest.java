package dev.salvo.cli;

import dev.salvo.bench.report.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchCommandTest {

    @Test
    void quickRunReportsEveryContenderWithNonZeroRatesInJsonAndChart(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("bench.json");
        Path chart = dir.resolve("bench.png");

        int exit = SalvoCommand.commandLine().execute("bench", "--quick", "--json", json.toString(),
                "--chart", chart.toString());

        assertEquals(0, exit);
        Map<String, Object> doc = Json.parseObject(Files.readString(json));
        List<String> expected = new ArrayList<>(List.of("salvo/vector", "salvo/scalar", "salvo/gso", "salvo/auto-gso"));
        if (gccPresent()) {
            expected.addAll(List.of("c/sendmmsg", "c/gso"));
        }
        expected.addAll(List.of("jdk", "netty", "netty/io_uring",
                "salvo/io_uring", "salvo/io_uring-sendmmsg", "salvo/io_uring-gso"));
        List<?> runs = (List<?>) doc.get("runs");
        assertEquals(expected.size() * 2, runs.size(), "every contender once per size");
        for (String size : List.of("64", "1200")) {
            List<Object> implsAtSize = runs.stream().map(r -> (Map<?, ?>) r)
                    .filter(r -> ((Number) r.get("payload")).intValue() == Integer.parseInt(size))
                    .map(r -> r.get("impl")).map(Object.class::cast).toList();
            assertEquals(expected, implsAtSize, "contenders at " + size + " B");
        }
        for (Object o : runs) {
            Map<?, ?> run = (Map<?, ?>) o;
            assertEquals("sink", run.get("mode"));
            assertTrue(((Number) run.get("datagrams_per_sec")).doubleValue() > 0, run.toString());
            assertTrue(((Number) run.get("gbit_per_sec")).doubleValue() > 0, run.toString());
            assertTrue(((Number) run.get("cpu_s_per_million")).doubleValue() > 0, run.toString());
        }
        assertEquals(expected.size() * 2, ((List<?>) doc.get("medians")).size());
        byte[] png = Files.readAllBytes(chart);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));
    }

    @Test
    void badArgumentsExitWithTwoAndOneSentence() {
        for (String[] args : List.of(
                new String[] {"bench", "--sizes", "0"},
                new String[] {"bench", "--sizes", "abc"},
                new String[] {"bench", "--mode", "flood"},
                new String[] {"bench", "--runs", "0"},
                new String[] {"bench", "--contenders", "no-such-thing"},
                new String[] {"bench", "--json", "/no/such/dir/x.json"},
                new String[] {"bench", "--loops", "0"},
                new String[] {"bench", "--sockets", "256"},
                new String[] {"bench", "--receive", "--sockets", "256", "--loops", "2"},
                new String[] {"bench", "--receive", "--sockets", "1"},
                new String[] {"bench", "--receive", "--loops", "2", "--contenders", "netty@2"},
                new String[] {"bench", "--frobnicate"})) {
            StringWriter err = new StringWriter();
            CommandLine cmd = SalvoCommand.commandLine();
            cmd.setErr(new PrintWriter(err));

            int exit = cmd.execute(args);

            assertEquals(2, exit, String.join(" ", args));
            List<String> lines = err.toString().lines().toList();
            assertEquals(1, lines.size(), err.toString());
            assertTrue(lines.getFirst().startsWith("salvo bench: "), lines.getFirst());
        }
    }

    @Test
    void unknownContenderMessageListsTheKnownOnes() {
        StringWriter err = new StringWriter();
        CommandLine cmd = SalvoCommand.commandLine();
        cmd.setErr(new PrintWriter(err));

        cmd.execute("bench", "--receive", "--contenders", "c/sendmmsg");

        assertTrue(err.toString().contains("unknown receiver 'c/sendmmsg'"), err.toString());
        assertTrue(err.toString().contains("netty/gro"), err.toString());
    }

    @Test
    void listShowsSendersAndReceiversByName() {
        StringWriter out = new StringWriter();
        CommandLine cmd = SalvoCommand.commandLine();
        cmd.setOut(new PrintWriter(out));

        assertEquals(0, cmd.execute("bench", "--list"));
        for (String name : List.of("c/sendmmsg", "c/gso", "jdk", "netty", "c/recvmmsg", "c/gro", "netty/recvmmsg", "netty/gro")) {
            assertTrue(out.toString().contains(name), name);
        }
    }

    @Test
    void listAlignsEveryColumnWhateverTheNameLength() {
        StringWriter out = new StringWriter();
        CommandLine cmd = SalvoCommand.commandLine();
        cmd.setOut(new PrintWriter(out));

        assertEquals(0, cmd.execute("bench", "--list"));
        List<String> entries = out.toString().lines().filter(l -> l.startsWith("  ")).toList();
        String oneLine = entries.stream().filter(l -> l.startsWith("  salvo/one-per-call ")).findFirst().orElseThrow();
        int roleColumn = oneLine.indexOf("SALVO");
        int mechanismColumn = oneLine.indexOf("READ_BATCH_SIZE");
        for (String line : entries) {
            // The role starts in the same column on every line, and so does the mechanism after it.
            assertTrue(line.charAt(roleColumn - 1) == ' ' && line.charAt(roleColumn) != ' ', line);
            assertTrue(line.charAt(mechanismColumn - 1) == ' ' && line.charAt(mechanismColumn) != ' ', line);
        }
    }

    private static BenchCommand parsed(String... args) {
        CommandLine cmd = SalvoCommand.commandLine();
        cmd.parseArgs(args);
        return cmd.getSubcommands().get("bench").getCommand();
    }

    @Test
    void progressBarsOnlyWhenStderrIsATerminalUnlessAskedFor() {
        BenchCommand piped = parsed("bench");
        piped.stderrIsTerminal = () -> false;
        assertEquals(false, piped.settings(piped.registry()).progress(), "2>&1 | tee log: one line per run");

        BenchCommand terminal = parsed("bench");
        terminal.stderrIsTerminal = () -> true;
        assertEquals(true, terminal.settings(terminal.registry()).progress());

        BenchCommand off = parsed("bench", "--no-progress");
        off.stderrIsTerminal = () -> true;
        assertEquals(false, off.settings(off.registry()).progress());

        BenchCommand forced = parsed("bench", "--progress");
        forced.stderrIsTerminal = () -> false;
        assertEquals(true, forced.settings(forced.registry()).progress());

        // What the real probe says here: surefire's stderr is a pipe.
        BenchCommand real = parsed("bench");
        assertEquals(false, real.settings(real.registry()).progress());
    }

    @Test
    void wideIsOffByDefault() {
        BenchCommand plain = parsed("bench");
        assertEquals(false, plain.settings(plain.registry()).wide());
        BenchCommand wide = parsed("bench", "--wide");
        assertEquals(true, wide.settings(wide.registry()).wide());
    }

    @Test
    void loopsAddsAMultiLoopVariantOfEachSalvoSender() {
        StringWriter out = new StringWriter();
        CommandLine cmd = SalvoCommand.commandLine();
        cmd.setOut(new PrintWriter(out));

        assertEquals(0, cmd.execute("bench", "--loops", "2", "--list"));
        for (String name : List.of("salvo/vector@2", "salvo/scalar@2", "salvo/gso@2")) {
            assertTrue(out.toString().contains(name), name);
        }
        assertTrue(!out.toString().contains("netty@2"), out.toString());
    }

    @Test
    void loopsWithReceiveAddsAReusePortVariantOfTheSalvoReceiversThatCanAndItsCReference() {
        StringWriter out = new StringWriter();
        CommandLine cmd = SalvoCommand.commandLine();
        cmd.setOut(new PrintWriter(out));

        assertEquals(0, cmd.execute("bench", "--receive", "--loops", "2", "--list"));
        for (String name : List.of("salvo/recvmmsg@2", "salvo/gro@2", "salvo/io_uring@2", "c/recvmmsg@2")) {
            assertTrue(out.toString().contains(name), name);
        }
        assertTrue(!out.toString().contains("c/gro@2") && !out.toString().contains("netty/gro@2"), out.toString());
        BenchCommand bench = parsed("bench", "--receive", "--loops", "2", "--contenders", "salvo/recvmmsg,salvo/recvmmsg@2");
        assertEquals(List.of("salvo/recvmmsg", "salvo/recvmmsg@2"), bench.settings(bench.registry()).contenders());
    }

    @Test
    void socketsTakesOneOrMoreCountsForTheReceiveSide() {
        BenchCommand bench = parsed("bench", "--receive", "--sockets", "256,1024");
        var settings = bench.settings(bench.registry());
        assertEquals(List.of(256, 1024), settings.sockets());
        assertTrue(settings.receiveSide());
        BenchCommand plain = parsed("bench", "--receive");
        assertEquals(List.of(), plain.settings(plain.registry()).sockets(), "the one-socket receivers by default");
    }

    @Test
    void helpDescribesTheOptions() {
        StringWriter out = new StringWriter();
        CommandLine cmd = SalvoCommand.commandLine();
        cmd.setOut(new PrintWriter(out));

        assertEquals(0, cmd.execute("bench", "--help"));
        for (String option : List.of("--sizes", "--mode", "--runs", "--quick", "--receive", "--loops", "--sockets",
                "--json", "--chart",
                "--wide", "--progress", "--no-progress")) {
            assertTrue(out.toString().contains(option), option);
        }
    }

    private static boolean gccPresent() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && (Files.isExecutable(Path.of(dir, "gcc")) || Files.isExecutable(Path.of(dir, "cc")))) {
                return true;
            }
        }
        return false;
    }
}
