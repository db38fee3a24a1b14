package dev.salvo.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.salvo.bench.peer.SalvoReceiver;
import dev.salvo.bench.report.SummaryRow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MultiLoopReceiversTest {

    @Test
    void withLoopsPutsAReusePortVariantRightAfterEachSalvoReceiverThatCan() {
        ContenderRegistry registry = ContenderRegistry.standard().withLoops(2);

        List<String> names = registry.receivers().stream().map(Contender::name).toList();
        assertEquals(names.indexOf("salvo/recvmmsg") + 1, names.indexOf("salvo/recvmmsg@2"));
        assertEquals(names.indexOf("salvo/gro") + 1, names.indexOf("salvo/gro@2"));
        assertEquals(names.indexOf("salvo/io_uring") + 1, names.indexOf("salvo/io_uring@2"));
        assertTrue(names.stream().noneMatch(n -> n.startsWith("netty@") || n.startsWith("c/gro@")
                || n.startsWith("jdk@") || n.startsWith("salvo/one-per-call@")), names.toString());
        // The C reference: two SO_REUSEPORT sockets on two threads, right after c/recvmmsg.
        assertEquals(names.indexOf("c/recvmmsg") + 1, names.indexOf("c/recvmmsg@2"));
        Contender<JavaReceiver> c = registry.receiver("c/recvmmsg@2").orElseThrow();
        assertEquals(new Launch.Native<JavaReceiver>("salvo_bench_recv", "threads=2"), c.launch());
        assertEquals(Role.C_REFERENCE, c.role());
        Contender<JavaReceiver> variant = registry.receiver("salvo/recvmmsg@2").orElseThrow();
        assertEquals(Role.SALVO, variant.role());
        assertTrue(variant.mechanism().endsWith("2 loops"), variant.mechanism());
    }

    @Test
    void aChildFindsAReceiverVariantByNameInTheStandardRegistry() {
        Contender<JavaReceiver> variant = ContenderRegistry.standard().receiver("salvo/gro@3").orElseThrow();
        Launch.InJvm<JavaReceiver> launch = assertInstanceOf(Launch.InJvm.class, variant.launch());
        assertInstanceOf(SalvoReceiver.class, launch.factory().get());
        assertTrue(ContenderRegistry.standard().receiver("netty@2").isEmpty());
        assertTrue(ContenderRegistry.standard().receiver("salvo/recvmmsg@0").isEmpty());
        assertEquals(3, ContenderRegistry.loopsOf("salvo/gro@3"));
        assertEquals(1, ContenderRegistry.loopsOf("salvo/gro"));
    }

    @Test
    void aReusePortRowIsFedByOneSpreadingFeederPerLoopAndThePlainRowByOneFromOneSocket() {
        ReceiveScenario two = ReceiveScenario.reusePort(2);
        assertEquals(2, two.feeders());
        assertEquals(",sources=16", two.spread().modeOptions());
        assertEquals(ReceiveScenario.RECEIVE, two.mode(), "the @2 row sits in the table beside its 1-loop row");
        assertEquals(ReceiveScenario.PLAIN, ReceiveScenario.reusePort(1));
        assertEquals("", ReceiveScenario.PLAIN.spread().modeOptions());

        ReceiveScenario many = ReceiveScenario.manySockets(256);
        assertEquals("256 sockets", many.mode());
        assertEquals(ReceiveScenario.MANY_SOCKETS_FEEDERS, many.feeders());
        assertEquals(",ports=256", many.spread().modeOptions());
        assertEquals(256, many.sockets());
    }

    @Test
    void onlyTheCSenderIsAskedToSpread() {
        ChildLauncher launcher = ChildLauncher.likeThisJvm(NativePrograms.inDefaultCache());
        Contender<JavaSender> jdk = ContenderRegistry.standard().sender(ContenderRegistry.JDK).orElseThrow();

        assertThrows(IllegalArgumentException.class,
                () -> launcher.sender(jdk, 9, 64, 0, 100, 100, new FeedSpread(16, 1)));
        assertThrows(IllegalArgumentException.class, () -> new FeedSpread(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new FeedSpread(FeedSpread.MAX_SOURCES + 1, 1));
        List<String> plain = launcher.sender(jdk, 9, 64, 0, 100, 100, FeedSpread.NONE);
        assertTrue(plain.contains("jdk"), plain.toString());
    }

    @Test
    void theScalingNoteComparesAReceiverVariantWithItsOneLoopRow() {
        List<SummaryRow> rows = List.of(row("salvo/recvmmsg", "receive", 64, 1_000_000, 0.5),
                row("salvo/recvmmsg@2", "receive", 64, 1_700_000, 0.6));

        assertEquals(List.of("scaling: salvo/recvmmsg@2 is 1.70x salvo/recvmmsg at 64 B receive"),
                BenchRunner.scalingNotes(rows));
    }

    @Test
    void theSplitNoteGivesEachChannelsShareOfEveryRun() {
        Map<String, List<List<Long>>> splits = new LinkedHashMap<>();
        splits.put("salvo/recvmmsg@2 at 64 B", List.of(List.of(600L, 400L), List.of(500L, 500L)));

        assertEquals(List.of("split: salvo/recvmmsg@2 at 64 B, share of the window's datagrams per channel, by run:"
                + " 60%/40%, 50%/50%"), BenchRunner.splitNotes(splits));
    }

    @Test
    void manySocketsNotesCompareCpuPerDatagramWithSalvoOnEpollAtTheSameCountAndSize() {
        List<SummaryRow> rows = List.of(row("salvo/recvmmsg", "256 sockets", 64, 500_000, 2.0),
                row("salvo/io_uring", "256 sockets", 64, 600_000, 1.3),
                row("netty", "256 sockets", 64, 300_000, 3.0),
                row("salvo/io_uring", "1024 sockets", 64, 600_000, 1.0),
                row("salvo/recvmmsg", "receive", 64, 2_000_000, 0.5));

        assertEquals(List.of("256 sockets: salvo/io_uring takes 0.65x the CPU per datagram of salvo/recvmmsg at 64 B",
                        "256 sockets: netty takes 1.50x the CPU per datagram of salvo/recvmmsg at 64 B"),
                BenchRunner.socketCpuNotes(rows));
    }

    private static SummaryRow row(String impl, String mode, int payload, double rate, double cpu) {
        return new SummaryRow("receive", impl, "m", Role.SALVO, payload, mode, 1, rate, 0, cpu, 0, 0, Double.NaN, 0, 0, 0, 0);
    }
}
