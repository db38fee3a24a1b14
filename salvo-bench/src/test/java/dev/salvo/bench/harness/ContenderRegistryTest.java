package dev.salvo.bench.harness;

import dev.salvo.bench.peer.JdkSender;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContenderRegistryTest {

    @Test
    void standardRegistryListsSalvoThenTheCReferencesThenTheJavaPeers() {
        ContenderRegistry registry = ContenderRegistry.standard();

        assertEquals(List.of("salvo/vector", "salvo/scalar", "salvo/gso", "salvo/auto-gso", "c/sendmmsg", "c/gso", "jdk",
                        "netty"),
                registry.senders().stream().map(Contender::name).limit(8).toList());
        assertEquals(List.of("salvo/recvmmsg", "salvo/gro", "salvo/one-per-call", "salvo/recvmmsg+meta", "ffm/recvmmsg",
                        "c/recvmmsg", "c/gro", "c/recvmmsg+meta", "jdk", "netty", "netty/recvmmsg", "netty/gro"),
                registry.receivers().stream().map(Contender::name).limit(12).toList());
        assertEquals(Role.SALVO, registry.sender("salvo/vector").orElseThrow().role());
        assertTrue(registry.sender(ContenderRegistry.SEND_BASELINE).orElseThrow().isNative());
        assertEquals(Role.JAVA_PEER, registry.receiver("netty/gro").orElseThrow().role());
    }

    @Test
    void aPluggedInSenderIsFoundByNameAndBuiltByItsFactory() {
        ContenderRegistry registry = new ContenderRegistry.Builder()
                .sender("salvo/vector", "sendmmsg via FFM", Role.SALVO, JdkSender::new)
                .build();

        Contender<JavaSender> salvo = registry.sender("salvo/vector").orElseThrow();
        Launch.InJvm<JavaSender> launch = assertInstanceOf(Launch.InJvm.class, salvo.launch());
        assertInstanceOf(JdkSender.class, launch.factory().get());
        assertEquals(Role.SALVO, salvo.role());
    }

    @Test
    void twoContendersOnOneSideCannotShareAName() {
        ContenderRegistry.Builder builder = new ContenderRegistry.Builder()
                .sender("x", "m", Role.SALVO, JdkSender::new);

        assertThrows(IllegalArgumentException.class, () -> builder.sender("x", "m", Role.SALVO, JdkSender::new));
    }

    @Test
    void namesWithCommasOrSpacesAreRejectedBecauseTheCommandLineSplitsOnThem() {
        assertThrows(IllegalArgumentException.class,
                () -> new ContenderRegistry.Builder().sender("a,b", "m", Role.SALVO, JdkSender::new));
        assertThrows(IllegalArgumentException.class,
                () -> new ContenderRegistry.Builder().sender("a b", "m", Role.SALVO, JdkSender::new));
    }
}
