package dev.salvo.setup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.salvo.EventLoopGroup;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Without native access Salvo still works, on java.nio, and says so: a child JVM (this JDK, no
 * {@code --enable-native-access}) opens groups and its stderr is read. Each child is bounded by a
 * timeout and killed when it overstays.
 */
@EnabledOnOs(OS.LINUX)
class NativeAccessFallbackTest {
    private static final String WARNING_START = "Salvo is running on the java.nio fallback";
    private static final long TIMEOUT_SECONDS = 60;

    private record Run(int exit, String out, String err) {
        long warnings() {
            return err.lines().filter(l -> l.contains(WARNING_START)).count();
        }

        String warning() {
            return err.lines().filter(l -> l.contains(WARNING_START)).findFirst().orElse("");
        }
    }

    @Test
    void autoOnTheClassPathWarnsOnceAndNamesTheFlag() throws Exception {
        Run run = child(List.of("-cp", testClasses() + File.pathSeparator + mainClasses()), "auto");

        assertEquals(0, run.exit(), run::toString);
        assertEquals(List.of("transport=nio", "transport=nio"), run.out().lines().toList(), run::toString);
        assertEquals(1, run.warnings(), "one warning per process, for two groups: " + run);
        assertTrue(run.err().contains("WARNING"), run::toString);
        assertTrue(run.warning().contains("native access is not enabled for the class path; start java with "
                + "--enable-native-access=ALL-UNNAMED"), run::toString);
    }

    @Test
    void explicitEpollFailsWithTheOneSentence() throws Exception {
        Run run = child(List.of("-cp", testClasses() + File.pathSeparator + mainClasses()), "epoll");

        assertEquals(0, run.exit(), run::toString);
        assertEquals("refused: the epoll transport is unavailable: native access is not enabled for the class "
                + "path; start java with --enable-native-access=ALL-UNNAMED", run.out().strip(), run::toString);
        assertEquals(0, run.warnings(), "an explicit EPOLL fails instead of falling back: " + run);
    }

    @Test
    void onTheModulePathTheClassPathFlagIsNotEnoughAndTheWarningNamesTheModule() throws Exception {
        Run run = child(List.of("--enable-native-access=ALL-UNNAMED", "-p", mainClasses(), "--add-modules", "dev.salvo",
                "-cp", testClasses()), "auto");

        assertEquals(0, run.exit(), run::toString);
        assertEquals(List.of("transport=nio", "transport=nio"), run.out().lines().toList(), run::toString);
        assertEquals(1, run.warnings(), run::toString);
        assertTrue(run.warning().contains("native access is not enabled for module dev.salvo; start java with "
                + "--enable-native-access=dev.salvo"), run::toString);
    }

    @Test
    void withNativeAccessThereIsNoWarning() throws Exception {
        Run run = child(List.of("--enable-native-access=ALL-UNNAMED",
                "-cp", testClasses() + File.pathSeparator + mainClasses()), "auto");

        assertEquals(0, run.exit(), run::toString);
        assertEquals(List.of("transport=epoll", "transport=epoll"), run.out().lines().toList(), run::toString);
        assertFalse(run.err().contains(WARNING_START), run::toString);
    }

    private static Run child(List<String> jvmArgs, String mode) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xshare:auto");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.addAll(jvmArgs);
        cmd.add(FallbackChild.class.getName());
        cmd.add(mode);
        Path out = Files.createTempFile("salvo-fallback", ".out");
        Path err = Files.createTempFile("salvo-fallback", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
            // Nothing from the environment may grant native access or pick a transport behind the test's back.
            pb.environment().remove("JAVA_TOOL_OPTIONS");
            pb.environment().remove("JDK_JAVA_OPTIONS");
            pb.environment().remove("_JAVA_OPTIONS");
            Process p = pb.start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("child JVM did not finish in " + TIMEOUT_SECONDS + " s: " + cmd
                        + "\nstdout: " + Files.readString(out) + "\nstderr: " + Files.readString(err));
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String mainClasses() {
        return locationOf(EventLoopGroup.class);
    }

    private static String testClasses() {
        return locationOf(FallbackChild.class);
    }

    private static String locationOf(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
