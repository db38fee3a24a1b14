package dev.salvo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The {@code ./salvo} launcher's build step writes nothing but text (no ESC[0m) into the user's stderr. */
class LauncherTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void buildStepRunsMavenWithFlagsThatLeaveNoEscapeSequences() throws Exception {
        String script = Files.readString(ROOT.resolve("salvo"));
        Matcher flags = Pattern.compile("(?m)^build_flags=\\((.*)\\)$").matcher(script);
        Matcher opts = Pattern.compile("(?m)^build_maven_opts=\"(.*)\"$").matcher(script);
        assertTrue(flags.find() && opts.find(), "the launcher defines build_flags and build_maven_opts");
        assertTrue(script.contains("MAVEN_OPTS=\"${MAVEN_OPTS:-} $build_maven_opts\" mvn \"${build_flags[@]}\""),
                "the build step uses them");
        assumeTrue(onPath("mvn"), "Maven is not on the PATH");

        List<String> command = new ArrayList<>(List.of("mvn"));
        command.addAll(Arrays.asList(flags.group(1).trim().split("\\s+")));
        command.addAll(List.of("-o", "-N", "validate")); // the root POM only: seconds, no network
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        pb.environment().put("MAVEN_OPTS", opts.group(1));
        Process p = pb.start();
        byte[] output = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        String text = new String(output, StandardCharsets.UTF_8);

        assertEquals(0, p.exitValue(), text);
        assertFalse(text.contains("\u001b"), "escape sequences in: " + text.replace("\u001b", "ESC"));
        // Quiet: nothing but what the JVM itself may warn about Maven's libraries on a new JDK
        // (Maven 3.8's Guice calls sun.misc.Unsafe, which JDK 24+ reports).
        assertTrue(text.lines().allMatch(l -> l.isBlank() || l.startsWith("WARNING: ")), text);
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
