package dev.salvo.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.salvo.bench.peer.SalvoSender;
import dev.salvo.bench.report.SummaryRow;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultiLoopSendersTest {

    @Test
    void withLoopsPutsEachSalvoSendersVariantRightAfterIt() {
        ContenderRegistry registry = ContenderRegistry.standard().withLoops(2);

        List<String> names = registry.senders().stream().map(Contender::name).toList();
        assertEquals(names.indexOf("salvo/vector") + 1, names.indexOf("salvo/vector@2"));
        assertEquals(names.indexOf("salvo/gso") + 1, names.indexOf("salvo/gso@2"));
        assertTrue(names.stream().noneMatch(n -> n.startsWith("netty@") || n.startsWith("c/sendmmsg@")));
        Contender<JavaSender> variant = registry.sender("salvo/vector@2").orElseThrow();
        assertEquals(Role.SALVO, variant.role());
        assertTrue(variant.mechanism().endsWith("2 loops"), variant.mechanism());
    }

    @Test
    void aChildFindsAVariantByNameInTheStandardRegistry() {
        // The child builds the standard registry and must resolve the name the parent passed.
        Contender<JavaSender> variant = ContenderRegistry.standard().sender("salvo/vector@3").orElseThrow();
        Launch.InJvm<JavaSender> launch = assertInstanceOf(Launch.InJvm.class, variant.launch());
        assertInstanceOf(SalvoSender.class, launch.factory().get());
        assertTrue(ContenderRegistry.standard().sender("netty@2").isEmpty());
        assertTrue(ContenderRegistry.standard().sender("salvo/vector@x").isEmpty());
        assertTrue(ContenderRegistry.standard().sender("salvo/vector@0").isEmpty());
    }

    @Test
    void loopCountsOutsideOneToSixtyFourAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ContenderRegistry.standard().withLoops(0));
        assertThrows(IllegalArgumentException.class, () -> ContenderRegistry.standard().withLoops(65));
        assertEquals(ContenderRegistry.standard().senders().size(),
                ContenderRegistry.standard().withLoops(1).senders().size());
    }

    @Test
    void scalingNotesCompareEachVariantWithItsOneLoopSenderAtTheSameSize() {
        List<SummaryRow> rows = List.of(row("salvo/vector", 64, 100_000), row("salvo/vector@2", 64, 190_000),
                row("salvo/vector", 1200, 80_000), row("salvo/vector@2", 1200, 120_000), row("netty", 64, 90_000));

        assertEquals(List.of("scaling: salvo/vector@2 is 1.90x salvo/vector at 64 B sink",
                        "scaling: salvo/vector@2 is 1.50x salvo/vector at 1200 B sink"),
                BenchRunner.scalingNotes(rows));
    }

    private static SummaryRow row(String impl, int payload, double rate) {
        return new SummaryRow("send", impl, "m", Role.SALVO, payload, "sink", 1, rate, 0, 0, 0, 0, Double.NaN, 0, 0, 0, 0);
    }
}
