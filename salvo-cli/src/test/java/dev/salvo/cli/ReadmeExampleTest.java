package dev.salvo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's example is a complete file, kept compiled by this suite: its code block is
 * {@code salvo-cli/src/test/java/Example.java} character for character, and it runs, both here
 * and the way the README says to run it.
 */
class ReadmeExampleTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path EXAMPLE = Path.of("src/test/java/Example.java");

    private static String section(String readme, String heading) {
        int start = readme.indexOf("\n## " + heading + "\n");
        assertTrue(start >= 0, "README has no '## " + heading + "' section");
        int end = readme.indexOf("\n## ", start + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    private static List<String> blocks(String text, String language) {
        Matcher m = Pattern.compile("(?s)```" + language + "\n(.*?)```").matcher(text);
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    @Test
    void readmeExampleIsExampleJavaAsItIs() throws Exception {
        List<String> java = blocks(section(Files.readString(ROOT.resolve("README.md")), "Example"), "java");
        assertEquals(1, java.size(), "one Java block in the README's Example section");
        assertEquals(Files.readString(EXAMPLE), java.getFirst(),
                "the README's example must be salvo-cli/src/test/java/Example.java as it is");
    }

    @Test
    void exampleRunsAndPrintsTheEchoedLine() throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            Class.forName("Example").getMethod("main", String[].class).invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(saved);
        }
        assertEquals("reply: hello", out.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void exampleRunsAsTheReadmeSaysWithJavaAndTheCoreJar() throws Exception {
        String readme = section(Files.readString(ROOT.resolve("README.md")), "Example");
        Matcher command = Pattern.compile("`(java [^`]*Example\\.java)`").matcher(readme);
        assertTrue(command.find(), "the Example section says how to run it");
        Path jar = ROOT.resolve("salvo-core/target/salvo-core-0.1.0-SNAPSHOT.jar");
        assumeTrue(Files.isRegularFile(jar), "salvo-core's jar is built by the package phase");
        List<String> argv = new ArrayList<>(List.of(command.group(1).split(" ")));
        argv.set(0, ProcessHandle.current().info().command().orElse("java")); // this JDK, >= 22
        Path dir = Files.createTempDirectory("salvo-example");
        Files.copy(EXAMPLE, dir.resolve("Example.java"));
        Files.createDirectories(dir.resolve("salvo-core/target"));
        Files.copy(jar, dir.resolve("salvo-core/target/" + jar.getFileName()));
        Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), text);
        assertEquals(0, p.exitValue(), String.join(" ", argv) + "\n" + text);
        assertEquals("reply: hello", text.strip());
    }
}
